"""Network meetings through HTTP: only the chair plans and records, the network replies and asks, other households
see nothing, the pack and the minutes show what they should to whom, and every page prints."""
import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.meetings.conftest import plan, statement
from tests.meetings.test_pack import seed
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus, Reply
from webapp.safety_plan import services as plan_services


def _url(meeting, tail: str = "") -> str:
    return f"/h/{meeting.household_id}/meetings/{meeting.id}{tail}"


def _form(family, **changes) -> dict:
    day = (utcnow() + timedelta(days=10)).date()
    data = {"day": day.isoformat(), "start": "19:30", "duration": "90", "place": "Dorpsstraat 4", "video_link": "",
            "chair": str(family.users["chair"].id),
            "invitees": [str(family.users["household_member"].id), str(family.users["network_member"].id)]}
    data.update(changes)
    return data


def test_the_chair_plans_a_meeting_and_a_missing_place_keeps_what_was_typed(client, family):
    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{family.household.id}/meetings/new").text
    assert "Plan it and send the invitations" in page and "Neighbour Ned" in page and "Kid Kim" not in page
    refused = client.post(f"/h/{family.household.id}/meetings/new", data=_form(family, place="", video_link=""))
    assert refused.status_code == 422
    assert "Write where you meet, or give a video call link." in refused.text
    assert 'value="19:30"' in refused.text
    bad_link = client.post(f"/h/{family.household.id}/meetings/new", data=_form(family, video_link="meet me"))
    assert bad_link.status_code == 422 and "This is not a link." in bad_link.text
    past = client.post(f"/h/{family.household.id}/meetings/new",
                       data=_form(family, day=(utcnow() - timedelta(days=2)).date().isoformat()))
    assert past.status_code == 422 and "This time has already passed." in past.text
    done = client.post(f"/h/{family.household.id}/meetings/new", data=_form(family))
    meeting = db.session.scalar(select(Meeting))
    assert done.status_code == 302 and done.headers["Location"].endswith(_url(meeting))
    assert {i.user_id for i in meeting.invites} == {family.users["household_member"].id,
                                                    family.users["network_member"].id}
    assert meeting.place == "Dorpsstraat 4" and meeting.status == MeetingStatus.planned
    home = client.get(f"/h/{family.household.id}").text
    assert "Next meeting:" in home


def test_the_home_names_the_next_meeting_that_is_not_cancelled_in_the_households_time(client, family):
    """Of a past meeting, a cancelled one tomorrow and two to come, the home shows when the first of those two starts,
    as a clock in Amsterdam reads it."""
    now = utcnow()
    plan(family, now - timedelta(days=3))
    cancelled = plan(family, (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0))
    cancelled.status = MeetingStatus.cancelled
    plan(family, (now + timedelta(days=9)).replace(hour=18, minute=30, second=0, microsecond=0))
    first = plan(family, (now + timedelta(days=4)).replace(hour=17, minute=45, second=0, microsecond=0))
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    home = client.get(f"/h/{family.household.id}").text
    meta = re.search(r'meeting-home.*?<span class="home-link__meta">([^<]*)</span>', home, re.S).group(1)
    local = first.starts_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Amsterdam"))
    day = f"{local.day} {local:%B %Y}"
    assert meta.startswith("Next meeting: ") and day in meta and meta.endswith(f", {local:%H:%M}"), (meta, day)


def test_a_network_member_replies_and_asks_but_cannot_plan_or_record(client, family):
    meeting = plan(family, utcnow() - timedelta(hours=1))
    sign_in_as(client, family.users["network_member"])
    assert client.get(f"/h/{family.household.id}/meetings/new").status_code == 403
    assert client.post(f"/h/{family.household.id}/meetings/new", data=_form(family)).status_code == 403
    assert client.get(_url(meeting, "/record")).status_code == 403
    assert client.post(_url(meeting, "/decisions"), data={"decision-text": "x"}).status_code == 403
    assert client.post(_url(meeting, "/share")).status_code == 403
    page = client.get(_url(meeting)).text
    assert "Are you coming?" in page and "Record the meeting" not in page
    assert client.post(_url(meeting, "/reply"), data={"reply": "coming"}).status_code == 302
    empty = client.post(_url(meeting, "/questions"), data={"text": "  "})
    assert empty.status_code == 422 and "Write what you want to talk about." in empty.text
    client.post(_url(meeting, "/questions"), data={"text": "How do we handle the weekends?"})
    db.session.expire_all()
    assert [i.reply for i in meeting.invites if i.user_id == family.users["network_member"].id] == [Reply.coming]
    assert [q.text for q in meeting.questions] == ["How do we handle the weekends?"]
    page = client.get(_url(meeting)).text
    assert "How do we handle the weekends?" in page and "I am coming" in page
    index = client.get(f"/h/{family.household.id}/meetings/").text
    assert "Not recorded yet" in index and "Plan a meeting" not in index and "To record" not in index


def test_another_household_and_professionals_see_no_meeting(client, family):
    meeting = plan(family)
    sign_in_as(client, family.users["outsider"])
    for tail in ("", "/pack", "/minutes", "/calendar.ics", "/pack/print"):
        assert client.get(_url(meeting, tail)).status_code == 404, tail
    assert client.post(_url(meeting, "/reply"), data={"reply": "coming"}).status_code == 404
    sign_in_as(client, family.users["professional"])
    assert client.get(_url(meeting)).status_code == 403
    assert client.get(f"/h/{family.household.id}/meetings/").status_code == 403


def test_the_calendar_file_downloads_as_a_valid_event(client, family):
    meeting = plan(family, place="Dorpsstraat 4")
    sign_in_as(client, family.users["safety_person"])
    response = client.get(_url(meeting, "/calendar.ics"))
    assert response.mimetype == "text/calendar" and "attachment" in response.headers["Content-Disposition"]
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("DTSTART").replace(tzinfo=None) == meeting.starts_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Dorpsstraat 4" and str(event["SUMMARY"]) == "Network meeting"


def test_the_pack_page_shows_the_counts_and_hides_signals_from_whom_they_are_hidden(app, client, family):
    seeded = seed(app, family)
    sign_in_as(client, family.users["safety_person"])
    page = client.get(_url(seeded.meeting, "/pack")).text
    assert "7 entries" in page and "2 signals" in page and "1 answered" in page
    assert "half were answered within 2 minutes" in page
    assert "Grandma Gwen after 2 minutes" in page
    assert "1 of " in page and "days had all six elements" in page
    assert "Middle now: 6.5" in page and "higher than before (4.5)" in page
    assert "Weekends at dad&#39;s?" in page and "not kept at least once" in page
    printed = client.get(_url(seeded.meeting, "/pack/print")).text
    assert 'class="print-page"' in printed and "7 entries" in printed and "Family Test" in printed
    family.membership("household_member").signals_hidden = True
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    hidden = client.get(_url(seeded.meeting, "/pack")).text
    assert "7 entries" in hidden and "signals-title" not in hidden and "Grandma Gwen after" not in hidden


def test_minutes_with_a_decision_make_a_draft_and_are_read_once_shared(client, family):
    in_force = plan_services.start_plan(db.session, family.household, family.users["chair"])
    plan_services.add_agreement(db.session, in_force, plan_services.AgreementInput("Bedtime at half past seven"))
    plan_services.agree(db.session, in_force)
    calm = statement(family)
    meeting = plan(family, utcnow() - timedelta(hours=2), invited=("household_member", "network_member"))
    sign_in_as(client, family.users["chair"])
    record = client.get(_url(meeting, "/record")).text
    assert "Save the minutes" in record and "Bedtime at half past seven" in record
    next_day = (utcnow() + timedelta(days=28)).date().isoformat()
    client.post(_url(meeting, "/record"), data={
        "chair": str(family.users["chair"].id), "attended": [str(family.users["household_member"].id)],
        "worries": "Shouting once at bedtime", "going_well": "Calm mornings", "next_steps": "Ned visits on Friday",
        "next_day": next_day, "next_start": "19:30"})
    missing = client.post(_url(meeting, "/scores"), data={"score-person": str(family.users["network_member"].id),
                                                          "score-scale": str(calm.scale.id), "score-score": "6"})
    assert missing.status_code == 422 and "Write what they saw that makes it this number." in missing.text
    client.post(_url(meeting, "/scores"), data={"score-person": str(family.users["network_member"].id),
                                                 "score-scale": str(calm.scale.id), "score-score": "6",
                                                 "score-behaviour": "No loud voices this month"})
    no_words = client.post(_url(meeting, "/decisions"), data={"decision-text": "Ned checks", "decision-change": "add"})
    assert no_words.status_code == 422 and "Write the agreement as it should be in the plan." in no_words.text
    assert 'Ned checks</textarea>' in no_words.text
    added = client.post(_url(meeting, "/decisions"), data={
        "decision-text": "Ned checks the window", "decision-change": "add",
        "decision-proposed_text": "Ned looks at the window every day"})
    assert added.status_code == 302
    draft = plan_services.draft_of(db.session, family.household.id)
    assert draft is not None and draft.meeting_id == meeting.id
    assert [a.what for a in draft.agreements] == ["Bedtime at half past seven", "Ned looks at the window every day"]
    assert plan_services.version_in_force(db.session, family.household.id).id == in_force.id

    sign_in_as(client, family.users["network_member"])
    assert "The chair has not shared the minutes yet." in client.get(_url(meeting, "/minutes")).text
    sign_in_as(client, family.users["chair"])
    assert client.post(_url(meeting, "/share")).status_code == 302
    sign_in_as(client, family.users["network_member"])
    minutes = client.get(_url(meeting, "/minutes")).text
    for text in ("Shouting once at bedtime", "Parent Pat", "No loud voices this month", "Ned checks the window",
                 "In draft version 2 of the safety plan: not agreed yet.", "Aunt Chris (from the network)"):
        assert text in minutes, text
    printed = client.get(_url(meeting, "/minutes/print")).text
    assert 'class="print-page"' in printed and "Ned looks at the window every day" in printed
    index = client.get(f"/h/{family.household.id}/meetings/").text
    assert "The last meeting was chaired by someone from the network." in index


def test_the_chair_confirms_before_a_meeting_is_cancelled(client, family):
    meeting = plan(family)
    sign_in_as(client, family.users["chair"])
    page = client.get(_url(meeting, "/cancel")).text
    assert "Yes, cancel the meeting" in page
    db.session.expire_all()
    assert meeting.status == MeetingStatus.planned  # looking at the question changes nothing
    assert client.post(_url(meeting, "/cancel")).status_code == 302
    db.session.expire_all()
    assert meeting.status == MeetingStatus.cancelled
    sign_in_as(client, family.users["network_member"])
    refused = client.post(_url(meeting, "/reply"), data={"reply": "coming"}, follow_redirects=True)
    assert "This meeting is no longer planned" in refused.text


def test_the_pack_starts_with_links_to_each_of_its_parts(app, client, family):
    seeded = seed(app, family)
    sign_in_as(client, family.users["chair"])
    page = client.get(_url(seeded.meeting, "/pack")).text
    jump = page.split('class="jump-list"')[1].split("</nav>")[0]
    for part in ("agenda", "log", "signals", "calendar", "scales", "network"):
        assert f'href="#{part}-title"' in jump and f'id="{part}-title"' in page
