"""Closing a household: a clear warning, undo within the grace period, then everything is erased."""
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import jpeg_with_gps
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Child, Household, Membership
from webapp.ownership.services import erase_due
from webapp.uploads import clean
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_log.services import NewEntry, write_entry


def test_closing_warns_everyone_and_can_be_undone(app, family):
    parent, ned = app.test_client(), app.test_client()
    sign_in_as(parent, family.users["household_member"])
    sign_in_as(ned, family.users["network_member"])
    parent.post(f"/h/{family.household.id}/close", data={})
    household = db.session.get(Household, family.household.id)
    assert household.erase_at - utcnow() > timedelta(days=13)
    assert "is closed and will be erased on" in ned.get(f"/h/{family.household.id}").text
    assert ned.post(f"/h/{family.household.id}/close", data={"undo": "1"}).status_code == 403  # only who lives there
    parent.post(f"/h/{family.household.id}/close", data={"undo": "1"})
    assert db.session.get(Household, family.household.id).erase_at is None
    assert "will be erased" not in ned.get(f"/h/{family.household.id}").text


def test_after_the_grace_period_the_worker_erases_everything(app, family):
    entry, _ = write_entry(db.session, app.instance_path, family.household, family.users["household_member"], "close-1",
                           NewEntry(EntryKind.went_well, datetime(2026, 11, 1, 9), "Calm", photos=[clean(jpeg_with_gps())]))
    folder = Path(app.instance_path) / "uploads" / str(family.household.id)
    assert folder.exists()
    household = db.session.get(Household, family.household.id)
    household.erase_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert erase_due(db.session, app.instance_path) == 0  # not yet
    household.erase_at = utcnow() - timedelta(minutes=1)  # time travel: the grace period is over
    db.session.commit()
    assert erase_due(db.session, app.instance_path) == 1
    db.session.commit()
    assert db.session.get(Household, family.household.id) is None
    assert db.session.scalar(select(func.count()).select_from(LogEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.household_id == family.household.id)) == 0
    assert not folder.exists()
    assert db.session.scalar(select(func.count()).select_from(Child)) == 0  # the child went with it
    assert db.session.get(User, family.users["household_member"].id) is not None  # accounts stay
    assert db.session.get(Household, family.other_household.id) is not None


def test_the_hourly_worker_task_erases_due_households(app, family, monkeypatch):
    from webapp import queue, worker
    monkeypatch.setattr(queue, "_app", app)
    household = db.session.get(Household, family.household.id)
    household.erase_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert worker.erase_closed_households.call_local() == 1


def test_erasing_a_household_erases_its_signals_and_alert_plan(app, family):
    from webapp.notify.models import PushSubscription
    from webapp.signals import services as signals
    from webapp.signals.models import AckKind, AlertRing, Delivery, DeliveryAttempt, Signal, SignalSource
    device = PushSubscription(user=family.users["safety_person"], endpoint="https://fcm.googleapis.com/fcm/send/e",
                              p256dh="k", auth="a", device_name="Android – Chrome")
    db.session.add(device)
    signals.set_ring(db.session, family.membership("network_member"), 2)
    signal, _ = signals.raise_signal(db.session, family.household, family.users["household_member"], "erase-1",
                                     SignalSource.child, "", utcnow(), 0)
    db.session.add(DeliveryAttempt(delivery_id=signal.deliveries[0].id, status_code=201, outcome="accepted"))
    signals.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going, utcnow())
    db.session.get(Household, family.household.id).erase_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    erase_due(db.session, app.instance_path)
    db.session.commit()
    for model in (Signal, Delivery, DeliveryAttempt, AlertRing):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1  # the person's own device stays


def test_erasing_a_household_erases_its_plan_scales_and_books(app, family):
    from webapp.safety_plan import services as plan
    from webapp.safety_plan.models import Agreement, PlanVersion, SafetyPlan, SafeObjectWatcher
    from webapp.safety_scales import services as scales
    from webapp.safety_scales.models import DangerStatement, SafetyGoal, SafetyScale, ScaleScore
    from webapp.words_pictures.models import BookKind, Page, PictureKind, WordsPictures
    from webapp.words_pictures.services import Picture, add_page
    statement = scales.add_statement(db.session, family.household, family.users["chair"], scales.StatementInput(
        "Grandma", "Shouting", "Kim gets scared", "Calm talks", "Calm"), utcnow())
    scales.add_score(db.session, statement.scale, family.users["safety_person"], 6, "Calm week", utcnow())
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven"), None, app.instance_path)
    db.session.add(SafeObjectWatcher(version_id=version.id, membership_id=family.membership("network_member").id))
    add_page(db.session, app.instance_path, family.child, BookKind.plan, "Oma helps you.",
             Picture(PictureKind.pictogram, pictogram="home"))
    db.session.get(Household, family.household.id).erase_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    erase_due(db.session, app.instance_path)
    db.session.commit()
    for model in (DangerStatement, SafetyGoal, SafetyScale, ScaleScore, SafetyPlan, PlanVersion, Agreement,
                  SafeObjectWatcher, WordsPictures, Page):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
