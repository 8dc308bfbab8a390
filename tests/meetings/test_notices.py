"""What a meeting sends, checked at the real local push service and SMTP server: invitations reach every device and
mailbox, the calendar file is a valid event that calendars update in place, and lock-screen text stays discreet."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.meetings.conftest import plan
from tests.signals.conftest import add_device
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.meetings import notices, services
from webapp.notify.sender import send_all

SETTINGS = notices.Settings("https://kring.example.nl", "nl", ZoneInfo("Europe/Amsterdam"))
WINTER_EVENING = datetime(2030, 1, 15, 18, 30)  # 19:30 in Amsterdam


def _event(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_calendar_file_is_one_event_that_a_change_updates(family):
    meeting = plan(family, WINTER_EVENING, place="Dorpsstraat 4")
    calendar, event = _event(notices.calendar_file(meeting, family.users["network_member"], SETTINGS))
    assert calendar["METHOD"] == "PUBLISH"
    assert event.decoded("DTSTART") == WINTER_EVENING.replace(tzinfo=ZoneInfo("UTC"))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Network meeting" and str(event["LOCATION"]) == "Dorpsstraat 4"
    assert str(event["UID"]) == f"kring-meeting-{meeting.id}@kring.example.nl"
    assert f"/h/{family.household.id}/meetings/{meeting.id}" in str(event["DESCRIPTION"])
    data = services.MeetingInput(WINTER_EVENING + timedelta(hours=1), 90, "Dorpsstraat 4", "https://meet.example/x",
                                 meeting.chair_id)
    services.update_meeting(db.session, meeting, family.household, data, utcnow())
    _calendar, moved = _event(notices.calendar_file(meeting, family.users["network_member"], SETTINGS))
    assert str(moved["UID"]) == str(event["UID"]) and moved["SEQUENCE"] == 1
    assert "https://meet.example/x" in str(moved["DESCRIPTION"])
    services.cancel_meeting(db.session, meeting)
    _calendar, cancelled = _event(notices.calendar_file(meeting, family.users["network_member"], SETTINGS))
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 2


def test_invitations_reach_phones_and_mailboxes_discreetly(app, family, push_service, smtp_server, mail_sender):
    kim, ned = family.users["safety_person"], family.users["network_member"]
    kim.locale, kim.email = "nl", "gwen@example.org"
    ned.discreet, ned.email = True, "ned@example.org"
    phone, discreet_phone = add_device(kim, push_service), add_device(ned, push_service)
    meeting = plan(family, WINTER_EVENING, place="Dorpsstraat 4")
    messages = notices.messages(db.session, meeting, [kim.id, ned.id], "invite", SETTINGS)
    outcomes = list(send_all(messages, mail_sender))
    assert [o.error for o in outcomes] == [None] * 4
    pushes = {m.endpoint: m.json for m in push_service.wait_for(2)}
    assert pushes[phone.endpoint]["url"] == f"/h/{family.household.id}/meetings/{meeting.id}"
    assert "15 januari" in pushes[phone.endpoint]["body"] and "19:30" in pushes[phone.endpoint]["body"]
    assert pushes[discreet_phone.endpoint]["title"] == "Notes"
    assert "meeting" not in pushes[discreet_phone.endpoint]["body"].lower()
    for payload in pushes.values():
        assert "Family Test" not in str(payload)  # never the household's name on a lock screen
    mails = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert "Family Test" not in mails["ned@example.org"]["Subject"]
    [attachment] = [part for part in mails["gwen@example.org"].iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    _calendar, event = _event(attachment.get_payload(decode=True))
    assert event.decoded("DTSTART") == WINTER_EVENING.replace(tzinfo=ZoneInfo("UTC"))
    assert str(event["LOCATION"]) == "Dorpsstraat 4"
    discreet_file = next(iter(mails["ned@example.org"].iter_attachments()))
    _calendar, discreet_event = _event(discreet_file.get_payload(decode=True))
    assert str(discreet_event["SUMMARY"]) == "Meeting"


def test_the_worker_task_sends_the_minutes_notice_by_push_only(app, family, push_service, smtp_server, mail_sender,
                                                                monkeypatch):
    from webapp import queue
    from webapp.meetings import tasks
    monkeypatch.setattr(queue, "_app", app)
    app.config["BASE_URL"] = "https://kring.example.nl"
    family.users["household_member"].email = "pat@example.org"
    phone = add_device(family.users["household_member"], push_service)
    meeting = plan(family)
    db.session.commit()
    assert tasks.send_notices.call_local(meeting.id, [family.users["household_member"].id], "minutes") == 1
    [message] = push_service.wait_for(1)
    assert message.endpoint == phone.endpoint and message.json["url"].endswith(f"/meetings/{meeting.id}/minutes")
    assert smtp_server.messages == []
    db.session.expire_all()
    assert phone.last_success_at is not None
