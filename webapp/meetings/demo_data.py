"""The demo household's network meetings: six weeks ago chaired by the professional (where the first safety plan was
made), four weeks ago chaired by Tante Fatima with minutes, scores and a decision that became version 2 of the plan,
and the next one in ten days with replies and questions. Fictional; written through the meetings' own services.
Called by webapp.demo, after the scales and the plan."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.households.models import Household
from webapp.meetings import services
from webapp.meetings.models import Meeting, MeetingDecision, PlanChange, Reply
from webapp.safety_plan import services as plan_services
from webapp.safety_scales import services as scales

DEMO_TIMEZONE = ZoneInfo("Europe/Amsterdam")
PLACE = "Bij Sanne thuis, aan de keukentafel"
NETWORK = ["ouder", "veiligheidspersoon", "netwerklid", "voorzitter"]

FIRST = {
    "worries": "Sanne en Mila's vader maken ruzie aan de telefoon terwijl Mila erbij is. Sanne wordt snel boos als ze "
               "moe is of haast heeft.",
    "going_well": "Oma Ria ziet Mila vaak en Mila vertelt haar veel. Buurman Kees wil graag helpen.",
    "next_steps": "We maken samen een eerste veiligheidsplan. Tante Fatima leert het voorzitten van Jeroen.",
    "decisions": ["We schrijven samen een eerste veiligheidsplan met een knuffelbeer als veilig voorwerp.",
                  "Tante Fatima zit het volgende netwerkberaad voor. Jeroen helpt haar voor te bereiden."],
}
SECOND = {
    "worries": "Eén avond ging het mis bij het naar bed gaan. Na telefoontjes met papa slaapt Mila slecht.",
    "going_well": "Sanne belt Oma Ria of Buurman Kees als ze boos wordt. Het ophalen door papa gaat rustig.",
    "next_steps": "Sanne belt alleen met Mila's vader als Mila slaapt. Buurman Kees let extra op bij het naar bed "
                  "gaan. Iedereen schrijft in het logboek.",
    "questions": [("veiligheidspersoon", "Hoe gaan we om met de telefoontjes van Mila's vader?")],
    "scores": [("ouder", 6, ("Deze maand één keer ruzie aan de telefoon. Ik ben naar de keuken gegaan en heb "
                            "Oma Ria gebeld.")),
               ("netwerklid", 5, "Eén avond harde stemmen gehoord. Sanne belde mij daarna zelf.")],
    "decision_plan": "Sanne belt alleen met Mila's vader als Mila slaapt of niet thuis is. Dit komt in het plan.",
    "decision": "Buurman Kees let extra op bij het naar bed gaan en belt aan als hij harde stemmen hoort.",
}
NEXT_QUESTIONS = [
    ("netwerklid", "Mag Mila in de zomervakantie een week bij Oma Ria logeren?"),
    ("ouder", "Hoe houden we de ochtenden rustig als ik vroege diensten heb?"),
]
NEXT_REPLIES = {"ouder": Reply.coming, "veiligheidspersoon": Reply.coming, "voorzitter": Reply.coming}


def _local(now: datetime, days: int, at: str) -> datetime:
    """A local day (days from today, negative is earlier) and time, as naive UTC."""
    today = now.replace(tzinfo=UTC).astimezone(DEMO_TIMEZONE).date()
    local = datetime.combine(today + timedelta(days=days), time.fromisoformat(at), tzinfo=DEMO_TIMEZONE)
    return local.astimezone(UTC).replace(tzinfo=None)


def _plan(session: Session, household: Household, users: dict[str, User], starts_at: datetime,
          chair: str) -> Meeting:
    """Planned a week before it took place, by the chair, about every active danger statement."""
    data = services.MeetingInput(starts_at, 90, PLACE, "", users[chair].id,
                                 [s.id for s in scales.active_statements(session, household.id)],
                                 [users[key].id for key in NETWORK])
    return services.plan_meeting(session, household, users["voorzitter"], data, starts_at - timedelta(days=7))


def _record(session: Session, household: Household, users: dict[str, User], meeting: Meeting, chair: str,
            present: list[str], texts: dict, next_at: datetime | None = None) -> Meeting | None:
    after = meeting.ends_at
    data = services.MinutesInput(users[chair].id, [users[key].id for key in present], texts["worries"],
                                 texts["going_well"], texts["next_steps"], next_at)
    fresh = services.record_minutes(session, meeting, household, users["voorzitter"], data, after)
    meeting.minutes_shared_at = after + timedelta(hours=1)
    return fresh


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> None:
    now = utcnow()
    first = _plan(session, household, users, _local(now, -42, "19:30"), "professional")
    for text in FIRST["decisions"]:
        services.add_decision(session, first, household, users["voorzitter"], services.DecisionInput(text),
                              first.ends_at)
    _record(session, household, users, first, "professional", ["ouder", "veiligheidspersoon", "voorzitter"], FIRST)

    second = _plan(session, household, users, _local(now, -28, "19:30"), "voorzitter")
    for key, text in SECOND["questions"]:
        services.add_question(session, second, users[key], text, second.starts_at - timedelta(days=3))
    upcoming = _record(session, household, users, second, "voorzitter", NETWORK, SECOND, _local(now, 10, "19:30"))
    statement = scales.active_statements(session, household.id)[0]
    for key, score, note in SECOND["scores"]:
        services.add_meeting_score(session, second, household, users[key].id, statement.scale, score, note,
                                   second.ends_at)
    _link_plan_version(session, household, second, SECOND["decision_plan"])
    services.add_decision(session, second, household, users["voorzitter"], services.DecisionInput(SECOND["decision"]),
                          second.ends_at)

    for key, text in NEXT_QUESTIONS:
        services.add_question(session, upcoming, users[key], text, now - timedelta(days=1))
    for key, answer in NEXT_REPLIES.items():
        services.reply(session, upcoming, users[key], answer, now - timedelta(hours=20))
    session.flush()


def _link_plan_version(session: Session, household: Household, meeting: Meeting, text: str) -> None:
    """The plan demo already made version 2 with the phone-call agreement: this meeting decided it."""
    versions = plan_services.all_versions(session, household.id)
    if len(versions) < 2:
        return
    version = versions[1]
    new = next((a for a in version.agreements if a.lineage_id not in {
        b.lineage_id for b in versions[0].agreements}), None)
    meeting.decisions.append(MeetingDecision(
        household_id=household.id, text=text, change=PlanChange.add, proposed_text=new.what if new else "",
        version_id=version.id, created_at=meeting.ends_at))
    version.meeting_id = meeting.id
