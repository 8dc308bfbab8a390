"""The figures a meeting pack and a professional's summary show, computed from seeded records."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from webapp import evidence
from webapp.evidence import Period
from webapp.extensions import db
from webapp.notify.models import PushSubscription
from webapp.resilience_calendar.models import ResilienceElement
from webapp.resilience_calendar.services import ActivityInput, add_activity
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, toggle_highlight, withdraw_entry, write_entry
from webapp.safety_plan import services as plan
from webapp.safety_scales.services import StatementInput, add_score, add_statement
from webapp.signals.models import AckKind, SignalSource
from webapp.signals.services import acknowledge, raise_signal, undo

TZ = ZoneInfo("Europe/Amsterdam")
# Monday 2 November 2026 00:00 to Monday 16 November 2026 00:00, Amsterdam time (UTC+1).
PERIOD = Period(datetime(2026, 11, 1, 23), datetime(2026, 11, 15, 23))


def _entry(app, family, who, kind, at, client_id, agreement_id=None):
    entry, _ = write_entry(db.session, app.instance_path, family.household, family.users[who], client_id,
                           NewEntry(kind=kind, occurred_at=at, what_happened="Something", agreement_id=agreement_id))
    return entry


def test_log_counts_per_kind_and_week_leave_out_withdrawn_and_other_periods(app, family):
    _entry(app, family, "household_member", EntryKind.went_well, datetime(2026, 11, 2, 8), "a")
    _entry(app, family, "safety_person", EntryKind.went_well, datetime(2026, 11, 3, 8), "b")
    wrong = _entry(app, family, "household_member", EntryKind.went_wrong, datetime(2026, 11, 10, 19), "c")
    gone = _entry(app, family, "household_member", EntryKind.calm_moment, datetime(2026, 11, 11, 8), "d")
    _entry(app, family, "household_member", EntryKind.calm_moment, datetime(2026, 11, 1, 22), "before")  # Sunday
    _entry(app, family, "household_member", EntryKind.calm_moment, datetime(2026, 11, 15, 23), "after")
    withdraw_entry(db.session, gone, family.users["household_member"])
    toggle_highlight(db.session, wrong, family.users["chair"])
    db.session.commit()

    activity = evidence.log_activity(db.session, family.household, PERIOD, TZ)

    assert activity.total == 3
    assert activity.per_kind[EntryKind.went_well] == 2
    assert activity.per_kind[EntryKind.went_wrong] == 1
    assert activity.per_kind[EntryKind.calm_moment] == 0
    assert activity.per_week == [(date(2026, 11, 2), 2), (date(2026, 11, 9), 1)]
    assert [e.id for e in activity.highlights] == [wrong.id]


def _signal(family, client_id, at, undo_seconds=0):
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], client_id,
                             SignalSource.safe_object, "", at, undo_seconds)
    return signal


def test_signal_response_times_from_when_the_alert_went_out(family):
    first = _signal(family, "s1", datetime(2026, 11, 3, 18))
    acknowledge(db.session, first, family.users["safety_person"], AckKind.going, datetime(2026, 11, 3, 18, 4))
    acknowledge(db.session, first, family.users["network_member"], AckKind.calling, datetime(2026, 11, 3, 18, 9))
    second = _signal(family, "s2", datetime(2026, 11, 5, 18))
    acknowledge(db.session, second, family.users["chair"], AckKind.going, datetime(2026, 11, 5, 18, 10))
    _signal(family, "s3", datetime(2026, 11, 7, 18))  # nobody answered
    fourth = _signal(family, "s4", datetime(2026, 11, 8, 18), undo_seconds=10)
    undo(db.session, fourth, family.users["household_member"], datetime(2026, 11, 8, 18))
    _signal(family, "old", datetime(2026, 10, 1, 18))
    db.session.commit()

    responses = evidence.signal_responses(db.session, family.household, PERIOD)

    assert responses.count == 3 and responses.answered == 2 and responses.unanswered == 1
    assert responses.median_minutes == 7
    assert responses.longest_minutes == 10
    assert [(r.name, r.kind, r.minutes) for r in responses.items[0].responders] == [
        ("Grandma Gwen", AckKind.going, 4), ("Neighbour Ned", AckKind.calling, 9)]


def test_calendar_counts_days_with_all_six_elements(family):
    member = family.users["household_member"]
    for day in (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 10)):
        add_activity(db.session, family.household, member, ActivityInput(day, "All day", set(ResilienceElement)))
    add_activity(db.session, family.household, member, ActivityInput(
        date(2026, 11, 4), "Only food", {ResilienceElement.healthy_food}))
    add_activity(db.session, family.household, member, ActivityInput(date(2026, 11, 20), "Later", set(ResilienceElement)))
    db.session.commit()

    filled = evidence.calendar_filled(db.session, family.household, PERIOD, TZ)

    assert (filled.filled_days, filled.days) == (3, 14)
    assert filled.per_week == [(date(2026, 11, 2), 2), (date(2026, 11, 9), 1)]


def test_scale_trend_compares_the_start_of_the_period_with_now(family):
    statement = add_statement(db.session, family.household, family.users["chair"], StatementInput(
        "The school", "Shouting at bedtime", "Mila gets scared", "Calm evenings", "Calm evenings"),
        datetime(2026, 10, 1))
    scale = statement.scale
    add_score(db.session, scale, family.users["safety_person"], 3, "Shouting twice", datetime(2026, 10, 20))
    add_score(db.session, scale, family.users["network_member"], 5, "Calmer", datetime(2026, 10, 21))
    add_score(db.session, scale, family.users["safety_person"], 6, "Calm all week", datetime(2026, 11, 9))
    add_score(db.session, scale, family.users["chair"], 7, "Calm", datetime(2026, 11, 10))
    add_score(db.session, scale, family.users["chair"], 9, "After the period", datetime(2026, 11, 20))
    db.session.commit()

    [trend] = evidence.scale_trends(db.session, family.household, PERIOD)

    assert trend.median_before == 4
    assert trend.median_now == 6  # 6 (Gwen), 5 (Ned), 7 (Chris): the score after the period is not counted
    assert trend.direction == "up"
    assert trend.scores_in_period == 2


def test_agreements_kept_not_kept_or_unclear_from_the_log(app, family):
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    bedtime = plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven"))
    calling = plan.add_agreement(db.session, version, plan.AgreementInput("Call Grandma when angry"))
    plan.add_agreement(db.session, version, plan.AgreementInput("Visit on Saturdays"))
    db.session.flush()
    _entry(app, family, "household_member", EntryKind.went_well, datetime(2026, 11, 3, 19), "k1", bedtime.id)
    _entry(app, family, "household_member", EntryKind.went_wrong, datetime(2026, 11, 4, 19), "k2", calling.id)
    _entry(app, family, "safety_person", EntryKind.nearly_wrong, datetime(2026, 11, 5, 19), "k3", calling.id)
    db.session.commit()

    checks = {c.agreement.what: c for c in evidence.agreement_checks(db.session, family.household, PERIOD)}

    assert checks["Bedtime at half past seven"].state == "kept"
    assert checks["Call Grandma when angry"].state == "not_kept"
    assert len(checks["Call Grandma when angry"].entries) == 2
    assert checks["Visit on Saturdays"].state == "unclear"


def test_network_counts_active_adults_and_who_takes_alerts(app, family):
    at = PERIOD.start + timedelta(days=2)
    entry = _entry(app, family, "safety_person", EntryKind.went_well, at, "n1")
    entry.created_at = at
    db.session.add(PushSubscription(user=family.users["network_member"], endpoint="https://push.example/1",
                                    p256dh="k", auth="a", device_name="phone"))
    db.session.commit()

    found = evidence.network(db.session, family.household, PERIOD)

    assert found.members == ["Aunt Chris", "Grandma Gwen", "Neighbour Ned", "Parent Pat"]
    assert found.active_people == ["Grandma Gwen"]
    assert found.reachable_by_push == ["Neighbour Ned"]
    assert not found.met
