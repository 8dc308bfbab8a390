"""The demo household's two danger statements with their goals and scales, scored by the network for about five
months with a slow, realistic rise (and one person who is not convinced yet). Fictional; written through the
scales' own services. Called by webapp.demo."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.households.models import Household
from webapp.safety_scales import services

DEMO_TIMEZONE = ZoneInfo("Europe/Amsterdam")
SCORERS = ["ouder", "veiligheidspersoon", "netwerklid", "voorzitter"]
# Days ago of each round (about monthly), and per scorer how many days later and at what local time they scored.
ROUNDS = [138, 108, 77, 46, 15]
WHEN = {"ouder": (0, "20:30"), "veiligheidspersoon": (1, "19:00"), "netwerklid": (2, "18:15"),
        "voorzitter": (0, "21:15")}

STATEMENTS = [
    {
        "who_is_worried": "Juf Anja van school, Oma Ria en de jeugdbeschermer.",
        "what_adults_do": "Als Sanne en Mila's vader ruzie maken, vaak aan de telefoon, schreeuwen ze en slaan ze met "
                          "deuren. Mila is er dan bij en hoort alles.",
        "worst_case": "Mila wordt bang en verdrietig, slaapt slecht en durft niemand meer te vertellen wat er thuis "
                      "gebeurt. Bij een grote ruzie kan ze gewond raken.",
        "goal": "Sanne en Mila's vader praten alleen met elkaar als Mila slaapt of niet thuis is. Als Sanne boos "
                "wordt, gaat ze naar de keuken en belt ze Oma Ria of Tante Fatima. Mila voelt zich thuis veilig.",
        "scale_name": "Rust als de ouders praten",
        "scores": {
            "ouder": [
                (3, "Twee keer ruzie gehad met Mila's vader aan de telefoon terwijl Mila in de kamer was. Ik heb "
                    "geschreeuwd."),
                (4, "Eén keer ruzie aan de telefoon. Ik ben wel naar de keuken gegaan, maar Mila hoorde het nog."),
                (5, "Ik bel Mila's vader nu pas als Mila slaapt. Eén keer ging het mis toen hij overdag belde."),
                (6, "Deze maand geen ruzie waar Mila bij was. Toen ik boos werd door een bericht, heb ik Tante "
                    "Fatima gebeld."),
                (7, "Alle gesprekken met Mila's vader waren 's avonds, als Mila sliep. Eén keer werd ik boos; ik ben "
                    "naar de keuken gegaan en heb Oma Ria gebeld."),
            ],
            "veiligheidspersoon": [
                (2, "Mila vertelde mij dat papa en mama weer hard schreeuwden aan de telefoon en dat ze onder haar "
                    "deken ging liggen."),
                (3, "Mila zei dat er 'een beetje minder' geschreeuwd wordt. Na telefoontjes met papa slaapt ze nog "
                    "slecht."),
                (5, "Mila vertelde dat mama 'nu in de keuken gaat bellen'. Ze heeft twee weken goed geslapen."),
                (6, "Mila zegt dat het thuis rustig is. Ze vertelde uit zichzelf dat mama 'even stoom afblies bij "
                    "tante Fatima'."),
                (7, "Mila slaapt goed en vertelt dat papa en mama 'gewoon praten'. Ze heeft een tekening gemaakt van "
                    "het hele gezin."),
            ],
            "netwerklid": [
                (3, "Ik hoorde twee avonden harde stemmen door de muur. Eén keer sloeg er een deur."),
                (4, "Eén avond harde stemmen gehoord. Sanne belde mij daarna zelf om te vertellen wat er was."),
                (4, "Ik heb niets meer gehoord door de muur, maar Mila zei bij het kippen voeren dat papa en mama "
                    "boos waren."),
                (6, "Geen harde stemmen meer gehoord. Sanne en Mila waren vrolijk toen ik langskwam met eieren."),
                (6, "Rustig bij de buren. Eén keer hoorde ik Sanne hard praten aan de telefoon, maar Mila was toen "
                    "bij mij de kippen voeren."),
            ],
            "voorzitter": [
                (2, "Bij het ophalen door de vader was er ruzie op de stoep. Mila stond ertussen en huilde."),
                (4, "Het ophalen ging twee keer rustig, omdat ik erbij was. Eén keer werd er toch geschreeuwd in de "
                    "gang."),
                (5, "Drie keer ophalen zonder ruzie. De ouders praten bij de deur alleen over praktische dingen."),
                (6, "Sanne belde mij toen ze boos was, zoals afgesproken. Samen hebben we een rustig antwoord "
                    "bedacht."),
                (7, "Het ophalen gaat nu elke keer rustig. De vader en Sanne groeten elkaar en Mila zwaait gewoon "
                    "gedag."),
            ],
        },
    },
    {
        "who_is_worried": "Oma Ria, Buurman Kees en Sanne zelf.",
        "what_adults_do": "Als Sanne moe is of haast heeft, wordt ze snel boos op Mila. Ze schreeuwt dan hard en pakt "
                          "Mila soms stevig bij de arm.",
        "worst_case": "Mila raakt gewond of wordt bang voor haar moeder. Ze leert dat boos worden en pijn doen bij "
                      "elkaar horen.",
        "goal": "Sanne blijft rustig, ook als ze moe is of haast heeft. Als ze merkt dat ze boos wordt, neemt ze vijf "
                "minuten pauze of belt ze iemand uit het netwerk. Niemand pakt Mila hard vast.",
        "scale_name": "Rustig blijven bij moe en haast",
        "scores": {
            "ouder": [
                (4, "'s Ochtends heb ik twee keer tegen Mila geschreeuwd omdat we te laat waren. Ik heb haar één keer "
                    "hard aan haar arm meegetrokken."),
                (4, "Ik leg nu 's avonds de kleren klaar. Toch één keer geschreeuwd bij het naar bed gaan."),
                (5, "Als ik merk dat ik boos word, zeg ik: 'Mama heeft vijf minuten nodig.' Dat lukte drie keer."),
                (6, "We staan tien minuten eerder op. Deze maand één keer geschreeuwd; ik heb het dezelfde dag "
                    "goedgemaakt met Mila."),
                (6, "Rustige ochtenden. Eén avond was ik heel moe en werd ik boos; ik heb pauze genomen en daarna "
                    "voorgelezen."),
            ],
            "veiligheidspersoon": [
                (3, "Mila had een blauwe plek op haar arm. Ze zei dat mama haar 'heel hard' had vastgepakt toen ze "
                    "niet wilde opschieten."),
                (4, "Geen blauwe plekken gezien. Mila zei dat mama 'nog wel boos wordt bij het tandenpoetsen'."),
                (5, "Mila vertelde dat mama 'even weggaat als ze boos is' en daarna weer lief is."),
                (5, "Mila huilde één keer bij het schoolhek omdat mama boos was. Verder zegt ze dat de ochtenden "
                    "beter gaan."),
                (6, "Mila vertelt dat mama haar niet meer hard vastpakt. Ze logeert graag bij mij, maar wil ook "
                    "graag weer naar huis."),
            ],
            "netwerklid": [
                (2, "Ik zag Sanne op straat Mila aan haar arm meetrekken naar de auto. Mila huilde."),
                (3, "Eén keer hoorde ik 's ochtends schreeuwen. Ik heb aangebeld en gevraagd of Mila mee wilde lopen "
                    "naar school."),
                (4, "Twee rustige ochtenden gezien toen ik de hond uitliet. Eén keer was Sanne erg gehaast en "
                    "kortaf tegen Mila."),
                (5, "Ik zie Sanne en Mila 's ochtends samen fietsen. Eén keer hoorde ik Sanne hard roepen dat Mila "
                    "moest opschieten."),
                (5, "Het gaat beter, maar vorige week hoorde ik weer schreeuwen bij het naar bed gaan. Ik heb niet "
                    "aangebeld."),
            ],
            "voorzitter": [
                (3, "Sanne vertelde zelf dat ze 's avonds vaak ontploft als Mila niet naar bed wil."),
                (4, "Sanne heeft een schema voor de ochtend op de koelkast gehangen. Ze zegt dat het helpt, maar niet "
                    "elke dag."),
                (5, "In het netwerkberaad vertelde Sanne eerlijk over één avond waarop het misging. Ze had daarna "
                    "wel Oma Ria gebeld."),
                (6, "Sanne gebruikt de vijf-minuten-pauze. Ze belde mij één keer 's avonds toen ze heel moe was."),
                (6, "Sanne houdt zich aan de pauze-afspraak en vertelt zelf wanneer het bijna misging. Dat is een "
                    "grote stap."),
            ],
        },
    },
]


def _local(now: datetime, days_ago: int, at: str) -> datetime:
    """A local day and time, as naive UTC (how scores are stored); never later than now."""
    today = now.replace(tzinfo=timezone.utc).astimezone(DEMO_TIMEZONE).date()
    local = datetime.combine(today - timedelta(days=days_ago), time.fromisoformat(at), tzinfo=DEMO_TIMEZONE)
    return min(local.astimezone(timezone.utc).replace(tzinfo=None), now)


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> None:
    """Two danger statements with goals and scales, each scored five times by four people of the network. The
    household's phase is left as it is."""
    now = utcnow()
    for item in STATEMENTS:
        data = services.StatementInput(item["who_is_worried"], item["what_adults_do"], item["worst_case"],
                                       item["goal"], item["scale_name"])
        statement = services.add_statement(session, household, users["voorzitter"], data,
                                           _local(now, ROUNDS[0] + 7, "20:00"))
        for scorer in SCORERS:
            later, at = WHEN[scorer]
            for days_ago, (score, note) in zip(ROUNDS, item["scores"][scorer]):
                services.add_score(session, statement.scale, users[scorer], score, note,
                                   _local(now, days_ago - later, at))
    session.flush()
