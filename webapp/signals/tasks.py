"""The background work of signals on huey: send deliveries, escalate, retry, and sweep up after a worker
that died. Views only enqueue; every task reads its state from the database, so running one twice is safe."""
from datetime import timedelta

from huey import crontab

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.notify.models import PushSubscription
from webapp.notify.sender import Sender
from webapp.notify.services import record_probe
from webapp.queue import app, huey
from webapp.signals import delivery, services


def _sender():
    return Sender(app().config)


def _seconds_until(moment) -> float:
    return max(0.0, (moment - utcnow()).total_seconds())


@huey.task()
def deliver(signal_id: int) -> None:
    # Stored in the queue before anything is claimed: if this worker dies mid-way, whichever worker runs
    # next takes the claimed deliveries back as soon as their lease ends, not at some later sweep.
    lease = app().config["DELIVERY_LEASE_SECONDS"]
    recover.schedule((signal_id,), delay=lease + 1)
    with app().app_context():
        next_try = delivery.run(db.session, signal_id, _sender(), utcnow())
        db.session.remove()
    if next_try is not None:
        deliver.schedule((signal_id,), delay=_seconds_until(next_try))


@huey.task()
def recover(signal_id: int) -> None:
    """Take back this signal's deliveries that a dead worker claimed, and send them."""
    with app().app_context():
        taken_back = delivery.requeue_abandoned(db.session, utcnow(), timedelta(seconds=app().config["DELIVERY_LEASE_SECONDS"]))
        due = signal_id in delivery.signals_with_due_deliveries(db.session, utcnow())
        db.session.remove()
    if taken_back or due:
        deliver(signal_id)


@huey.task()
def escalate(signal_id: int) -> None:
    with app().app_context():
        moved = services.escalate(db.session, signal_id, utcnow())
        db.session.commit()
        signal = db.session.get(services.Signal, signal_id)
        next_at = signal.next_escalation_at if signal is not None else None
        db.session.remove()
    if moved:
        deliver(signal_id)
    if next_at is not None:
        escalate.schedule((signal_id,), delay=_seconds_until(next_at))


@huey.task()
def send_probe(subscription_id: int, locale: str) -> None:
    """A test alert to one device, from the devices page."""
    with app().app_context():
        device = db.session.get(PushSubscription, subscription_id)
        if device is None:
            return
        outcome = _sender().send(delivery.probe_message(device, locale, app().config["SECRET_KEY"]))
        record_probe(db.session, device, outcome, utcnow())
        db.session.commit()
        db.session.remove()


@huey.periodic_task(crontab(minute="40", hour="3"))
def purge_delivery_records() -> int:
    """Retention (KRING_DELIVERY_RETENTION_DAYS): forget old per-device delivery records, daily."""
    with app().app_context():
        removed = services.purge_old_deliveries(db.session, utcnow(), app().config["DELIVERY_RETENTION_DAYS"])
        db.session.commit()
        db.session.remove()
    return removed


@huey.periodic_task(crontab(day="1", hour="10", minute="0"))
def monthly_device_check() -> None:
    """Once a month every device gets a test alert asking "did you get it?"; the chair sees who did not answer.
    A phone that stopped showing alerts is found on a quiet day, not during a signal."""
    with app().app_context():
        devices = [(d.id, d.user.locale or app().config["BABEL_DEFAULT_LOCALE"])
                   for d in db.session.scalars(db.select(PushSubscription))]
        db.session.remove()
    for device_id, locale in devices:
        send_probe(device_id, locale)


@huey.periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Every minute: take back deliveries of a worker that died, send what is due, escalate what is late.
    The scheduled tasks normally do this within a second; this catches what they missed."""
    with app().app_context():
        now = utcnow()
        lease = timedelta(seconds=app().config["DELIVERY_LEASE_SECONDS"])
        delivery.requeue_abandoned(db.session, now, lease)
        due = delivery.signals_with_due_deliveries(db.session, now)
        late = services.escalations_due(db.session, now)
        db.session.remove()
    for signal_id in late:
        escalate(signal_id)
    for signal_id in due:
        deliver(signal_id)


@huey.on_startup()
def sweep_on_start() -> None:
    # A worker that starts again after a crash should not wait for the next minute.
    sweep()


def dispatch(signal) -> None:
    """After the signal is committed: send when its undo window ends, escalate when its time comes."""
    deliver.schedule((signal.id,), delay=_seconds_until(signal.send_at))
    if signal.next_escalation_at is not None:
        escalate.schedule((signal.id,), delay=_seconds_until(signal.next_escalation_at))


def dispatch_all_clear(signal) -> None:
    deliver(signal.id)
