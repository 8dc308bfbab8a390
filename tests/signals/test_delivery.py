"""Sending: every alert reaches the local push service encrypted and signed, discreet unless the person
chose otherwise; failures are retried, dead subscriptions removed, and no device is alerted twice."""
import threading
from datetime import timedelta

from sqlalchemy import event, select

from tests.signals.conftest import NOW, add_device, raise_now
from webapp.extensions import db
from webapp.notify.models import Channel, PushSubscription
from webapp.signals import delivery, services
from webapp.signals.models import AckKind, Delivery, DeliveryAttempt, DeliveryStatus, Purpose


def _run(signal, sender, now=NOW):
    return delivery.run(db.session, signal.id, sender, now)


def test_an_alert_arrives_encrypted_signed_urgent_and_discreet(family, push_service, sender):
    device = add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, note="Bear on the windowsill")
    _run(signal, sender)
    [message] = push_service.wait_for(1)
    assert message.endpoint == device.endpoint
    assert message.urgency == "high" and message.ttl == 24 * 3600 and message.topic == f"signal{signal.id}alert"
    assert message.claims["sub"].startswith("mailto:")
    body = message.json
    assert body["type"] == "alert" and body["tag"] == f"kring-signal-{signal.id}"
    assert body["url"] == f"/h/{family.household.id}/signals/{signal.id}"
    assert [a["action"] for a in body["actions"]] == ["going", "calling"]
    # On a lock screen: nothing about the household, the child or who signalled.
    text = message.payload.decode()
    for secret in ("Family Test", "Parent", "Bear", "Kim"):
        assert secret not in text
    d = db.session.scalar(select(Delivery))
    assert d.status == DeliveryStatus.sent and d.attempts == 1
    assert [a.outcome for a in d.attempt_log] == ["accepted"]
    assert device.last_success_at == NOW


def test_someone_who_chose_details_sees_what_happened_in_their_language(family, push_service, sender):
    family.users["safety_person"].push_detail = True
    family.users["safety_person"].locale = "nl"
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, note="Beer op de vensterbank")
    _run(signal, sender)
    [message] = push_service.wait_for(1)
    assert "Family Test" in message.json["title"]
    assert "Parent" in message.json["body"] and "Beer op de vensterbank" in message.json["body"]
    assert message.json["actions"][0]["title"] != "I’m going"  # Dutch


def test_answering_from_the_notification_counts_for_the_person_it_was_sent_to(app, client, family, push_service, sender):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family)
    _run(signal, sender)
    [message] = push_service.wait_for(1)
    response = client.post(message.json["ack"], data={"kind": "going"})
    assert response.status_code == 200
    db.session.refresh(signal)
    assert [(a.user.username, a.kind) for a in signal.acknowledgements] == [("safety-person", AckKind.going)]
    forged = message.json["ack"][:-4] + "0000"
    assert client.post(forged, data={"kind": "going"}).status_code == 404


def test_a_gone_subscription_is_removed_and_the_person_is_emailed_instead(family, push_service, smtp_server, sender):
    family.users["safety_person"].email = "gwen@example.org"
    device = add_device(family.users["safety_person"], push_service)
    push_service.respond_with(device.endpoint, 410)
    signal = raise_now(family)
    assert _run(signal, sender) == NOW  # the e-mail is due at once: the worker goes again straight away
    assert db.session.scalar(select(PushSubscription)) is None
    push_delivery, email_delivery = signal.deliveries
    assert push_delivery.status == DeliveryStatus.gone
    assert email_delivery.channel == Channel.email and email_delivery.status == DeliveryStatus.queued
    _run(signal, sender)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "gwen@example.org"
    assert f"/h/{family.household.id}/signals/{signal.id}" in mail.get_content()
    assert "Family Test" not in mail.get_content() and "Family Test" not in mail["Subject"]
    assert email_delivery.status == DeliveryStatus.sent


def test_a_failing_push_service_is_retried_with_back_off_and_the_device_gets_it_once(family, push_service, sender):
    device = add_device(family.users["safety_person"], push_service)
    push_service.respond_with(device.endpoint, 503, 500)
    signal = raise_now(family)
    assert _run(signal, sender) == NOW + timedelta(seconds=5)
    [d] = signal.deliveries
    assert d.status == DeliveryStatus.queued and d.last_error == "push service answered 503"
    assert _run(signal, sender, NOW + timedelta(seconds=1)) is None  # not due yet: nothing sent
    assert _run(signal, sender, NOW + timedelta(seconds=5)) == NOW + timedelta(seconds=20)
    assert _run(signal, sender, NOW + timedelta(seconds=20)) is None
    assert d.status == DeliveryStatus.sent
    assert [a.status_code for a in d.attempt_log] == [503, 500, 201]
    # Done is done: running again sends nothing more.
    _run(signal, sender, NOW + timedelta(minutes=5))
    assert len(push_service.messages_for(device.endpoint)) == 1


def test_a_push_service_that_keeps_failing_ends_as_failed_and_visible(family, push_service, sender):
    device = add_device(family.users["safety_person"], push_service)
    push_service.respond_with(device.endpoint, *([500] * 10))
    signal = raise_now(family)
    now = NOW
    while (next_try := _run(signal, sender, now)) is not None:
        now = next_try
    [d] = signal.deliveries
    assert d.status == DeliveryStatus.failed and d.attempts == len(delivery.BACKOFF) + 1
    assert services.recipients(signal)[0].failed
    assert device.failing


def test_deliveries_of_a_worker_that_died_are_sent_again(family, push_service, sender):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family)
    claimed = delivery.claim(db.session, signal.id, NOW)  # ...and then the worker died
    assert [d.status for d in claimed] == [DeliveryStatus.sending]
    assert delivery.requeue_abandoned(db.session, NOW + timedelta(seconds=30), timedelta(seconds=60)) == 0
    assert delivery.requeue_abandoned(db.session, NOW + timedelta(seconds=61), timedelta(seconds=60)) == 1
    assert delivery.signals_with_due_deliveries(db.session, NOW + timedelta(seconds=61)) == [signal.id]
    _run(signal, sender, NOW + timedelta(seconds=61))
    assert len(push_service.wait_for(1)) == 1
    assert signal.deliveries[0].status == DeliveryStatus.sent


def test_an_undone_signal_sends_nothing(family, push_service, sender):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, undo_seconds=5)
    assert _run(signal, sender) is None  # the undo window is still open
    services.undo(db.session, signal, family.users["household_member"], NOW + timedelta(seconds=2))
    db.session.commit()
    _run(signal, sender, NOW + timedelta(seconds=10))
    assert push_service.received == []


def test_the_all_clear_reaches_every_device_that_was_alerted(app, family, push_service, sender):
    phone = add_device(family.users["safety_person"], push_service)
    tablet = add_device(family.users["safety_person"], push_service, "iPad – Safari")
    signal = raise_now(family)
    _run(signal, sender)
    push_service.wait_for(2)
    services.close_with_outcome(db.session, app.instance_path, signal, family.users["chair"], "All calm.", None,
                                NOW + timedelta(minutes=4))
    db.session.commit()
    _run(signal, sender, NOW + timedelta(minutes=4))
    messages = push_service.wait_for(4)
    clear = [m for m in messages if m.json["type"] == "all_clear"]
    assert sorted(m.endpoint for m in clear) == sorted([phone.endpoint, tablet.endpoint])
    assert all(m.json["tag"] == f"kring-signal-{signal.id}" and "actions" not in m.json for m in clear)
    assert {d.purpose for d in signal.deliveries if d.status == DeliveryStatus.sent} == {Purpose.alert, Purpose.all_clear}


def test_twenty_five_devices_are_sent_to_at_once(family, push_service, sender):
    push_service.latency = 0.3
    for i in range(25):
        add_device(family.users["safety_person"], push_service, f"Phone {i}")
    signal = raise_now(family)
    import time
    started = time.monotonic()
    _run(signal, sender)
    assert time.monotonic() - started < 3  # one after the other would take 7.5 s
    assert len(push_service.received) == 25
    assert db.session.scalar(select(db.func.count(DeliveryAttempt.id))) == 25


def test_outcomes_that_come_back_together_are_written_together(family, push_service, sender):
    """Ten phones answer at the same moment: their outcomes go into the database in a few transactions, not one
    each (in a storm of signals every commit holds up the next signal's)."""
    for i in range(10):
        add_device(family.users["safety_person"], push_service, f"Phone {i}")
    signal = raise_now(family)
    together = threading.Barrier(10)

    class AnsweringTogether:
        """The real sender, but no answer comes back before all ten are in."""
        def send(self, message):
            outcome = sender.send(message)
            together.wait(timeout=10)
            return outcome

    commits = []

    def count(_session):
        commits.append(1)

    session = db.session()
    event.listen(session, "after_commit", count)
    try:
        _run(signal, AnsweringTogether())
    finally:
        event.remove(session, "after_commit", count)
    assert len(push_service.received) == 10
    assert db.session.scalar(select(db.func.count(DeliveryAttempt.id))) == 10
    assert db.session.scalar(select(db.func.count(Delivery.id)).where(Delivery.status == DeliveryStatus.sent)) == 10
    assert len(commits) <= 4  # the claim, the first answer, the rest (one commit per answer made 11)


def test_with_two_children_the_alert_says_which_child_is_worried(family, push_service, sender):
    from webapp.households.models import Child
    from webapp.signals.models import SignalSource
    from webapp.signals.services import raise_signal
    family.users["safety_person"].push_detail = True
    add_device(family.users["safety_person"], push_service)
    noor = Child(household_id=family.household.id, first_name="Noor")
    db.session.add(noor)
    db.session.flush()
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], "worried-noor",
                             SignalSource.child, "", NOW, 0, child=noor)
    db.session.commit()
    assert signal.child_id == noor.id
    _run(signal, sender)
    [message] = push_service.wait_for(1)
    assert "Noor used the “I am worried” button." in message.json["body"]
