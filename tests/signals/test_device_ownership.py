"""An alert goes only to the device it was meant for, and an answer counts only from the phone of the person it
was sent to. The sequence of issue 15: Ria's phone has an alert waiting for its retry; she removes the phone;
Kees turns alerts on (on SQLite without AUTOINCREMENT his phone got the removed phone's id, and Ria's alert
with it). Also a shared phone: the same browser signed in as someone else now belongs to them."""
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.signals.conftest import NOW, raise_now
from webapp.extensions import db
from webapp.signals import delivery, services
from webapp.signals.models import Acknowledgement, Delivery, DeliveryStatus, Purpose

ANDROID = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0"}
RETRY = NOW + timedelta(seconds=5)


def _run(signal, sender, now=NOW):
    return delivery.run(db.session, signal.id, sender, now)


def _turn_on_alerts(client, user, subscription) -> int:
    """What the devices page does when a person taps "turn on alerts" on this phone."""
    sign_in_as(client, user)
    response = client.post("/settings/devices", json=subscription, headers=ANDROID)
    assert response.status_code == 201
    return response.json["id"]


def _press(app, message, kind="going"):
    """The service worker's answer to a button on the notification: no cookies, only the URL it was sent."""
    return app.test_client().post(message.json["ack"], data={"kind": kind})


def _recipient(signal, user):
    db.session.expire_all()
    return next(r for r in services.recipients(db.session.merge(signal)) if r.user is not None and r.user.id == user.id)


def _answers(signal) -> list[tuple[int | None, str]]:
    db.session.expire_all()
    return [(a.user_id, a.kind.value) for a in db.session.scalars(
        select(Acknowledgement).where(Acknowledgement.signal_id == signal.id))]


def test_a_removed_phone_never_hands_its_waiting_alert_to_the_next_phone(app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria, kees, mother = family.users["safety_person"], family.users["network_member"], family.users["household_member"]
    ria_subscription = push_service.new_subscription()
    ria_phone = _turn_on_alerts(client, ria, ria_subscription)
    push_service.respond_with(ria_subscription["endpoint"], 503)
    signal = raise_now(family, note="Bear on the windowsill")
    assert _run(signal, sender) == RETRY  # Ria's phone did not take it: a retry waits
    [waiting] = db.session.scalars(select(Delivery).where(Delivery.signal_id == signal.id)).all()
    assert waiting.status == DeliveryStatus.queued

    sign_in_as(client, ria)
    assert client.post(f"/settings/devices/{ria_phone}/delete").status_code == 302
    db.session.expire_all()
    # Ended at once and on the record: the signal page says why, not "waiting".
    waiting = db.session.get(Delivery, waiting.id)
    assert waiting.status == DeliveryStatus.gone and waiting.subscription_id is None
    assert waiting.attempt_log[-1].outcome == "the device was removed"

    kees_subscription = push_service.new_subscription()
    kees_phone = _turn_on_alerts(client, kees, kees_subscription)
    assert kees_phone != ria_phone  # ids are never handed out twice

    _run(signal, sender, RETRY)
    _run(signal, sender, RETRY + timedelta(minutes=10))
    kees_messages = push_service.messages_for(kees_subscription["endpoint"])
    assert kees_messages == []
    # Whatever Kees's phone shows, its buttons do not answer for Ria.
    for message in kees_messages:
        if message.json.get("ack"):
            _press(app, message)
    assert _answers(signal) == []

    # The signal page does not count Ria as reached.
    assert not _recipient(signal, ria).reached
    sign_in_as(client, mother)
    page = client.get(f"/h/{family.household.id}/signals/{signal.id}").get_data(as_text=True)
    assert "device no longer exists" in page

    # The all-clear does not go to Kees's phone either.
    services.close_with_outcome(db.session, app.instance_path, db.session.merge(signal), mother, "All calm.", None,
                                RETRY + timedelta(minutes=11))
    db.session.commit()
    _run(signal, sender, RETRY + timedelta(minutes=11))
    assert push_service.messages_for(kees_subscription["endpoint"]) == []


def test_a_phone_signed_in_as_someone_else_does_not_get_the_alert_waiting_for_its_former_owner(
        app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria, kees = family.users["safety_person"], family.users["network_member"]
    shared = push_service.new_subscription()
    phone = _turn_on_alerts(client, ria, shared)
    push_service.respond_with(shared["endpoint"], 503)
    signal = raise_now(family)
    assert _run(signal, sender) == RETRY

    # Kees signs in on the same phone and turns alerts on: the browser's subscription is now his.
    assert _turn_on_alerts(client, kees, shared) == phone
    db.session.expire_all()
    [waiting] = db.session.scalars(select(Delivery).where(Delivery.signal_id == signal.id)).all()
    assert waiting.status == DeliveryStatus.gone

    _run(signal, sender, RETRY)
    assert push_service.messages_for(shared["endpoint"]) == []
    assert not _recipient(signal, ria).reached
    services.close_with_outcome(db.session, app.instance_path, db.session.merge(signal), family.users["chair"],
                                "All calm.", None, RETRY + timedelta(minutes=1))
    db.session.commit()
    _run(signal, sender, RETRY + timedelta(minutes=1))
    assert push_service.messages_for(shared["endpoint"]) == []


def test_an_answer_from_a_phone_that_now_belongs_to_someone_else_is_not_recorded(
        app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria, kees = family.users["safety_person"], family.users["network_member"]
    shared = push_service.new_subscription()
    _turn_on_alerts(client, ria, shared)
    signal = raise_now(family)
    _run(signal, sender)
    [alert] = push_service.wait_for(1)
    assert alert.json["type"] == "alert"

    _turn_on_alerts(client, kees, shared)  # Kees signs in on Ria's phone, her notification still on the screen
    response = _press(app, alert)
    assert response.status_code == 404
    assert _answers(signal) == []


def test_an_answer_from_a_removed_phone_is_not_recorded(app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria = family.users["safety_person"]
    subscription = push_service.new_subscription()
    phone = _turn_on_alerts(client, ria, subscription)
    signal = raise_now(family)
    _run(signal, sender)
    [alert] = push_service.wait_for(1)

    sign_in_as(client, ria)
    client.post(f"/settings/devices/{phone}/delete")  # e.g. she gave the phone away
    assert _press(app, alert).status_code == 404
    assert _answers(signal) == []


def test_an_answer_names_its_signal_and_counts_only_for_it(app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria = family.users["safety_person"]
    _turn_on_alerts(client, ria, push_service.new_subscription())
    first = raise_now(family, client_id="first")
    second = raise_now(family, client_id="second", by="chair")
    _run(first, sender)
    _run(second, sender)
    by_signal = {m.json["signal"]: m for m in push_service.wait_for(2)}
    # The first alert's answer URL with the second signal's id in it: refused, nothing recorded.
    head, signal_id, digest = by_signal[first.id].json["ack"].rsplit("/", 1)[1].split(".")
    assert int(signal_id) == first.id
    assert client.post(f"/signals/ack/{head}.{second.id}.{digest}", data={"kind": "going"}).status_code == 404
    assert _answers(first) == [] and _answers(second) == []
    # Ria's own answer from her own phone counts, for the signal it was sent for.
    assert _press(app, by_signal[second.id]).status_code == 200
    assert _answers(second) == [(ria.id, "going")] and _answers(first) == []


def test_all_clear_goes_only_to_phones_still_owned_by_the_person_alerted(app, client, family, push_service, sender):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria, kees = family.users["safety_person"], family.users["network_member"]
    shared, own = push_service.new_subscription(), push_service.new_subscription()
    _turn_on_alerts(client, ria, shared)
    _turn_on_alerts(client, ria, own)
    signal = raise_now(family)
    _run(signal, sender)
    push_service.wait_for(2)
    _turn_on_alerts(client, kees, shared)  # the shared phone is Kees's now
    services.close_with_outcome(db.session, app.instance_path, db.session.merge(signal), family.users["chair"],
                                "All calm.", None, NOW + timedelta(minutes=3))
    db.session.commit()
    _run(signal, sender, NOW + timedelta(minutes=3))
    clear = [m.endpoint for m in push_service.received if m.json["type"] == "all_clear"]
    assert clear == [own["endpoint"]]
    assert {d.purpose for d in db.session.scalars(select(Delivery).where(
        Delivery.signal_id == signal.id, Delivery.status == DeliveryStatus.sent))} == {Purpose.alert, Purpose.all_clear}


def test_someone_taken_off_the_household_does_not_get_the_alert_that_waited_for_them(app, client, family,
                                                                                      push_service, sender):
    from webapp.households.services import remove_member
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    ria = family.users["safety_person"]
    subscription = push_service.new_subscription()
    _turn_on_alerts(client, ria, subscription)
    push_service.respond_with(subscription["endpoint"], 503)
    signal = raise_now(family)
    assert _run(signal, sender) == RETRY
    remove_member(db.session, family.membership("safety_person"))
    db.session.commit()
    _run(signal, sender, RETRY)
    assert push_service.messages_for(subscription["endpoint"]) == []
    db.session.expire_all()
    [ended] = db.session.scalars(select(Delivery).where(Delivery.signal_id == signal.id)).all()
    assert ended.status == DeliveryStatus.cancelled
