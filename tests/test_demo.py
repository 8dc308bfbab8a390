"""The demo household: only in demo mode, once, with a person in every role."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.conftest import make_app
from webapp.auth.models import User, utcnow
from webapp.auth.services import authenticate
from webapp.demo import DEMO_PASSWORD, DEMO_TIMEZONE, seed
from webapp.extensions import db
from webapp.households.models import Child, Household, Membership, Role
from webapp.resilience_calendar import services as calendar
from webapp.resilience_calendar.models import CalendarActivity, ResilienceElement
from webapp.safety_log.models import EntryKind, LogEntry, LogHighlight


def test_demo_seed_makes_every_role_once(app):
    assert seed(db.session, app.instance_path) is True
    assert seed(db.session, app.instance_path) is False
    db.session.commit()
    roles = set()
    for membership in db.session.scalars(select(Membership)):
        roles |= membership.roles
    assert roles == set(Role) - {Role.child}
    for username in ("ouder", "veiligheidspersoon", "netwerklid", "voorzitter", "professional"):
        assert authenticate(db.session, username, DEMO_PASSWORD) is not None
    # The child is a household record, never a person with a sign-in; the child view is under 'ouder'.
    [mila] = db.session.scalars(select(Child)).all()
    assert mila.first_name == "Mila" and mila.removed_at is None
    assert db.session.scalar(select(User).where(User.display_name.like("Mila%"))) is None


def test_demo_log_has_every_kind_from_several_people_with_a_highlight_and_a_correction(app):
    seed(db.session, app.instance_path)
    db.session.commit()
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    entries = db.session.scalars(select(LogEntry).where(LogEntry.household_id == household.id)).all()
    assert {e.kind for e in entries} == set(EntryKind)
    authors = {e.author.display_name for e in entries}
    assert {"Sanne de Vries", "Oma Ria", "Buurman Kees", "Tante Fatima"} <= authors
    child_messages = [e for e in entries if e.kind is EntryKind.child_message]
    assert all(e.recorded_by.username == "ouder" and e.child.first_name == "Mila" for e in child_messages)
    assert any(e.pictogram for e in child_messages)
    assert any(e.child_mood for e in entries if e.kind is EntryKind.child_wellbeing)
    assert db.session.query(LogHighlight).count() >= 1
    corrected = [e for e in entries if e.version > 1]
    assert corrected and corrected[0].versions[0].what_happened != corrected[0].what_happened
    days = sorted(e.occurred_at for e in entries)
    assert 28 <= (days[-1] - days[0]).days <= 40  # a few weeks, up to today
    assert days[-1] <= utcnow()
    assert seed(db.session, app.instance_path) is False  # idempotent: no second copy of the log
    assert db.session.query(LogEntry).count() == len(entries)


def test_demo_calendar_fills_up_week_by_week_with_one_thing_the_child_added(app):
    seed(db.session, app.instance_path)
    db.session.commit()
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    today = utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(DEMO_TIMEZONE).date()
    this_monday = calendar.monday_of(today)
    this_week = calendar.week(db.session, household, this_monday)
    assert this_week.filled_days == 5
    # A day or two still misses something, so the week names what is missing most.
    assert this_week.most_missing is ResilienceElement.outdoors
    trend = calendar.filled_days_trend(db.session, household, this_monday, weeks=5)
    assert [filled for _, filled in trend] == [1, 2, 3, 4, 5]
    assert calendar.week(db.session, household, this_monday - timedelta(weeks=5)).days[0].activities == []
    activities = db.session.scalars(select(CalendarActivity).filter_by(household_id=household.id)).all()
    by_child = [a for a in activities if a.by_child]
    assert len(by_child) == 1 and by_child[0].day == today and by_child[0].created_by.username == "ouder"
    assert by_child[0].child.first_name == "Mila"
    swimming = [a for a in activities if a.description == "Zwemles"]
    assert len({a.series_id for a in swimming}) == 1 and swimming[0].series_id is not None
    assert {a.day.weekday() for a in swimming} == {2}  # every Wednesday
    planners = {a.created_by.display_name for a in activities}
    assert {"Sanne de Vries", "Oma Ria", "Buurman Kees", "Tante Fatima"} <= planners
    assert all(a.elements for a in activities)
    assert seed(db.session, app.instance_path) is False
    assert db.session.query(CalendarActivity).count() == len(activities)


def test_seed_command_refuses_outside_demo_mode(empty_database):
    app = make_app(DEMO=False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "demo mode" in result.output
    demo = make_app(DEMO=True)
    assert "Demo household" in demo.test_cli_runner().invoke(args=["seed-demo"]).output


def test_worker_task_purges_old_invitations(app, monkeypatch):
    from webapp import queue, worker
    monkeypatch.setattr(queue, "_app", app)
    assert worker.purge_stale_invitations.call_local() == 0


def test_demo_has_an_alert_plan_and_past_signals_with_answers(app):
    from webapp.signals import services as signals
    seed(db.session, app.instance_path)
    db.session.commit()
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    plan = signals.rings(db.session, household)
    assert [m.user.username for m in plan[1]] == ["veiligheidspersoon"]
    assert [m.user.username for m in plan[2]] == ["netwerklid"]
    history = [s for s in signals.history(db.session, household) if not s.drill]
    assert len(history) == 2
    assert all(s.acknowledgements and s.outcome and s.log_entry_id for s in history)
    assert sorted(s.seconds_to_first_ack for s in history) == [70, 230]
    assert max(s.level for s in history) == 3  # one of them escalated
    # and the practice signal of the drill nine days ago: answered, in no log
    [practice] = [s for s in signals.history(db.session, household) if s.drill]
    assert practice.seconds_to_first_ack == 150 and practice.log_entry_id is None


def test_demo_has_a_past_meeting_with_minutes_and_a_planned_next_one(app):
    from webapp.meetings import services as meetings
    from webapp.meetings.models import ChairKind, MeetingStatus, PlanChange, Reply
    seed(db.session, app.instance_path)
    db.session.commit()
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    now = utcnow()
    last = meetings.last_held(db.session, household.id)
    assert last.status == MeetingStatus.held and last.minutes_shared_at is not None
    assert 25 <= (now - last.starts_at).days <= 31 and last.chair.username == "voorzitter"
    assert all(i.attended for i in last.invites) and last.worries and last.going_well and last.next_steps
    assert any(d.change == PlanChange.add and d.version_id for d in last.decisions)
    assert len(meetings.meeting_scores(db.session, last)) == 2
    history = meetings.chair_history(db.session, household.id, now)
    assert [m.chair_kind for m in history.meetings] == [ChairKind.professional, ChairKind.network]
    upcoming = meetings.next_planned(db.session, household.id, now)
    assert upcoming == last.next_meeting and 9 <= (upcoming.starts_at - now).days <= 10
    assert sorted(i.reply == Reply.coming for i in upcoming.invites) == [False, True, True, True]
    assert len(upcoming.questions) == 2


def test_demo_professional_has_access_and_a_documented_code_app(app, client):
    import pyotp
    from webapp.auth import two_step
    from webapp.professionals.demo_data import DEMO_TOTP_SECRET
    from webapp.grants.services import active_grant
    seed(db.session, app.instance_path)
    db.session.commit()
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    professional = db.session.scalar(select(User).filter_by(username="professional"))
    grant = active_grant(db.session, household.id, professional.id, utcnow())
    assert grant is not None and 85 <= (grant.ends_at - utcnow()).days <= 93
    assert two_step.has_code_app(professional)
    # Signing in as the README says: the password, then a code from the documented secret.
    response = client.post("/sign-in", data={"login": "professional", "password": DEMO_PASSWORD})
    assert response.headers["Location"].startswith("/sign-in/code")
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert response.headers["Location"] == "/caseload"
    summary = client.get(f"/h/{household.id}/summary")
    assert summary.status_code == 200 and "Familie Demo" in summary.text
