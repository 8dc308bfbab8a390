"""The weekly reminder to plan next week: a person turns it on for a household; the worker sends it to
their devices, in their language, discreetly; closing households and people who did not ask get nothing."""
from tests.conftest import sign_in_as
from tests.signals.conftest import add_device, sender  # noqa: F401 (a fixture)
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.notify.sender import send_all
from webapp.resilience_calendar.reminders import weekly_reminders


def test_a_member_turns_the_weekly_reminder_on_and_off(client, family):
    sign_in_as(client, family.users["network_member"])
    url = f"/h/{family.household.id}/calendar/"
    page = client.get(url).text
    assert "Remind me every Sunday" in page and "first turn on alerts on this phone" in page
    client.post(f"/h/{family.household.id}/calendar/reminder", data={"on": "1"})
    assert family.membership("network_member").calendar_reminder
    assert "Stop the reminder" in client.get(url).text
    client.post(f"/h/{family.household.id}/calendar/reminder", data={"on": "0"})
    db.session.expire_all()
    assert not family.membership("network_member").calendar_reminder


def test_the_reminder_reaches_the_devices_of_who_asked_for_it(app, family, push_service, sender):
    family.users["safety_person"].locale = "nl"
    phone = add_device(family.users["safety_person"], push_service)
    add_device(family.users["chair"], push_service)  # did not ask
    family.membership("safety_person").calendar_reminder = True
    db.session.commit()
    reminders = weekly_reminders(db.session, "nl")
    assert [r.device_id for r in reminders] == [phone.id]
    outcomes = list(send_all([r.message for r in reminders], sender))
    assert [o.error for o in outcomes] == [None] and outcomes[0].delivery_id == phone.id
    [message] = push_service.wait_for(1)
    assert message.endpoint == phone.endpoint
    assert message.json["url"] == f"/h/{family.household.id}/calendar/" and message.urgency == "normal"
    assert "Family Test" not in message.payload.decode()


def test_a_closing_household_gets_no_reminders(family, push_service):
    add_device(family.users["safety_person"], push_service)
    family.membership("safety_person").calendar_reminder = True
    family.household.erase_at = utcnow()
    db.session.commit()
    assert weekly_reminders(db.session, "nl") == []
