"""The preparation pack counts what happened since the previous meeting, and only that: log entries per kind and the
highlights, signals with who answered and how fast, agreements kept or not, filled calendar days, scale scores and
their trend, and the members' questions; the agenda follows the method."""
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.meetings.conftest import plan, statement
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.meetings import pack, services
from webapp.resilience_calendar.models import ResilienceElement
from webapp.resilience_calendar.services import ActivityInput, add_activity
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import (
    NewEntry,
    toggle_highlight,
    withdraw_entry,
    write_entry,
)
from webapp.safety_plan import services as plan_services
from webapp.safety_scales.services import add_score
from webapp.signals.models import AckKind, SignalSource
from webapp.signals.services import acknowledge, raise_signal

TZ = ZoneInfo("Europe/Amsterdam")
K = EntryKind


@dataclass
class Seeded:
    previous: object
    meeting: object
    statement: object
    agreements: dict


def _entry(app, family, who, kind, days_ago, now, agreement=None, number=[0]):  # noqa: B006 (a counter)
    number[0] += 1
    entry, _ = write_entry(db.session, app.instance_path, family.household, family.users[who], f"pack-{number[0]:04d}",
                           NewEntry(kind=kind, occurred_at=now - timedelta(days=days_ago), what_happened=f"{kind} {days_ago}",
                                    agreement_id=agreement))
    return entry


def _signal(family, days_ago, now, answer_after=None, number=[0]):  # noqa: B006 (a counter)
    number[0] += 1
    when = now - timedelta(days=days_ago)
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], f"pack-signal-{number[0]}",
                             SignalSource.safe_object, "", when, 0)
    if answer_after is not None:
        acknowledge(db.session, signal, family.users["safety_person"], AckKind.going,
                    signal.send_at + timedelta(minutes=answer_after))
    return signal


def seed(app, family) -> Seeded:
    now = utcnow()
    family.household.created_at = now - timedelta(days=120)
    calm = statement(family)
    version = plan_services.start_plan(db.session, family.household, family.users["chair"])
    made = {what: plan_services.add_agreement(db.session, version, plan_services.AgreementInput(what))
            for what in ("Bedtime at half past seven", "Grandma visits", "Ned checks the window")}
    plan_services.agree(db.session, version)
    agreements = {what: a.lineage_id for what, a in made.items()}
    previous = plan(family, now - timedelta(days=30))
    meeting = plan(family, now + timedelta(days=7), topics=[calm])
    # Before the previous meeting: never counted.
    _entry(app, family, "household_member", K.went_well, 40, now)
    _entry(app, family, "household_member", K.went_wrong, 35, now, agreements["Grandma visits"])
    _signal(family, 40, now, answer_after=1)
    add_score(db.session, calm.scale, family.users["safety_person"], 4, "Shouting twice", now - timedelta(days=40))
    add_score(db.session, calm.scale, family.users["chair"], 5, "Shouting once", now - timedelta(days=40))
    # Since then.
    for kind, days, agreement in [(K.went_well, 20, "Bedtime at half past seven"), (K.went_well, 12, None),
                                  (K.went_well, 3, None), (K.went_wrong, 15, "Grandma visits"),
                                  (K.calm_moment, 10, None), (K.calm_moment, 4, None), (K.nearly_wrong, 8, None)]:
        entry = _entry(app, family, "household_member", kind, days, now, agreements.get(agreement))
        if days in (15, 20):
            toggle_highlight(db.session, entry, family.users["chair"])
    withdraw_entry(db.session, _entry(app, family, "network_member", K.went_wrong, 6, now), family.users["network_member"])
    _signal(family, 14, now, answer_after=2)
    _signal(family, 9, now, answer_after=None)
    add_score(db.session, calm.scale, family.users["safety_person"], 6, "Calm week", now - timedelta(days=10))
    add_score(db.session, calm.scale, family.users["chair"], 7, "Calm pick-up", now - timedelta(days=5))
    day = (now - timedelta(days=6)).replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ).date()
    add_activity(db.session, family.household, family.users["household_member"],
                 ActivityInput(day, "A full day", set(ResilienceElement), part_of_day=None))
    services.add_question(db.session, meeting, family.users["network_member"], "Weekends at dad's?", now)
    services.add_question(db.session, meeting, family.users["safety_person"], "School holidays", now)
    db.session.commit()
    return Seeded(previous, meeting, calm, agreements)


def test_the_pack_counts_only_what_happened_since_the_previous_meeting(app, family):
    seeded = seed(app, family)
    result = pack.build(db.session, family.household, seeded.meeting, utcnow(), TZ, with_signals=True)
    assert result.previous == seeded.previous and result.period.start == seeded.previous.starts_at
    assert result.log.total == 7  # the withdrawn entry and the older ones are left out
    assert result.log.per_kind[K.went_well] == 3 and result.log.per_kind[K.went_wrong] == 1
    assert result.log.per_kind[K.calm_moment] == 2 and result.log.per_kind[K.nearly_wrong] == 1
    assert result.log.per_kind[K.child_message] == 0
    assert sorted(e.kind for e in result.log.highlights) == [K.went_well, K.went_wrong]
    assert result.signals.count == 2 and result.signals.answered == 1
    assert result.signals.median_minutes == 2
    answered = [i for i in result.signals.items if i.responders]
    assert [(r.name, r.minutes) for r in answered[0].responders] == [("Grandma Gwen", 2)]
    states = {c.agreement.what: c.state for c in result.agreements}
    assert states == {"Bedtime at half past seven": "kept", "Grandma visits": "not_kept",
                      "Ned checks the window": "unclear"}
    assert result.calendar.filled_days == 1 and result.calendar.days >= 30
    [trend] = result.scales
    assert trend.median_now == 6.5 and trend.median_before == 4.5 and trend.direction == "up"
    assert trend.scores_in_period == 2


def test_the_agenda_follows_the_method(app, family):
    seeded = seed(app, family)
    agenda = pack.build(db.session, family.household, seeded.meeting, utcnow(), TZ, with_signals=True).agenda
    assert [s.id for s in agenda.topics] == [seeded.statement.id]
    assert [e.kind for e in agenda.worrying_entries] == [K.went_wrong]
    assert [c.agreement.what for c in agenda.not_kept] == ["Grandma visits"]
    assert [e.kind for e in agenda.good_entries] == [K.went_well]
    assert [c.agreement.what for c in agenda.kept] == ["Bedtime at half past seven"]
    assert [q.text for q in agenda.questions] == ["Weekends at dad's?", "School holidays"]
    assert [c.agreement.what for c in agenda.unclear] == ["Ned checks the window"]
    assert [t.statement.id for t in agenda.scales] == [seeded.statement.id]


def test_a_pack_without_signals_for_someone_hidden_from_them_and_a_first_meeting_counts_from_the_start(app, family):
    seeded = seed(app, family)
    result = pack.build(db.session, family.household, seeded.previous, utcnow(), TZ, with_signals=False)
    assert result.signals is None
    assert result.previous is None and result.period.start == family.household.created_at
    assert result.period.end == seeded.previous.starts_at  # it shows what that meeting had to go on
    assert result.log.total == 2
