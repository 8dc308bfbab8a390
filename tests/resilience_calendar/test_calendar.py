"""The resilience calendar: a filled day has all six elements; weeks repeat, copy and stay readable."""
import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from tests.conftest import sign_in_as
from webapp.extensions import db
from webapp.resilience_calendar.models import CalendarActivity, PartOfDay, ResilienceElement as E
from webapp.resilience_calendar.services import (ActivityInput, add_activity, copy_week, filled_days_trend, parse_week,
                                                 remove_activity, update_activity, week)

MONDAY = date(2026, 11, 23)
ALL = set(E)


def _add(family, day, text, elements, start=time(8), repeat=False, who="household_member"):
    return add_activity(db.session, family.household, family.users[who],
                        ActivityInput(day, text, set(elements), start_time=start), repeat_weekly=repeat)


def test_a_day_is_filled_when_all_six_elements_are_in_it(app, family):
    _add(family, MONDAY, "Breakfast together", {E.healthy_food, E.loving_contact})
    _add(family, MONDAY, "Cycle to school", {E.exercise, E.outdoors}, start=time(8, 30))
    the_week = week(db.session, family.household, MONDAY)
    monday = the_week.days[0]
    assert not monday.filled and monday.missing == [E.sleep, E.mindfulness]
    _add(family, MONDAY, "Quiet story, lights out at eight", {E.mindfulness, E.sleep}, start=time(19, 30))
    the_week = week(db.session, family.household, MONDAY)
    assert the_week.days[0].filled and the_week.filled_days == 1
    assert [a.description for a in the_week.days[0].activities][0] == "Breakfast together"  # in time order


def test_week_names_the_element_missing_most(app, family):
    for i in range(7):
        _add(family, MONDAY + timedelta(days=i), "Dinner", ALL - {E.outdoors})
    _add(family, MONDAY, "Park", {E.outdoors})
    assert week(db.session, family.household, MONDAY).most_missing == E.outdoors


def test_weekly_activity_repeats_and_one_week_can_differ(app, family):
    made = _add(family, MONDAY, "Swimming", {E.exercise}, repeat=True)
    assert len(made) == 12 and len({a.series_id for a in made}) == 1
    second = made[1]
    update_activity(db.session, second, ActivityInput(second.day, "Swimming with grandma", {E.exercise, E.loving_contact},
                                                      start_time=time(8)))
    assert second.series_id is None and made[2].description == "Swimming"
    remove_activity(db.session, made[5], family.users["household_member"], datetime(2026, 11, 20), following=True)
    left = db.session.scalars(select(CalendarActivity).where(CalendarActivity.series_id == made[0].series_id,
                                                             CalendarActivity.removed_at.is_(None))).all()
    assert len(left) == 4  # weeks 1, 3, 4, 5 of the series; week 2 left it, 6 to 12 removed


def test_copy_last_week_skips_what_is_already_planned(app, family):
    previous = MONDAY - timedelta(weeks=1)
    _add(family, previous, "Breakfast", {E.healthy_food})
    _add(family, previous + timedelta(days=2), "Park", {E.outdoors}, start=time(15))
    _add(family, MONDAY, "Breakfast", {E.healthy_food})
    copied = copy_week(db.session, family.household, family.users["chair"], previous, MONDAY)
    assert copied == 1
    assert {a.description for d in week(db.session, family.household, MONDAY).days for a in d.activities} == {"Breakfast", "Park"}


def test_trend_counts_filled_days_per_week(app, family):
    _add(family, MONDAY - timedelta(weeks=1), "All of it", ALL)
    _add(family, MONDAY, "All of it", ALL)
    _add(family, MONDAY + timedelta(days=1), "All of it", ALL)
    trend = filled_days_trend(db.session, family.household, MONDAY, weeks=3)
    assert [filled for _, filled in trend] == [0, 1, 2]


def test_week_parameter_falls_back_to_this_week():
    assert parse_week("2026-W48", date(2026, 1, 1)) == MONDAY
    assert parse_week("nonsense", date(2026, 11, 25)) == MONDAY


def test_plan_an_activity_through_the_form(client, family):
    sign_in_as(client, family.users["household_member"])
    url = f"/h/{family.household.id}/calendar/new"
    response = client.post(url, data={"day": "2026-11-24", "start_time": "07:30", "description": "Breakfast together",
                                      "elements": ["healthy_food", "loving_contact"]})
    assert response.status_code == 302 and "week=2026-W48" in response.headers["Location"]
    page = client.get(f"/h/{family.household.id}/calendar/?week=2026-W48&day=2026-11-24").text
    assert "Breakfast together" in page and "07:30" in page


def test_bad_activity_input_gets_messages_and_keeps_what_was_typed(client, family):
    sign_in_as(client, family.users["household_member"])
    url = f"/h/{family.household.id}/calendar/new"
    response = client.post(url, data={"day": "2026-11-24", "start_time": "09:00", "end_time": "08:00",
                                      "description": "Walk the dog", "elements": []})
    assert "Choose at least one element." in response.text
    assert "The end is before the start. Check the times." in response.text
    assert 'value="Walk the dog"' in response.text
    empty = client.post(url, data={"day": "2026-11-24", "part_of_day": "morning", "description": " ", "elements": ["sleep"]})
    assert "Write what you do." in empty.text
    no_time = client.post(url, data={"day": "2026-11-24", "description": "Nap", "elements": ["sleep"]})
    assert "Enter a start time or choose a part of the day." in no_time.text
    assert db.session.scalar(select(CalendarActivity)) is None


def test_dutch_messages_for_bad_input(client, family):
    family.users["household_member"].locale = "nl"
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/calendar/new", data={"day": "2026-11-24", "part_of_day": "evening",
                                                                         "description": "Samen eten", "elements": []})
    assert "Kies minstens één element." in response.text and 'value="Samen eten"' in response.text


def test_copy_button_copies_last_week(client, family):
    _add(family, MONDAY - timedelta(weeks=1), "Breakfast", {E.healthy_food})
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    client.post(f"/h/{family.household.id}/calendar/copy", data={"week": "2026-W48"})
    assert "Breakfast" in client.get(f"/h/{family.household.id}/calendar/?week=2026-W48").text


def test_child_adds_i_played_outside(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/calendar/child", data={"preset": "outside"})
    assert "In the calendar!" in response.text
    activity = db.session.scalar(select(CalendarActivity))
    assert activity.by_child and activity.elements == {E.outdoors, E.exercise} and activity.part_of_day in set(PartOfDay)


def test_history_draws_a_chart_readable_without_javascript(client, family):
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{family.household.id}/calendar/history").text
    assert "<svg" in page and 'role="img"' in page and "<table" in page


def test_other_household_and_professional_are_kept_out(app, family):
    activity = _add(family, MONDAY, "Breakfast", {E.healthy_food})[0]
    db.session.commit()
    outsider, pro = app.test_client(), app.test_client()
    sign_in_as(outsider, family.users["outsider"])
    sign_in_as(pro, family.users["professional"])
    assert outsider.get(f"/h/{family.household.id}/calendar/").status_code == 404
    assert outsider.get(f"/h/{family.household.id}/calendar/{activity.id}/edit").status_code == 404
    other = family.other_household.id
    assert outsider.get(f"/h/{other}/calendar/{activity.id}/edit").status_code == 404  # not in their household
    assert pro.get(f"/h/{family.household.id}/calendar/").status_code == 403


def test_every_element_picture_on_the_calendar_pages_is_drawn_from_a_drawing_on_the_same_page(app, family, client):
    """The six element pictures are drawn once per page and used by every tag (a week showed 59 full drawings,
    104 of its 133 KB): a tag whose drawing is not on its own page would show nothing."""
    import re
    from webapp.resilience_calendar.services import week_label
    monday = date.today() - timedelta(days=date.today().weekday())
    activities = [_add(family, monday + timedelta(days=i), f"Day {i}", ALL - {list(E)[i % 6]}) for i in range(7)]
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    base = f"/h/{family.household.id}/calendar"
    pages = {"week": f"{base}/", "print": f"{base}/print?week={week_label(monday)}",
             "remove": f"{base}/{activities[0][0].id}/remove"}
    for name, url in pages.items():
        html = client.get(url).get_data(as_text=True)
        uses = re.findall(r'<use href="#([^"]+)"', html)
        symbols = re.findall(r'<symbol id="([^"]+)"', html)
        assert uses, f"{name}: no element pictures"
        assert set(uses) <= set(symbols), f"{name}: pictures without a drawing: {set(uses) - set(symbols)}"
        assert len(symbols) == len(set(symbols)) == 6, f"{name}: each drawing once"
        if name == "week":
            assert len(uses) >= 7 * 5 + 7 and len(html) < 60_000, (len(uses), len(html))  # the tags and the missing


def test_each_activity_and_day_lists_its_own_elements_in_the_readers_language(app, family, client):
    """The tags are written once per set of elements and language in each process (views.element_tags): one
    activity's tags must not show on another's, nor a Dutch page's words on an English one."""
    import re
    monday = date.today() - timedelta(days=date.today().weekday())
    _add(family, monday, "Ontbijt", {E.healthy_food, E.loving_contact})
    _add(family, monday, "Fietsen", {E.exercise, E.outdoors}, start=time(9))
    db.session.commit()
    parent = family.users["household_member"]
    sign_in_as(client, parent)
    for locale, food, cycling, missing in [("nl", "Gezond eten", "Bewegen", "Genoeg slaap"),
                                           ("en", "Healthy food", "Exercise", "Enough sleep"),
                                           ("nl", "Gezond eten", "Bewegen", "Genoeg slaap")]:
        parent.locale = locale
        db.session.commit()
        html = client.get(f"/h/{family.household.id}/calendar/?day={monday.isoformat()}").text
        day = html[html.index(f'id="day-{monday.isoformat()}"'):]
        day = day[:day.index("</section>")]
        tags = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<ul class="elements elements--small">(.*?)</ul>', day)]
        assert tags[0].split() and food in tags[0] and cycling not in tags[0], (locale, tags)
        assert cycling in tags[1] and food not in tags[1], (locale, tags)
        still_missing = re.search(r'<ul class="elements elements--missing">(.*?)</ul>', day).group(1)
        assert missing in still_missing and food not in still_missing


def _day_html(client, household_id: int, day: date) -> str:
    html = client.get(f"/h/{household_id}/calendar/?day={day.isoformat()}").text
    part = html[html.index(f'<section class="cal-day'):]
    part = part[part.index(f'id="day-{day.isoformat()}"'):]
    return part[:part.index("</section>")]


def test_a_day_kept_per_process_shows_each_change_the_new_day_and_only_its_own_households_links(
        app, family, client, monkeypatch):
    """Each day of a week page is rendered once per process for what it holds (resilience_calendar/parts.py): a
    change to an activity, a removal, a new day and another household with the very same activity each show."""
    from webapp.resilience_calendar import views
    today = views._today()
    [activity] = _add(family, today, "Ontbijt samen", {E.healthy_food, E.loving_contact})
    db.session.commit()
    parent = family.users["household_member"]
    sign_in_as(client, parent)
    h = family.household.id
    for _ in range(2):  # the second time from what is kept
        day = _day_html(client, h, today)
        assert "Ontbijt samen" in day and f"/h/{h}/calendar/{activity.id}/edit" in day and 'class="tag"' in day
    update_activity(db.session, activity, ActivityInput(today, "Ontbijt met opa", {E.healthy_food, E.sleep},
                                                        start_time=time(7, 30)))
    db.session.commit()
    day = _day_html(client, h, today)
    assert "Ontbijt met opa" in day and "Ontbijt samen" not in day and "07:30" in day
    tags = re.search(r'<ul class="elements elements--small">(.*?)</ul>', day).group(1)
    assert "element--sleep" in tags and "element--loving_contact" not in tags

    # Another household with the same activity on the same day: its own links, never this household's.
    outsider = family.users["outsider"]
    [theirs] = add_activity(db.session, family.other_household, outsider,
                          ActivityInput(today, "Ontbijt met opa", {E.healthy_food, E.sleep}, start_time=time(7, 30)))
    db.session.commit()
    sign_in_as(client, outsider)
    day = _day_html(client, family.other_household.id, today)
    assert f"/h/{family.other_household.id}/calendar/{theirs.id}/edit" in day
    their_week = client.get(f"/h/{family.other_household.id}/calendar/?day={today.isoformat()}").text
    assert f"/h/{h}/" not in their_week  # nor on the empty days, kept for this household's week first

    sign_in_as(client, parent)
    remove_activity(db.session, db.session.get(CalendarActivity, activity.id), parent, datetime.now())
    db.session.commit()
    assert "Ontbijt met opa" not in _day_html(client, h, today)

    # Midnight: "today" moves to the next day, on a page whose days were kept before.
    tomorrow = today + timedelta(days=1)
    _day_html(client, h, tomorrow)  # kept as a day that is not today
    monkeypatch.setattr(views, "_today", lambda: tomorrow)
    assert 'class="tag"' in _day_html(client, h, tomorrow)
    assert 'class="tag"' not in _day_html(client, h, today)
