"""Kill the worker in the middle of a fan-out, start it again: every recipient is notified exactly once.

A real huey consumer sends a signal to 25 phones, five at a time through a slow push service, and is killed
(SIGKILL, no clean-up) while the second wave is on its way. A new consumer starts; its start-up sweep takes
back what the dead one had claimed and sends it again. Delivery is at-least-once, so a phone whose message
was accepted before the kill can get it a second time, but every message of one signal carries the same
notification tag and push Topic: the phone shows one notification (the service worker replaces a
notification with the same tag, renotify false).

Today the worker records the outcomes of a fan-out in one commit after its last wave, so a kill in the middle
leaves nothing recorded and every phone that had the alert before the kill gets it again; the assertions
hold as well for a worker that records wave by wave (a recorded delivery must never be sent again).
"""
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from tests.conftest import make_user
from tests.signals.conftest import add_device, raise_now
from tests.worker_process import start_worker
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Role
from webapp.households.services import add_member
from webapp.signals import tasks
from webapp.signals.models import Delivery, DeliveryStatus

DEVICES = 25
PARALLEL = 5  # messages sent at once: 25 devices go out in five waves
LATENCY = 0.5  # seconds the push service takes to answer each message
LEASE = 2  # seconds before the sweep takes back a delivery a worker claimed and never reported on
WORKER_ENV = {"KRING_PUSH_PARALLEL": str(PARALLEL), "KRING_DELIVERY_LEASE_SECONDS": str(LEASE)}
REQUEUED = "the worker stopped before the outcome was known"


def _deliveries(signal_id: int) -> list[Delivery]:
    db.session.expire_all()  # see what the worker process committed
    rows = list(db.session.scalars(select(Delivery).where(Delivery.signal_id == signal_id).order_by(Delivery.id)))
    db.session.commit()  # end the read transaction: the worker must be free to write
    return rows


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


@pytest.fixture
def ring_one_devices(family, push_service):
    """Five safety persons (ring 1) with five phones each: 25 devices."""
    people = [family.users["safety_person"]]
    for n in range(2, 6):
        person = make_user(f"Safety {n}", f"safety-{n}")
        add_member(db.session, family.household, person, {Role.safety_person})
        people.append(person)
    devices = [add_device(person, push_service, f"Phone {i}") for person in people for i in range(DEVICES // len(people))]
    db.session.commit()
    assert len(devices) == DEVICES
    return devices


def test_a_worker_killed_mid_fan_out_is_replaced_and_every_phone_shows_one_notification(
        family, push_service, ring_one_devices):
    push_service.latency = LATENCY
    worker = start_worker(**WORKER_ENV)
    try:
        # Raised now (not at the fixed test clock), so escalation is minutes away and stays out of the way.
        signal = raise_now(family, now=utcnow(), undo_seconds=0)
        assert len(signal.deliveries) == DEVICES
        tasks.dispatch(signal)

        # The first wave (5) was accepted and the second is on its way: kill the worker like a pulled plug.
        push_service.wait_for(PARALLEL + 2, timeout=15)
        _wait_until(lambda: any(d.status == DeliveryStatus.sent for d in _deliveries(signal.id)), 5,
                    "the worker wrote down the first outcomes as they arrived")
        worker.kill()
        rows = _deliveries(signal.id)
        recorded_before_kill = {d.id for d in rows if d.status == DeliveryStatus.sent}
        assert all(d.status in (DeliveryStatus.sending, DeliveryStatus.sent) for d in rows)

        assert recorded_before_kill, "outcomes are written as they arrive, not at the end of the fan-out"
        # What the dead worker got accepted (requests it sent just before dying are handled within the latency).
        time.sleep(LATENCY + 0.2)
        before_restart = {m.endpoint for m in push_service.received}
        assert len(before_restart) < DEVICES  # it really died in the middle of the fan-out
        # Restarted at once: the recovery the dead worker queued before claiming runs when the lease ends.
        worker = start_worker(fresh_queue=False, **WORKER_ENV)
        _wait_until(lambda: all(d.status == DeliveryStatus.sent for d in _deliveries(signal.id)), LEASE + 20,
                    "every delivery is recorded as sent after the restart")
    finally:
        worker.stop()

    rows = _deliveries(signal.id)
    messages = push_service.received
    assert push_service.rejections == []
    assert len(rows) == DEVICES and {m.endpoint for m in messages} <= {d.endpoint for d in ring_one_devices}
    by_device = {d.subscription_id: d for d in rows}
    for device in ring_one_devices:
        d = by_device[device.id]
        got = [m for m in messages if m.endpoint == device.endpoint]
        assert got, f"{device.device_name} of user {device.user_id} got nothing"
        if d.id in recorded_before_kill:
            # Recorded as sent before the kill: never sent again.
            assert len(got) == 1 and [a.outcome for a in d.attempt_log] == ["accepted"]
            continue
        # Accepted by the push service but not yet recorded when the worker died: sent once more after the
        # restart (at-least-once). Not reached before the kill: sent once, by the new worker.
        assert len(got) == (2 if device.endpoint in before_restart else 1)
        # The recovery wrote down, once, why it sent the delivery again; the delivery was claimed twice, once
        # by each worker, and the second try was accepted.
        outcomes = [a.outcome for a in d.attempt_log]
        assert outcomes == [REQUEUED, "accepted"], outcomes
        assert d.attempts == 2

    for device in ring_one_devices:
        got = push_service.messages_for(device.endpoint)
        # Whatever arrived twice arrived the same: one tag, one Topic, one text, one answer link.
        assert {m.json["tag"] for m in got} == {f"kring-signal-{signal.id}"}
        assert {m.topic for m in got} == {f"signal{signal.id}alert"}
        assert all(m.json == got[0].json for m in got)
        # The service worker shows one notification per tag (a second with the same tag replaces it).
        notifications_shown = len({m.json["tag"] for m in got})
        assert notifications_shown == 1, f"{device.device_name} of user {device.user_id} rang {notifications_shown}x"
