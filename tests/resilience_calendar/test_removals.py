"""Removing from the calendar leaves a trace and can be undone: removed activities drop out of every figure and
page, the week shows who removed what and when, and one "undo" brings back what one removal took out."""
import io
import json
import re
import zipfile
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp import evidence
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Household
from webapp.ownership.services import erase_household, export_person, leave_household
from webapp.resilience_calendar.models import CalendarActivity, ResilienceElement as E
from webapp.resilience_calendar.services import (ActivityInput, add_activity, copy_week, filled_days_trend,
                                                 remove_activity, removed_in_week, restore_activity, week)

MONDAY = date(2026, 11, 23)
WEEK = "2026-W48"
REMOVED_AT = datetime(2026, 11, 20, 13, 5)  # 14:05 in Amsterdam


def _add(family, day, text, elements=frozenset(E), who="household_member", repeat=False, start=time(8)):
    return add_activity(db.session, family.household, family.users[who], ActivityInput(day, text, set(elements),
                                                                                        start_time=start),
                        repeat_weekly=repeat)


def _remove(family, activity, who="network_member", following=False, at=REMOVED_AT):
    return remove_activity(db.session, activity, family.users[who], at, following=following)


def _in_calendar(family) -> list[tuple[date, str]]:
    return sorted((a.day, a.description) for a in db.session.scalars(
        select(CalendarActivity).where(CalendarActivity.household_id == family.household.id,
                                       CalendarActivity.removed_at.is_(None))))


# --- services ---------------------------------------------------------------------------------------------

def test_removing_keeps_the_activity_marked_with_who_and_when(app, family):
    [breakfast] = _add(family, MONDAY, "Breakfast together")
    assert _remove(family, breakfast) == 1
    db.session.commit()
    kept = db.session.get(CalendarActivity, breakfast.id)
    assert kept is not None and kept.removed_at == REMOVED_AT and kept.removed_by == family.users["network_member"]
    assert _remove(family, kept) == 0  # a second tap removes nothing more and keeps the first trace
    assert kept.removed_by == family.users["network_member"]


def test_removed_activities_leave_the_week_its_figures_the_trend_and_copies(app, family):
    [whole_day] = _add(family, MONDAY, "The whole day together")
    _add(family, MONDAY + timedelta(days=1), "Tuesday, all of it")
    [last_week] = _add(family, MONDAY - timedelta(weeks=1), "Swimming", {E.exercise})
    assert week(db.session, family.household, MONDAY).filled_days == 2
    _remove(family, whole_day)
    _remove(family, last_week)

    the_week = week(db.session, family.household, MONDAY)
    assert the_week.days[0].activities == [] and not the_week.days[0].filled
    assert the_week.filled_days == 1
    assert [filled for _, filled in filled_days_trend(db.session, family.household, MONDAY, weeks=2)] == [0, 1]
    assert copy_week(db.session, family.household, family.users["chair"], MONDAY - timedelta(weeks=1), MONDAY) == 0
    assert _in_calendar(family) == [(MONDAY + timedelta(days=1), "Tuesday, all of it")]


def test_evidence_for_the_meeting_pack_and_summary_leaves_removed_activities_out(app, family):
    period = evidence.Period(datetime(2026, 11, 22, 23), datetime(2026, 11, 29, 23))
    tz = ZoneInfo("Europe/Amsterdam")
    [by_ned] = _add(family, MONDAY, "The whole day together", who="network_member")
    by_ned.created_at = datetime(2026, 11, 23, 9)
    _add(family, MONDAY + timedelta(days=2), "Wednesday, all of it")
    assert evidence.calendar_filled(db.session, family.household, period, tz).filled_days == 2
    _remove(family, by_ned, who="household_member")
    db.session.commit()

    filled = evidence.calendar_filled(db.session, family.household, period, tz)
    assert filled.filled_days == 1 and filled.per_week == [(MONDAY, 1)]
    # Ned's only calendar activity was taken out: it no longer makes him an active member.
    assert "Neighbour Ned" not in evidence.network(db.session, family.household, period).active_people


def test_removing_a_series_from_a_week_and_one_undo_brings_all_those_weeks_back(app, family):
    swimming = _add(family, MONDAY, "Swimming", {E.exercise}, repeat=True)
    assert _remove(family, swimming[1], who="chair", at=REMOVED_AT - timedelta(days=1)) == 1  # only week 2, earlier
    assert _remove(family, swimming[5], following=True) == 7  # weeks 6 to 12, in one go
    assert [a.day for a in swimming if a.removed_at is None] == [MONDAY + timedelta(weeks=w) for w in (0, 2, 3, 4)]

    [removal] = removed_in_week(db.session, family.household, MONDAY + timedelta(weeks=8))
    assert removal.activity == swimming[8] and removal.together == 7
    [single] = removed_in_week(db.session, family.household, MONDAY + timedelta(weeks=1))
    assert single.activity == swimming[1] and single.together == 1
    assert removed_in_week(db.session, family.household, MONDAY) == []

    assert restore_activity(db.session, swimming[8]) == 7  # undo from any of its weeks
    assert [a.day for a in swimming if a.removed_at is None] == [
        MONDAY + timedelta(weeks=w) for w in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]
    assert swimming[1].removed_at is not None  # the other removal stays until it is undone itself
    assert all(a.removed_by is None for a in swimming if a.removed_at is None)
    assert restore_activity(db.session, swimming[8]) == 0


def test_changing_the_following_weeks_leaves_removed_weeks_alone(app, family):
    from webapp.resilience_calendar.services import update_activity
    swimming = _add(family, MONDAY, "Swimming", {E.exercise}, repeat=True)
    _remove(family, swimming[3])
    update_activity(db.session, swimming[0], ActivityInput(MONDAY, "Swimming lesson", {E.exercise}, start_time=time(9)),
                    following=True)
    assert swimming[3].description == "Swimming" and swimming[4].description == "Swimming lesson"
    _remove(family, swimming[2], following=True, at=REMOVED_AT + timedelta(minutes=1))
    [week_4] = removed_in_week(db.session, family.household, MONDAY + timedelta(weeks=3))
    assert week_4.activity.removed_at == REMOVED_AT and week_4.together == 1  # not swept into the later removal


def test_exports_keep_removed_activities_clearly_marked(app, family):
    [kept] = _add(family, MONDAY, "Breakfast together", who="safety_person")
    [gone] = _add(family, MONDAY, "Football", {E.exercise}, who="safety_person")
    _remove(family, gone)
    db.session.commit()

    person = zipfile.ZipFile(io.BytesIO(export_person(db.session, app.instance_path, family.users["safety_person"])))
    mine = {a["what"]: a for a in json.loads(person.read("calendar.json"))}
    assert mine["Breakfast together"]["removed"] is False
    assert mine["Football"]["removed"] is True and mine["Football"]["removed_by"] == "Neighbour Ned"
    assert mine["Football"]["removed_at"] == REMOVED_AT.isoformat()

    client = app.test_client()
    sign_in_as(client, family.users["household_member"])
    household = zipfile.ZipFile(io.BytesIO(client.get(f"/h/{family.household.id}/export").data))
    records = {a["what"]: a for a in json.loads(household.read("calendar.json"))}
    assert records["Football"]["removed"] is True and records["Breakfast together"]["removed"] is False


def test_who_removed_it_becomes_a_former_member_when_they_leave(app, family):
    [gone] = _add(family, MONDAY, "Football", {E.exercise})
    _remove(family, gone)
    db.session.commit()
    leave_household(db.session, family.membership("network_member"))
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(CalendarActivity, gone.id)
    assert kept.removed_at == REMOVED_AT and kept.removed_by_id is None

    client = app.test_client()
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{family.household.id}/calendar/?week={WEEK}").text
    assert "Removed by Former member" in page and "Neighbour Ned" not in page


def test_erasing_a_household_erases_removed_activities_too(app, family):
    [gone] = _add(family, MONDAY, "Football", {E.exercise})
    _remove(family, gone)
    db.session.commit()
    erase_household(db.session, app.instance_path, db.session.get(Household, family.household.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CalendarActivity)) == 0


# --- pages --------------------------------------------------------------------------------------------------

def _client(app, family, who):
    client = app.test_client()
    sign_in_as(client, family.users[who])
    return client


def _removed_section(page: str) -> str:
    match = re.search(r'<section class="section" id="removed".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_removing_someone_elses_activity_asks_first_and_says_it_can_be_undone(app, family):
    [breakfast] = _add(family, MONDAY, "Breakfast together")
    db.session.commit()
    ned = _client(app, family, "network_member")
    base = f"/h/{family.household.id}/calendar/{breakfast.id}"

    edit = ned.get(f"{base}/edit").text
    assert re.search(rf'<form method="get" action="{base}/remove">', edit)  # Pat's activity: a page asks first
    ask = ned.get(f"{base}/remove")
    assert ask.status_code == 200 and "Remove this activity?" in ask.text and "Breakfast together" in ask.text
    assert "Put in the calendar by Parent Pat." in ask.text
    assert "You can undo this." in ask.text
    assert db.session.get(CalendarActivity, breakfast.id).removed_at is None  # asking changed nothing

    done = ned.post(f"{base}/remove", data={"scope": "one"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"week={WEEK}&day={MONDAY}#removed")
    page = ned.get(f"/h/{family.household.id}/calendar/?week={WEEK}&day={MONDAY}").text
    assert "Undo it under “Removed this week”" in page
    removed = _removed_section(page)
    assert "Breakfast together" in removed and "Removed by Neighbour Ned on" in removed
    assert f'action="{base}/restore"' in removed and "Undo" in removed
    assert "Breakfast together" not in page.replace(removed, "")  # not in the day any more
    assert "0 of 7 days filled" in page


def test_ones_own_activity_goes_at_once_and_undo_brings_it_back(app, family):
    [breakfast] = _add(family, MONDAY, "Breakfast together", who="network_member")
    db.session.commit()
    ned = _client(app, family, "network_member")
    base = f"/h/{family.household.id}/calendar/{breakfast.id}"
    assert re.search(rf'<form method="post" action="{base}/remove">', ned.get(f"{base}/edit").text)
    ned.post(f"{base}/remove", data={})
    assert db.session.get(CalendarActivity, breakfast.id).removed_at is not None

    pat = _client(app, family, "household_member")  # anyone in the network can undo it
    back = pat.post(f"{base}/restore", data={})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"week={WEEK}&day={MONDAY}")
    page = pat.get(back.headers["Location"]).text
    assert "The activity is back in the calendar." in page
    assert "Breakfast together" in page and _removed_section(page) == "" and "1 of 7 days filled" in page
    again = pat.post(f"{base}/restore", data={})
    assert "This activity is already in the calendar." in pat.get(again.headers["Location"]).text


def test_undo_of_a_removed_series_brings_every_week_back(app, family):
    swimming = _add(family, MONDAY, "Swimming", {E.exercise}, repeat=True, who="chair")
    db.session.commit()
    ned = _client(app, family, "network_member")
    base = f"/h/{family.household.id}/calendar/{swimming[2].id}"
    ask = ned.get(f"{base}/remove?scope=following").text
    assert "This removes it from this week and the 9 weeks after." in ask
    ned.post(f"{base}/remove", data={"scope": "following"})
    assert len(_in_calendar(family)) == 2

    later = ned.get(f"/h/{family.household.id}/calendar/?week=2026-W52").text
    assert "Together with 9 other weeks of this weekly activity." in _removed_section(later)
    ned.post(f"/h/{family.household.id}/calendar/{swimming[4].id}/restore", data={})
    assert len(_in_calendar(family)) == 12
    assert "10 activities are back in the calendar." in ned.get(f"/h/{family.household.id}/calendar/?week=2026-W52").text


def test_a_removed_activity_is_not_printed_charted_or_changed(app, family):
    [gone] = _add(family, MONDAY, "Secret football", {E.exercise})
    _add(family, MONDAY, "Breakfast together")
    _remove(family, gone, at=utcnow())
    db.session.commit()
    pat = _client(app, family, "household_member")
    printed = pat.get(f"/h/{family.household.id}/calendar/print?week={WEEK}").text
    assert "Breakfast together" in printed and "Secret football" not in printed
    edit = pat.get(f"/h/{family.household.id}/calendar/{gone.id}/edit")
    assert edit.status_code == 302 and edit.headers["Location"].endswith("#removed")
    again = pat.post(f"/h/{family.household.id}/calendar/{gone.id}/remove", data={})
    assert again.status_code == 302
    assert db.session.get(CalendarActivity, gone.id).removed_by == family.users["network_member"]  # first trace kept


def test_undo_needs_calendar_rights_and_the_right_household(app, family):
    [gone] = _add(family, MONDAY, "Football", {E.exercise})
    _remove(family, gone)
    db.session.commit()
    url = f"/h/{family.household.id}/calendar/{gone.id}/restore"
    assert _client(app, family, "professional").post(url, data={}).status_code == 403
    assert _client(app, family, "outsider").post(url, data={}).status_code == 404
    outsider_own = f"/h/{family.other_household.id}/calendar/{gone.id}/restore"
    assert _client(app, family, "outsider").post(outsider_own, data={}).status_code == 404
    assert db.session.get(CalendarActivity, gone.id).removed_at is not None
