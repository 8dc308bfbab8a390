"""The test alert ("did you get it?"): sent to a device, confirmed by tapping it; the chair sees devices
whose test alert nobody confirmed, or that stopped taking alerts."""
from datetime import timedelta

from tests.conftest import sign_in_as
from tests.signals.conftest import NOW, add_device
from webapp.extensions import db
from webapp.notify.services import record_probe
from webapp.signals import delivery, services


def test_a_test_alert_arrives_and_tapping_it_confirms_the_device(app, client, family, push_service, sender):
    device = add_device(family.users["safety_person"], push_service)
    db.session.commit()
    outcome = sender.send(delivery.probe_message(device, "nl", app.config["SECRET_KEY"]))
    record_probe(db.session, device, outcome, NOW)
    db.session.commit()
    [message] = push_service.wait_for(1)
    assert message.json["type"] == "test" and message.json["actions"][0]["action"] == "confirm"
    assert device.unconfirmed(NOW + timedelta(days=3))
    assert client.post(message.json["ack"]).status_code == 200
    db.session.refresh(device)
    assert device.confirmed_at is not None and not device.unconfirmed(NOW + timedelta(days=3))
    assert client.post(message.json["ack"][:-3] + "abc").status_code == 404


def test_the_chair_sees_devices_that_did_not_confirm_or_failed(client, family, push_service):
    quiet = add_device(family.users["safety_person"], push_service)
    broken = add_device(family.users["network_member"], push_service)
    quiet.last_check_at = NOW - timedelta(days=5)
    broken.last_failure_at, broken.last_error = NOW, "push service answered 500"
    db.session.commit()
    reach = {r.membership.user.username: r for r in services.reach(db.session, family.household, NOW)}
    assert reach["safety-person"].unconfirmed_devices(NOW) == [quiet]
    assert reach["network-member"].failing_devices == [broken] and not reach["network-member"].by_push
    sign_in_as(client, family.users["chair"])
    html = client.get(f"/h/{family.household.id}/alerts").get_data(as_text=True)
    assert "1 device did not confirm the monthly test alert" in html
    assert "1 device failed the last time" in html


def test_whether_alerts_are_on_is_read_in_sql_by_the_same_rule_as_a_failing_device(family, push_service):
    """The home's "alerts are on" and the calendar's reminder hint ask the database (devices.has_device); its SQL
    rule for a failing device must say what PushSubscription.failing says, for every order of success and failure."""
    from webapp.notify.devices import has_device
    person = family.users["safety_person"]
    assert not has_device(db.session, person.id) and not has_device(db.session, person.id, working=True)
    device = add_device(person, push_service)
    earlier, later = NOW - timedelta(hours=1), NOW
    for success, failure in [(None, None), (later, None), (None, later), (earlier, later), (later, earlier),
                             (later, later)]:
        device.last_success_at, device.last_failure_at = success, failure
        db.session.flush()
        assert has_device(db.session, person.id)
        assert has_device(db.session, person.id, working=True) is (not device.failing), (success, failure)
