"""The signal pages through HTTP: raising (adult and child), undo, answering, closing, the alert plan,
and what another household or a hidden member sees."""
import re

from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.signals.conftest import add_device, raise_now
from tests.test_child_lock import give_phone_to_child
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.signals.models import AlertRing, Signal, SignalSource, SignalStatus


def _client_id(html: str) -> str:
    return re.search(r'name="client_id"[^>]*value="([^"]+)"', html).group(1)


def test_raising_shows_the_signal_page_with_people_to_call(app, client, family, push_service):
    app.config["SIGNAL_UNDO_SECONDS"] = 5
    family.users["safety_person"].phone = "06 1234 5678"
    add_device(family.users["safety_person"], push_service)
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{family.household.id}/signals/new").get_data(as_text=True)
    response = client.post(f"/h/{family.household.id}/signals/new",
                           data={"client_id": _client_id(page), "note": "Bear in the window"})
    signal = db.session.scalar(select(Signal))
    assert response.headers["Location"] == f"/h/{family.household.id}/signals/{signal.id}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="tel:0612345678"' in html and "Bear in the window" in html
    assert "Take it back" in html  # the undo window is open for the person who raised it
    assert signal.source == SignalSource.safe_object and signal.raised_by.username == "network-member"


def test_a_resend_from_the_outbox_gets_the_same_signal(client, family):
    sign_in_as(client, family.users["chair"])
    url = f"/h/{family.household.id}/signals/new"
    first = client.post(url, data={"client_id": "outbox-123456"}, headers={"Accept": "application/json"})
    again = client.post(url, data={"client_id": "outbox-123456"}, headers={"Accept": "application/json"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]


def test_a_too_long_note_gets_a_clear_message_and_keeps_the_text(client, family):
    sign_in_as(client, family.users["chair"])
    response = client.post(f"/h/{family.household.id}/signals/new", data={"client_id": "long-note-1", "note": "x" * 501})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write at most 500 characters." in html and "x" * 501 in html
    assert db.session.scalar(select(Signal)) is None


def test_the_child_signals_and_can_take_it_back_at_once(app, client, family, worker_beating):
    app.config["SIGNAL_UNDO_SECONDS"] = 30
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    child_view = client.get(f"/h/{family.household.id}/child").get_data(as_text=True)
    assert f"/h/{family.household.id}/child/worried" in child_view
    page = client.get(f"/h/{family.household.id}/child/worried").get_data(as_text=True)
    response = client.post(f"/h/{family.household.id}/child/worried", data={"client_id": _client_id(page)})
    status_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sent!" in status_page and "Oops, take it back" in status_page
    # The child's pages never lead into the grown-ups' signal page.
    assert "Open signal:" not in status_page and "Open signal:" not in client.get(f"/h/{family.household.id}/child").text
    signal = db.session.scalar(select(Signal))
    assert signal.source == SignalSource.child
    client.post(f"/h/{family.household.id}/signals/{signal.id}/undo", data={"from": "child"})
    db.session.refresh(signal)
    assert signal.status == SignalStatus.cancelled
    assert "Taken back" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_child_sees_who_is_coming(client, family):
    signal = raise_now(family, source=SignalSource.child)
    sign_in_as(client, family.users["safety_person"])
    client.post(f"/h/{family.household.id}/signals/{signal.id}/ack", data={"kind": "going"})
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    html = client.get(f"/h/{family.household.id}/child/signals/{signal.id}?part=1").get_data(as_text=True)
    assert "Someone is coming!" in html and "Grandma" in html


def test_answering_and_closing_from_the_signal_page(client, family):
    signal = raise_now(family)
    sign_in_as(client, family.users["safety_person"])
    client.post(f"/h/{family.household.id}/signals/{signal.id}/ack", data={"kind": "calling"})
    html = client.get(f"/h/{family.household.id}/signals/{signal.id}").get_data(as_text=True)
    assert "Grandma Gwen" in html and "is calling" in html
    # Every household page shows the open signal at the top.
    assert "Open signal:" in client.get(f"/h/{family.household.id}").get_data(as_text=True)
    missing = client.post(f"/h/{family.household.id}/signals/{signal.id}/close", data={"outcome": "", "log_kind": ""})
    assert missing.status_code == 422 and "Write in a few words what happened" in missing.get_data(as_text=True)
    client.post(f"/h/{family.household.id}/signals/{signal.id}/close", data={"outcome": "All calm", "log_kind": "went_well"})
    db.session.refresh(signal)
    assert signal.status == SignalStatus.closed and signal.log_entry_id is not None
    assert "Open signal:" not in client.get(f"/h/{family.household.id}").get_data(as_text=True)
    history = client.get(f"/h/{family.household.id}/signals").get_data(as_text=True)
    assert "Grandma" in history


def test_a_member_of_another_household_cannot_raise_see_or_answer_a_signal(client, family):
    signal = raise_now(family)
    sign_in_as(client, family.users["outsider"])
    base = f"/h/{family.household.id}/signals"
    assert client.get(f"{base}/{signal.id}").status_code == 404
    assert client.post(f"{base}/{signal.id}/ack", data={"kind": "going"}).status_code == 404
    assert client.post(f"{base}/new", data={"client_id": "outsider-1"}).status_code == 404
    # Their own household's URL with this signal's id: not found either.
    assert client.get(f"/h/{family.other_household.id}/signals/{signal.id}").status_code == 404


def test_a_hidden_member_sees_no_sign_of_signals(client, family):
    family.membership("network_member").signals_hidden = True
    db.session.commit()
    signal = raise_now(family)
    sign_in_as(client, family.users["network_member"])
    home = client.get(f"/h/{family.household.id}").get_data(as_text=True)
    assert "Open signal" not in home and "safe object" not in home and "/signals" not in home
    assert client.get(f"/h/{family.household.id}/signals").status_code == 404
    assert client.get(f"/h/{family.household.id}/signals/{signal.id}").status_code == 404
    assert client.get(f"/h/{family.household.id}/signals/new").status_code == 404


def test_the_chair_sets_the_alert_plan_and_sees_who_can_be_reached(client, family, push_service):
    add_device(family.users["safety_person"], push_service)
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    url = f"/h/{family.household.id}/alerts"
    html = client.get(url).get_data(as_text=True)
    assert "Grandma Gwen" in html and "1 device" in html and "Cannot be reached: no working device, no e-mail address" in html
    ned = family.membership("network_member").id
    bad = client.post(url, data={"escalate_after_minutes": "0", f"ring_{ned}": "2"})
    assert bad.status_code == 200 and "Choose between 1 and 30 minutes." in bad.get_data(as_text=True)
    form = {"escalate_after_minutes": "5", f"ring_{ned}": "2", f"hidden_{family.membership('household_member').id}": "y"}
    for key in ("household_member", "safety_person", "chair"):
        form.setdefault(f"ring_{family.membership(key).id}", "1" if key == "safety_person" else "3")
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert family.household.escalate_after_minutes == 5
    assert db.session.scalar(select(AlertRing.ring).where(AlertRing.membership_id == ned)) == 2
    assert family.membership("household_member").signals_hidden


def test_devices_malformed_subscriptions_get_a_clear_400(client, family):
    sign_in_as(client, family.users["safety_person"])
    for body in (None, {"endpoint": 5}, {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": "x", "auth": "y"}}):
        response = client.post("/settings/devices", json=body)
        assert response.status_code == 400 and response.json["error"]
    # A URL that is not a known push service would make Kring call into other machines.
    response = client.post("/settings/devices", json={"endpoint": "http://10.0.0.1/admin", "keys": {}})
    assert response.status_code == 400 and "push service" in response.json["error"]


def test_devices_are_saved_tested_and_removed_only_by_their_owner(app, client, family, push_service):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    sub = push_service.new_subscription()
    sign_in_as(client, family.users["safety_person"])
    response = client.post("/settings/devices", json=sub, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0"})
    assert response.status_code == 201 and response.json["name"] == "Android – Chrome"
    device_id = response.json["id"]
    assert "Android – Chrome" in client.get("/settings/devices").get_data(as_text=True)
    sign_in_as(client, family.users["chair"])
    assert client.post(f"/settings/devices/{device_id}/delete").status_code == 404
    sign_in_as(client, family.users["safety_person"])
    client.post(f"/settings/devices/{device_id}/delete")
    assert "No device gets alerts yet." in client.get("/settings/devices").get_data(as_text=True)


def test_marking_myself_unreachable_and_back(client, family):
    sign_in_as(client, family.users["safety_person"])
    client.post("/settings/availability", data={"hours": "24"})
    db.session.expire_all()
    assert family.users["safety_person"].unreachable_until > utcnow()
    assert "The alert plan skips you until" in client.get("/settings/devices").get_data(as_text=True)
    client.post("/settings/availability", data={"reachable": "1"})
    db.session.expire_all()
    assert family.users["safety_person"].unreachable_until is None
