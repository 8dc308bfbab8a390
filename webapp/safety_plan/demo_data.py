"""The demo household's direct safety plan: version 1 approved by the youth protection worker, version 2
agreed a few weeks later with one agreement more. Fictional; written through the plan's own services."""
from datetime import timedelta

from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.households.models import Household
from webapp.households.services import membership_of
from webapp.safety_plan import services
from webapp.safety_plan.models import PlanVersion

BEDTIME = services.AgreementInput(
    what="Mila gaat om half acht naar bed. Mama leest eerst een verhaaltje voor.",
    who="Sanne",
    when="Elke avond. Om zeven uur beginnen we met tanden poetsen.",
    how_checked="Oma Ria belt twee keer per week om kwart over zeven om Mila welterusten te zeggen.",
    if_it_goes_wrong="Sanne gaat even naar de keuken en belt Oma Ria. Mila mag bij haar knuffelbeer blijven.",
)
VISITS = services.AgreementInput(
    what="Oma Ria komt twee keer per week langs, zonder het van tevoren te zeggen.",
    who="Oma Ria",
    when="Twee keer per week, op wisselende dagen en tijden.",
    how_checked="Oma Ria schrijft na elk bezoek in het logboek hoe het ging.",
    if_it_goes_wrong="Gaat het niet goed, dan blijft Oma Ria en belt ze Tante Fatima.",
)
VOICES = services.AgreementInput(
    what="Niemand schreeuwt waar Mila bij is. Merkt mama dat ze boos wordt, dan stopt ze het gesprek en gaat ze even de kamer uit.",
    who="Sanne",
    when="Altijd.",
    how_checked="Buurman Kees let op harde stemmen. Hoort hij die, dan belt hij aan.",
    if_it_goes_wrong="Sanne belt Oma Ria of Tante Fatima. Buurman Kees komt langs en doet iets leuks met Mila.",
)
BEAR = services.AgreementInput(
    what="Maakt Mila zich zorgen, dan zet ze haar knuffelbeer voor het raam aan de voorkant.",
    who="Mila. Oma Ria en Buurman Kees kijken of de beer er staat.",
    when="Altijd, ook 's avonds en in het weekend.",
    how_checked="Buurman Kees kijkt elke dag naar het raam als hij langsloopt.",
    if_it_goes_wrong="Wie de beer ziet, belt meteen Sanne en komt langs. De beer gaat alleen samen met Mila terug.",
)
PHONE_CALLS = services.AgreementInput(
    what="Mama belt alleen met Mila's vader als Mila slaapt of niet thuis is.",
    who="Sanne",
    when="Bij elk telefoongesprek met papa.",
    how_checked="Oma Ria vraagt Mila af en toe hoe ze slaapt.",
    if_it_goes_wrong="Belt papa terwijl Mila erbij is, dan zegt Sanne: 'Ik bel je later terug.'",
)
SAFE_OBJECT = ("De knuffelbeer van Mila", "Voor het raam aan de voorkant, in de woonkamer",
               "Bel meteen Sanne. Neemt ze niet op, of klinkt het niet goed? Ga dan direct langs. Oma Ria belt ook "
               "Tante Fatima.")
INFORMING = ("We schrijven in het veiligheidslogboek wat goed ging en wat mis ging. Bij zorgen bellen we elkaar meteen. "
             "Tante Fatima belt iedereen elke zondag even.")


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> PlanVersion:
    """Version 1 (approved) and version 2 (agreed, in force). Returns version 2."""
    now = utcnow()
    chair = users["voorzitter"]
    first = services.start_plan(session, household, chair)
    watchers = [membership_of(session, household.id, users[key].id).id for key in ("veiligheidspersoon", "netwerklid")]
    what, where, action = SAFE_OBJECT
    services.update_safe_object(session, first, what, where, action, watchers, household)
    services.update_details(session, first, INFORMING, (now - timedelta(days=19)).date())
    statements = services.active_statements(session, household.id)  # made by the scales' demo, if it ran first
    for data in (BEDTIME, VISITS, VOICES, BEAR):
        if data is VOICES and statements:
            data = services.AgreementInput(**{**vars(data), "danger_statement_id": statements[0].id})
        services.add_agreement(session, first, data)
    services.agree(session, first, now=now - timedelta(days=33))
    services.record_approval(session, first, "Jeroen Bakker", "jeugdbeschermer", (now - timedelta(days=30)).date(),
                             users["ouder"])
    first.created_at = now - timedelta(days=35)

    second = services.new_version(session, household, chair)
    services.add_agreement(session, second, PHONE_CALLS)
    visits = next(a for a in second.agreements if a.what == VISITS.what)
    services.update_agreement(session, visits, services.AgreementInput(
        **{**vars(VISITS), "how_checked": VISITS.how_checked + " Tante Fatima komt ook één keer per week onverwacht."}))
    services.update_details(session, second, INFORMING, (now + timedelta(days=28)).date())
    services.agree(session, second, now=now - timedelta(days=14))
    second.created_at = now - timedelta(days=19)
    session.flush()
    return second
