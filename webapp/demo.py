"""The fictional demo household "Familie Demo", for trying Kring out. Only used in demo mode."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.auth.services import create_user
from webapp.households.models import AgeBand, Child, ChildColour, Household, Phase, Role
from webapp.households.services import add_member, membership_of
from webapp.drills import demo_data as drills_demo
from webapp.genogram import demo_data as genogram_demo
from webapp.three_houses import demo_data as houses_demo
from webapp.meetings import demo_data as meetings_demo
from webapp.professionals import demo_data as professionals_demo
from webapp.resilience_calendar import services as calendar
from webapp.resilience_calendar.models import PartOfDay, ResilienceElement
from webapp.safety_log import services as log
from webapp.safety_log.models import EntryKind
from webapp.safety_circle import demo_data as circle_demo
from webapp.safety_plan import demo_data as plan_demo
from webapp.safety_scales import demo_data as scales_demo, services as scales_services
from webapp.signals import services as signals
from webapp.signals.models import AckKind, DeliveryStatus, SignalSource
from webapp.words_pictures import demo_data as books_demo

DEMO_PASSWORD = "kring-demo"
HOUSEHOLD_NAME = "Familie Demo"
DEMO_TIMEZONE = ZoneInfo("Europe/Amsterdam")
CHILD = ("Mila", AgeBand.age_7_9, ChildColour.purple)
STARTED_DAYS_AGO = 150  # the scales go back five months
DIRECT_SAFETY_DAYS_AGO = 41  # the day after the first network meeting

# (username, display name, phone, roles). Mila, the child, is a household record without a sign-in (CHILD).
PEOPLE = [
    ("ouder", "Sanne de Vries", "0612345678", {Role.household_member}),
    ("veiligheidspersoon", "Oma Ria", "0623456789", {Role.safety_person}),
    ("netwerklid", "Buurman Kees", "0634567890", {Role.network_member}),
    ("voorzitter", "Tante Fatima", "0645678901", {Role.chair, Role.network_member}),
    ("professional", "Jeroen Bakker", None, {Role.professional}),
]


@dataclass
class DemoEntry:
    days_ago: int
    at: str  # local time "HH:MM", or "now" for an entry of a moment ago
    kind: EntryKind
    author: str  # a username, or "Mila" for the child (written on the phone of 'ouder')
    what_happened: str
    what_was_done: str = ""
    child_mood: int | None = None
    pictogram: str | None = None
    highlight: bool = False  # marked by the chair for the next network meeting
    first_version: tuple[str, str] | None = None  # (what_happened, what_was_done) before a correction


K = EntryKind
# About five weeks of a household in the direct-safety phase: mostly ordinary days, some tense
# moments and what people did about them, and how Mila is doing. Fictional; any likeness is chance.
LOG = [
    DemoEntry(33, "19:30", K.nearly_wrong, "ouder",
              "Na een telefoontje met Mila's vader was ik heel boos. Ik merkte dat ik ging schreeuwen terwijl Mila erbij was.",
              "Ik ben naar de keuken gegaan en heb Oma Ria gebeld, zoals in het plan staat. Na tien minuten was ik rustig. "
              "Daarna heb ik tegen Mila gezegd dat het niet aan haar lag."),
    DemoEntry(32, "16:00", K.calm_moment, "veiligheidspersoon",
              "Mila kwam na school bij mij. We hebben samen koekjes gebakken en ze vertelde over haar vriendin Noor.",
              child_mood=4),
    DemoEntry(30, "08:15", K.went_well, "ouder",
              "De ochtend ging rustig. Mila was op tijd klaar voor school en we hebben samen ontbeten.",
              "Ik had 's avonds de tas en de kleren al klaargelegd. Daardoor was er geen haast."),
    DemoEntry(29, "17:45", K.child_wellbeing, "netwerklid",
              "Mila speelde buiten met de buurkinderen. Ze lachte veel en zwaaide naar mij.", child_mood=4),
    DemoEntry(27, "20:10", K.went_wrong, "ouder",
              "Bij het naar bed gaan werd het ruzie. Ik heb hard geschreeuwd en een deur dichtgeslagen. Mila moest huilen.",
              "Ik heb Buurman Kees gebeld. Hij kwam langs en bleef even bij Mila. Later heb ik sorry gezegd tegen Mila "
              "en haar voorgelezen.", child_mood=2, highlight=True),
    DemoEntry(27, "20:45", K.went_well, "netwerklid",
              "Sanne belde mij om kwart over acht, zoals we hadden afgesproken. Ik ben meteen gegaan.",
              "Ik heb met Mila een spelletje gedaan tot Sanne rustig was. Daarna hebben ze samen gepraat en is Mila "
              "gaan slapen."),
    DemoEntry(26, "15:30", K.child_message, "Mila", "Ik was gisteren verdrietig. Nu gaat het weer beter.",
              pictogram="sad"),
    DemoEntry(24, "18:00", K.calm_moment, "ouder",
              "We hebben samen pannenkoeken gebakken. Mila mocht ze zelf omdraaien.", child_mood=5),
    DemoEntry(22, "10:00", K.went_well, "voorzitter",
              "Vandaag ging Mila naar haar vader. Het ophalen ging zonder ruzie.",
              "Ik was erbij, zoals afgesproken. Sanne en de vader praatten alleen over praktische dingen. Mila kon "
              "rustig gedag zeggen."),
    DemoEntry(20, "16:30", K.child_wellbeing, "veiligheidspersoon",
              "Mila vertelde dat ze slecht slaapt als mama en papa ruzie maken aan de telefoon.",
              "Ik heb gezegd dat ze het altijd aan mij mag vertellen. Met Sanne heb ik afgesproken dat zij die "
              "gesprekken voert als Mila slaapt of niet thuis is.", child_mood=3, highlight=True),
    DemoEntry(18, "21:00", K.nearly_wrong, "ouder",
              "Ik had een zware dag op mijn werk en was erg moe. Mila wilde niet naar bed en ik voelde dat ik boos werd.",
              "Ik heb diep ademgehaald en gezegd: 'Mama heeft even vijf minuten nodig.' Daarna ging het beter. Mila "
              "sliep om half negen."),
    DemoEntry(16, "12:00", K.went_well, "netwerklid",
              "Deze week elke dag even gekeken of konijn Flap op de vensterbank stond. Hij stond er niet: alles rustig.",
              "Eén keer ben ik even koffie gaan drinken. Sanne en Mila waren vrolijk."),
    DemoEntry(14, "19:00", K.calm_moment, "veiligheidspersoon",
              "Mila heeft bij mij gelogeerd. We hebben een film gekeken onder een dekentje.", child_mood=5),
    DemoEntry(12, "08:30", K.went_wrong, "ouder",
              "Ik was te laat wakker. In de haast heb ik tegen Mila geschreeuwd dat ze moest opschieten. Ze huilde bij "
              "het hek van school.",
              "Ik heb juf Anja gevraagd even op Mila te letten. 's Middags heb ik het met Mila goedgemaakt en uitgelegd "
              "dat mama fout zat. Ik zet nu twee wekkers.",
              first_version=("Ik was te laat wakker en heb tegen Mila geschreeuwd.", "Ik heb het later goedgemaakt.")),
    DemoEntry(10, "17:00", K.child_wellbeing, "ouder",
              "Mila kreeg een sticker van de juf, omdat ze goed had geholpen in de klas. Ze was heel trots.", child_mood=5),
    DemoEntry(10, "17:30", K.child_message, "Mila", "Ik heb een sticker gekregen!", pictogram="happy"),
    DemoEntry(7, "20:30", K.went_well, "voorzitter",
              "Sanne belde mij toen ze boos werd door een bericht van Mila's vader. Ze wilde eerst even stoom afblazen.",
              "Ik heb geluisterd. Samen hebben we een kort en rustig antwoord bedacht. Mila lag al te slapen."),
    DemoEntry(5, "18:30", K.nearly_wrong, "netwerklid",
              "Ik hoorde harde stemmen bij de buren. Het was Sanne aan de telefoon.",
              "Ik heb aangebeld en gevraagd of Mila mee wilde om de kippen te voeren. Toen we terugkwamen, was Sanne "
              "rustig. Ze zei dat ze blij was dat ik kwam.", child_mood=3),
    DemoEntry(3, "15:45", K.calm_moment, "ouder",
              "Samen naar de speeltuin gefietst. Mila durfde voor het eerst van de hoge glijbaan.", child_mood=5),
    DemoEntry(2, "19:00", K.child_wellbeing, "veiligheidspersoon",
              "Mila vertelde aan de telefoon dat het thuis goed gaat en dat ze beter slaapt.",
              "Ik heb gezegd dat ik trots op haar ben. We bellen nu elke dinsdag even.", child_mood=4),
    DemoEntry(1, "08:00", K.went_well, "ouder",
              "Rustige ochtend. Mila heeft zelf haar brood gesmeerd.",
              "We staan tien minuten eerder op. Dat helpt echt."),
    DemoEntry(0, "now", K.calm_moment, "veiligheidspersoon",
              "Mila belde mij zomaar op om te vertellen dat ze een tekening voor mij heeft gemaakt. Ze klonk vrolijk.",
              child_mood=5),
]


def seed(session: Session, instance_path: str | None = None) -> bool:
    """Make the demo household unless it is there already. Returns whether it was made.

    `instance_path` is where the safety log keeps pictures (default: the current app's instance folder).
    """
    if session.scalar(select(User.id).where(User.username == "ouder")) is not None:
        return False
    # Five months in Kring: it started getting aligned, and went on to direct safety after the first network meeting.
    household = Household(name=HOUSEHOLD_NAME, phase=Phase.alignment, created_at=utcnow() - timedelta(days=STARTED_DAYS_AGO))
    session.add(household)
    users = {}
    for username, name, phone, roles in PEOPLE:
        user = create_user(session, name, username, DEMO_PASSWORD if username else None, locale="nl")
        user.phone = phone
        user.email = f"{username}@example.org" if username else None
        add_member(session, household, user, roles)
        users[username] = user
    session.flush()
    scales_services.move_phase(session, household, users["voorzitter"], Phase.direct_safety,
                               "Na het eerste netwerkberaad: het eerste veiligheidsplan staat.",
                               utcnow() - timedelta(days=DIRECT_SAFETY_DAYS_AGO))
    name, age_band, colour = CHILD
    mila = Child(household_id=household.id, first_name=name, age_band=age_band, colour=colour,
                 created_by=users["ouder"], created_at=utcnow() - timedelta(days=40))
    session.add(mila)
    session.flush()
    _write_log(session, instance_path or current_app.instance_path, household, users, mila)
    _plan_calendar(session, household, users, mila)
    scales_demo.seed_demo(session, household, users)  # before the plan: an agreement answers a danger statement
    plan_demo.seed_demo(session, household, users)
    books_demo.seed_demo(session, mila, instance_path or current_app.instance_path)
    _signals(session, instance_path or current_app.instance_path, household, users, mila)
    professionals_demo.seed_demo(session, household, users)
    meetings_demo.seed_demo(session, household, users)
    circle_demo.seed_demo(session, household, users)
    genogram_demo.seed_demo(session, household, users, mila)
    drills_demo.seed_demo(session, household, users)
    houses_demo.seed_demo(session, mila, users, instance_path or current_app.instance_path)
    return True


# (days ago, local time, source, raised by, note, ring-1 answer after seconds, who answered, how, outcome)
DEMO_SIGNALS = [
    (26, "19:40", SignalSource.child, "ouder", "", 70, "veiligheidspersoon", AckKind.going,
     "Oma Ria kwam langs. Mila was bang na ruzie tussen papa en mama. Oma bleef tot Mila sliep."),
    (12, "17:15", SignalSource.safe_object, "veiligheidspersoon", "De beer staat voor het raam.", 230,
     "netwerklid", AckKind.calling, "Kees belde Sanne. Het was rustig, Mila had de beer per ongeluk verzet."),
]


def _signals(session: Session, instance_path: str, household: Household, users: dict[str, User],
             mila: Child) -> None:
    """An alert plan (Kees in ring 2) and two past signals with their answers, through the signals' services."""
    signals.set_ring(session, membership_of(session, household.id, users["netwerklid"].id), 2)
    now = utcnow()
    for number, (days, at, source, raiser, note, after, responder, kind, outcome) in enumerate(DEMO_SIGNALS, 1):
        when = _occurred_at(DemoEntry(days, at, EntryKind.nearly_wrong, raiser, ""), now)
        signal, _created = signals.raise_signal(session, household, users[raiser], f"demo-signal-{number}", source,
                                                note, when, 5, child=mila if source == SignalSource.child else None)
        if after > household.escalate_after_minutes * 60:
            signals.escalate(session, signal.id, signal.next_escalation_at)
        for d in signal.deliveries:  # these went out long ago
            d.status, d.attempts, d.sent_at = DeliveryStatus.sent, 1, signal.send_at + timedelta(seconds=2)
        signals.acknowledge(session, signal, users[responder], kind, signal.send_at + timedelta(seconds=after))
        signals.close_with_outcome(session, instance_path, signal, users[responder], outcome, "nearly_wrong",
                                   signal.send_at + timedelta(minutes=25))


def _occurred_at(item: DemoEntry, now: datetime) -> datetime:
    """The entry's local day and time as naive UTC, as the log stores it; 'now' means an hour and a half ago."""
    if item.at == "now":
        return now - timedelta(minutes=90)
    today = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(DEMO_TIMEZONE).date()
    hour, minute = map(int, item.at.split(":"))
    local = datetime.combine(today - timedelta(days=item.days_ago), time(hour, minute), tzinfo=DEMO_TIMEZONE)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _write_log(session: Session, instance_path: str, household: Household, users: dict[str, User],
               mila: Child) -> None:
    """The demo's safety log, written through the log's own services so that it is like real use."""
    now = utcnow()
    for number, item in enumerate(LOG, start=1):
        by_child = item.author == "Mila"
        author = users["ouder"] if by_child else users[item.author]
        when = _occurred_at(item, now)
        happened, done = item.first_version or (item.what_happened, item.what_was_done)
        new = log.NewEntry(kind=item.kind, occurred_at=when, what_happened=happened, what_was_done=done,
                           child_mood=item.child_mood, pictogram=item.pictogram)
        entry, _ = log.write_entry(session, instance_path, household, author, f"demo-entry-{number:02d}", new,
                                   recorded_by=users["ouder"] if by_child else None, child=mila if by_child else None)
        # Written down soon after it happened, not all at the moment the demo was made.
        entry.created_at = min(when + timedelta(minutes=25), now)
        if item.first_version:
            log.correct_entry(session, entry, author, item.kind, when, item.what_happened, item.what_was_done,
                              item.child_mood)
            corrected_at = min(entry.created_at + timedelta(days=1, hours=2), now)
            entry.versions[-1].replaced_at = entry.updated_at = corrected_at
        if item.highlight:
            log.toggle_highlight(session, entry, users["voorzitter"])
    session.flush()


# --- resilience calendar ---------------------------------------------------------------------------

@dataclass
class DemoActivity:
    key: str  # to leave it out of a week, see CALENDAR_GAPS
    when: str | PartOfDay  # local "HH:MM" or "HH:MM-HH:MM", or a part of the day
    description: str
    elements: set[ResilienceElement]
    with_whom: str = ""
    planner: str = "ouder"  # username of who put it in the calendar


E = ResilienceElement
_SCHOOL_DAY = [
    DemoActivity("breakfast", "07:15-07:45", "Samen ontbijten", {E.healthy_food, E.loving_contact}, "Sanne en Mila"),
    DemoActivity("cycle", "08:15-08:35", "Op de fiets naar school", {E.exercise, E.outdoors}, "Sanne en Mila"),
    DemoActivity("read", "19:00-19:30", "Voorlezen voor het slapen", {E.mindfulness, E.loving_contact}, "Sanne en Mila"),
    DemoActivity("lights", "19:30", "Licht uit om half acht", {E.sleep}, "Mila"),
]
# Monday is 0. Swimming on Wednesday is planned once as a weekly activity (see _plan_calendar).
ROUTINE: dict[int, list[DemoActivity]] = {
    0: _SCHOOL_DAY,
    1: _SCHOOL_DAY + [DemoActivity("playground", "15:30-17:00", "Naar de speeltuin", {E.outdoors, E.exercise, E.loving_contact},
                                   "Mila met Oma Ria", planner="veiligheidspersoon")],
    2: _SCHOOL_DAY,
    3: _SCHOOL_DAY + [DemoActivity("fruit", PartOfDay.afternoon, "Fruit eten na school", {E.healthy_food}, "Mila")],
    4: _SCHOOL_DAY + [DemoActivity("soup", "17:30-18:15", "Samen groentesoep koken", {E.healthy_food, E.loving_contact},
                                   "Sanne en Mila")],
    5: [
        DemoActivity("breakfast", "09:00-09:30", "Ontbijten met fruit", {E.healthy_food, E.loving_contact}, "Sanne en Mila"),
        DemoActivity("play", PartOfDay.afternoon, "Buiten spelen met de buurkinderen", {E.outdoors, E.exercise},
                     "Mila, Buurman Kees kijkt mee", planner="netwerklid"),
        DemoActivity("puzzle", "18:30-19:15", "Samen een puzzel maken", {E.mindfulness, E.loving_contact}, "Sanne en Mila"),
        DemoActivity("lights", "20:00", "Licht uit om acht uur", {E.sleep}, "Mila"),
    ],
    6: [
        DemoActivity("woods", "10:30-12:00", "Wandeling in het bos", {E.outdoors, E.exercise, E.loving_contact},
                     "Sanne, Mila en Oma Ria"),
        DemoActivity("dinner", "17:30-18:15", "Samen eten met veel groente", {E.healthy_food, E.loving_contact},
                     "Sanne en Mila"),
        DemoActivity("colour", "18:45-19:15", "Kleuren met rustige muziek", {E.mindfulness}, "Mila"),
        DemoActivity("lights", "19:30", "Licht uit om half acht", {E.sleep}, "Mila"),
    ],
}
# What was not in the calendar, per week (0 = this week) and day: the family started four weeks ago
# and planned more every week, so the number of filled days rises (1, 2, 3, 4, then 5 this week).
CALENDAR_GAPS: dict[int, dict[int, set[str]]] = {
    4: {0: {"read"}, 1: {"read", "playground"}, 2: {"read", "cycle"}, 3: {"read"}, 4: {"read", "soup"},
        5: {"puzzle", "play"}},
    3: {0: {"read"}, 1: {"read"}, 3: {"read", "cycle"}, 4: {"read"}, 5: {"puzzle"}},
    2: {0: {"cycle"}, 3: {"read"}, 4: {"lights"}, 6: {"colour"}},
    1: {2: {"read"}, 4: {"cycle"}, 5: {"puzzle"}},
    0: {3: {"cycle"}, 5: {"play"}},  # a rainy Thursday, and a birthday on Saturday instead of playing outside
}
# What happened instead, this week only.
CALENDAR_EXTRAS: dict[tuple[int, int], list[DemoActivity]] = {
    (0, 3): [DemoActivity("dance", "16:00-16:30", "Dansen in de woonkamer", {E.exercise}, "Sanne en Mila")],
    (0, 5): [DemoActivity("party", "14:00-17:00", "Verjaardag van neef Daan", {E.loving_contact},
                          "Sanne, Mila en Tante Fatima", planner="voorzitter")],
}
SWIMMING = DemoActivity("swimming", "14:00-15:00", "Zwemles", {E.exercise}, "Mila, Tante Fatima brengt haar",
                        planner="voorzitter")
WEEKS_BACK = 4


def _activity_input(item: DemoActivity, day: date) -> calendar.ActivityInput:
    if isinstance(item.when, PartOfDay):
        return calendar.ActivityInput(day, item.description, set(item.elements), part_of_day=item.when,
                                      with_whom=item.with_whom)
    start, _, end = item.when.partition("-")
    return calendar.ActivityInput(day, item.description, set(item.elements), start_time=time.fromisoformat(start),
                                  end_time=time.fromisoformat(end) if end else None, with_whom=item.with_whom)


def _plan_calendar(session: Session, household: Household, users: dict[str, User], mila: Child) -> None:
    """The demo's resilience calendar: this week mostly filled and four earlier weeks, planned through the
    calendar's own services; Mila added one thing herself today."""
    today = utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(DEMO_TIMEZONE).date()
    this_monday = calendar.monday_of(today)
    for weeks_ago in range(WEEKS_BACK, -1, -1):
        monday = this_monday - timedelta(weeks=weeks_ago)
        for weekday, items in ROUTINE.items():
            skipped = CALENDAR_GAPS.get(weeks_ago, {}).get(weekday, set())
            day = monday + timedelta(days=weekday)
            for item in [i for i in items if i.key not in skipped] + CALENDAR_EXTRAS.get((weeks_ago, weekday), []):
                calendar.add_activity(session, household, users[item.planner], _activity_input(item, day))
    first_wednesday = this_monday - timedelta(weeks=WEEKS_BACK) + timedelta(days=2)
    calendar.add_activity(session, household, users[SWIMMING.planner], _activity_input(SWIMMING, first_wednesday),
                          repeat_weekly=True)
    # Mila tapped "I ate fruit or vegetables" in the child view, on her mother's phone.
    calendar.add_activity(session, household, users["ouder"], calendar.ActivityInput(
        today, "Ik heb fruit of groente gegeten", {E.healthy_food}, part_of_day=PartOfDay.afternoon), by_child=True, child=mila)
