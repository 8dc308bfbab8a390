"""The resilience calendar as people use it on a phone, in Dutch: planning a day until all six elements
are in it, bad input explained without losing what was typed, copying last week, removing someone else's
weekly activity and undoing it, a child adding what they did, other households kept out, the form by
keyboard alone, the history chart and the print page, and the demo household's filled week.

On a phone only the chosen day is shown, so the tests move between days with the week overview's day
links, as a person does, rather than counting on every day being on screen.
"""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, sign_in
from e2e.test_child_message import add_child, give_phone_to_child, unlock_child_view
from webapp.auth.models import User
from webapp.extensions import db
from webapp.households.models import Household, Role
from webapp.resilience_calendar import services
from webapp.resilience_calendar.models import CalendarActivity, PartOfDay, ResilienceElement as E

pytestmark = pytest.mark.e2e

NO_ELEMENT = "Choose at least one element."
END_BEFORE_START = "The end is before the start. Check the times."
NO_DESCRIPTION = "Write what you do."
NOT_HERE = "This page is not here"
BAD_DAY = "Enter the day, like 24-11-2026."


def today() -> date:
    """Today where the app's people live (the server's default time zone)."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def plan(live_server, household_id: int, user_id: int, day: date, description: str, elements: set[E],
         start: time | None = time(8), part: PartOfDay | None = None) -> int:
    """An activity put straight in the calendar through the service; returns its id."""
    with live_server.app.app_context():
        made = services.add_activity(
            db.session, db.session.get(Household, household_id), db.session.get(User, user_id),
            services.ActivityInput(day, description, set(elements), start_time=start, part_of_day=part))
        db.session.commit()
        activity_id = made[0].id
        db.session.remove()
    return activity_id


def activities_of(live_server, household_id: int) -> list[tuple[date, str, set[E], bool]]:
    with live_server.app.app_context():
        rows = [(a.day, a.description, a.elements, a.by_child) for a in
                db.session.scalars(db.select(CalendarActivity).filter_by(household_id=household_id))]
        db.session.remove()
    return rows


def open_week(page: Page, live_server, household_id: int) -> None:
    page.goto(f"{live_server.url}/h/{household_id}/calendar/")
    expect(page.locator("h1")).to_have_text(live_server.t("Resilience calendar"))
    check_axe(page)


def week_day_link(page: Page, day: date):
    return page.locator(f"ol.week-days a.week-day[href$='#day-{day.isoformat()}']")


def show_day(page: Page, day: date):
    """Tap the day in the week overview; returns that day's section, now the one shown."""
    week_day_link(page, day).click()
    expect(page).to_have_url(re.compile(rf"day={day.isoformat()}#day-{day.isoformat()}$"))
    section = page.locator(f"section.cal-day#day-{day.isoformat()}")
    expect(section).not_to_have_class(re.compile(r"cal-day--other"))
    expect(week_day_link(page, day)).to_have_attribute("aria-current", "date")
    check_axe(page)
    return section


def save(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def tick(page: Page, *elements: E) -> None:
    for element in elements:
        page.locator(f"input[name=elements][value={element.value}]").check()


def expect_error(page: Page, field: str, message: str) -> None:
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text(message)
    expect(page.locator(f"#{field}-error")).to_contain_text(message)


def test_member_plans_a_day_with_all_six_elements_and_sees_it_filled(live_server, factory, page):
    family = factory.household("Familie Visser", "Lotte Visser")
    day = services.monday_of(today()) + timedelta(days=2)  # the Wednesday of this week
    sign_in(page, live_server.url, family.people["creator"].username)
    open_week(page, live_server, family.id)

    planned = [
        ("Samen ontbijten", (E.healthy_food, E.loving_contact), ("07:15", "07:45"), None),
        ("Op de fiets naar school", (E.exercise, E.outdoors), None, "morning"),
        ("Voorlezen en licht uit", (E.mindfulness, E.sleep), ("19:00", "19:30"), None),
    ]
    for number, (description, elements, times, part) in enumerate(planned, start=1):
        section = show_day(page, day)
        expect(section.locator(".day-status--filled")).to_have_count(0)
        section.locator(f"a[href$='/calendar/new?day={day.isoformat()}']").click()
        expect(page.locator("h1")).to_have_text(live_server.t("Add an activity"))
        expect(page.locator("#day")).to_have_value(day.isoformat())  # the day it was opened from
        check_axe(page)
        page.locator("#description").fill(description)
        tick(page, *elements)
        if times:
            page.locator("#start_time").fill(times[0])
            page.locator("#end_time").fill(times[1])
        else:
            page.locator(f"input[name=part_of_day][value={part}]").check()
        page.locator("#with_whom").fill("Lotte en Noor")
        save(page)
        expect(page).to_have_url(re.compile(rf"day={day.isoformat()}$"))
        expect(page.locator(".notice--success")).to_contain_text(live_server.t("The activity is in the calendar."))
        section = page.locator(f"section.cal-day#day-{day.isoformat()}")
        expect(section.locator("li.activity")).to_have_count(number)
        expect(section.locator("li.activity").filter(has_text=description)).to_contain_text("(Lotte en Noor)")
        check_axe(page)
        if number == 2:  # four of six: the day names the two that are still missing
            expect(section.locator(".day-status")).to_contain_text(live_server.t("Still missing:"))
            missing = section.locator(".elements--missing li")
            expect(missing).to_contain_text([live_server.t("Enough sleep"), live_server.t("Rest and attention")])
            expect(week_day_link(page, day).locator(".week-day__count")).to_have_text("4/6")

    section = page.locator(f"section.cal-day#day-{day.isoformat()}")
    expect(section.locator(".day-status--filled")).to_contain_text(live_server.t("Filled: all six elements are in this day."))
    expect(section.locator(".elements--missing")).to_have_count(0)
    link = week_day_link(page, day)
    expect(link).to_have_class(re.compile(r"\bweek-day--filled\b"))
    expect(link.locator(".week-day__count")).to_contain_text(live_server.t("filled"))
    expect(page.locator("a.week-day--filled")).to_have_count(1)  # only that day
    assert {e for (d, _, elements, _) in activities_of(live_server, family.id) if d == day for e in elements} == set(E)

    # Wrong input: the Dutch message at the top and beside the field, and what was typed stays.
    assert live_server.t(NO_ELEMENT) != NO_ELEMENT  # really Dutch, not the English ids
    show_day(page, day).locator(f"a[href$='/calendar/new?day={day.isoformat()}']").click()
    page.locator("#description").fill("Naar de markt")
    page.locator("#start_time").fill("10:00")
    page.locator("#with_whom").fill("Noor met oma")
    save(page)
    expect_error(page, "elements", live_server.t(NO_ELEMENT))
    expect(page.locator("#description")).to_have_value("Naar de markt")
    expect(page.locator("#start_time")).to_have_value("10:00")
    expect(page.locator("#with_whom")).to_have_value("Noor met oma")
    expect(page.locator("#day")).to_have_value(day.isoformat())
    check_axe(page)

    tick(page, E.outdoors)
    page.locator("#end_time").fill("09:30")
    save(page)
    expect_error(page, "end_time", live_server.t(END_BEFORE_START))
    expect(page.locator("#description")).to_have_value("Naar de markt")
    expect(page.locator("#start_time")).to_have_value("10:00")
    expect(page.locator("#end_time")).to_have_value("09:30")
    expect(page.locator("input[name=elements][value=outdoors]")).to_be_checked()
    check_axe(page)

    page.locator("#end_time").fill("11:00")
    page.locator("#description").fill("")
    save(page)
    expect_error(page, "description", live_server.t(NO_DESCRIPTION))
    expect(page.locator("#start_time")).to_have_value("10:00")
    expect(page.locator("#end_time")).to_have_value("11:00")
    expect(page.locator("#with_whom")).to_have_value("Noor met oma")
    expect(page.locator("input[name=elements][value=outdoors]")).to_be_checked()
    check_axe(page)

    # A year the calendar cannot hold, repeated every week: a message, not an error page.
    page.locator("#description").fill("Zwemles")
    page.locator("#day").fill("9999-12-30")
    page.locator("#repeat_weekly").check()
    save(page)
    expect_error(page, "day", live_server.t(BAD_DAY))
    expect(page.locator("#day")).to_have_value("9999-12-30")
    expect(page.locator("#repeat_weekly")).to_be_checked()
    check_axe(page)
    assert len(activities_of(live_server, family.id)) == 3  # nothing wrong was saved


def test_a_week_out_of_range_in_the_address_shows_this_week(live_server, factory, page):
    family = factory.household("Familie Dekker", "Joke Dekker")
    sign_in(page, live_server.url, family.people["creator"].username)
    this_monday = services.monday_of(today())
    for week in ("0001-W01", "9999-W52", "2026-W99", "niets"):
        response = page.goto(f"{live_server.url}/h/{family.id}/calendar/?week={week}")
        assert response.status == 200, week
        expect(page.locator(f"section.cal-day#day-{this_monday.isoformat()}")).to_have_count(1)
        check_axe(page)


def test_copy_last_week_brings_its_activities_into_this_week(live_server, factory, page):
    family = factory.household("Familie Smit", "Ilse Smit")
    creator = family.people["creator"]
    this_monday = services.monday_of(today())
    last_monday = this_monday - timedelta(weeks=1)
    plan(live_server, family.id, creator.id, last_monday, "Zwemles", {E.exercise}, start=time(14))
    plan(live_server, family.id, creator.id, last_monday + timedelta(days=6), "Wandeling in het bos",
         {E.outdoors, E.exercise, E.loving_contact}, start=None, part=PartOfDay.morning)
    sign_in(page, live_server.url, creator.username)
    open_week(page, live_server, family.id)
    expect(page.locator("li.activity")).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Copy last week into this week")).click()
    expect(page.locator(".notice--success")).to_contain_text("2")
    check_axe(page)
    monday = show_day(page, this_monday)
    expect(monday.locator("li.activity")).to_have_count(1)
    expect(monday.locator("li.activity")).to_contain_text("14:00")
    expect(monday.locator("li.activity")).to_contain_text("Zwemles")
    sunday = show_day(page, this_monday + timedelta(days=6))
    expect(sunday.locator("li.activity")).to_contain_text("Wandeling in het bos")
    expect(sunday.locator("li.activity")).to_contain_text(live_server.t("Morning"))
    copied = {(d, text) for d, text, _, _ in activities_of(live_server, family.id) if d >= this_monday}
    assert copied == {(this_monday, "Zwemles"), (this_monday + timedelta(days=6), "Wandeling in het bos")}

    # Pressing it again copies nothing twice.
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Copy last week into this week")).click()
    expect(page.locator(".notice--success")).to_contain_text(
        live_server.t("Nothing to copy: last week is empty, or everything is already planned."))
    assert len(activities_of(live_server, family.id)) == 4


def test_child_adds_i_played_outside_and_it_shows_today_as_added_by_the_child(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    add_child(live_server, family, "Noor Jansen")
    sign_in(page, live_server.url, family.people["creator"].username)

    give_phone_to_child(page, live_server, family.id, "Noor")
    check_axe(page)
    page.locator(f"main a[href='/h/{family.id}/calendar/child']").click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/calendar/child")
    expect(page.locator("h1")).to_have_text(live_server.t("What did you do today?"))
    check_axe(page)
    page.locator("label.pictogram__label").filter(has_text=live_server.t("I played outside")).click()
    expect(page.locator("input[name=preset][value=outside]")).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Put it in the calendar")).click()
    expect(page.locator("h1")).to_contain_text(live_server.t("In the calendar!"))
    expect(page.locator("main")).to_contain_text(live_server.t("I played outside"))
    check_axe(page)

    # The calendar is a grown-up page: the parent's password first (the child view is locked).
    page.goto(f"{live_server.url}/h/{family.id}/calendar/")
    unlock_child_view(page, live_server)
    open_week(page, live_server, family.id)
    day = show_day(page, today())
    expect(day.locator(".cal-day__title .tag")).to_have_text(live_server.t("today"))
    added = day.locator("li.activity").filter(has_text=live_server.t("I played outside"))
    expect(added).to_have_count(1)
    expect(added.locator(".tag")).to_have_text(live_server.t("added by the child"))
    expect(added.locator(".elements li")).to_contain_text([live_server.t("Exercise"), live_server.t("Being outside")])
    assert activities_of(live_server, family.id) == [
        (today(), live_server.t("I played outside"), {E.outdoors, E.exercise}, True)]


def nt(live_server, singular: str, plural: str, num: int) -> str:
    """A message with a plural as the app shows it in Dutch."""
    from flask_babel import force_locale, ngettext
    with live_server.app.test_request_context(), force_locale("nl"):
        return ngettext(singular, plural, num)


def removed_of(live_server, household_id: int) -> list[tuple[date, str, str | None]]:
    """(day, what, removed by) of every activity taken out of the calendar."""
    with live_server.app.app_context():
        rows = [(a.day, a.description, a.removed_by.display_name if a.removed_by else None) for a in
                db.session.scalars(db.select(CalendarActivity).filter_by(household_id=household_id)
                                   .where(CalendarActivity.removed_at.is_not(None)))]
        db.session.remove()
    return rows


def test_a_neighbour_removes_the_mothers_weekly_activity_and_anyone_can_undo_it(live_server, factory, page, new_context):
    family = factory.household("Familie de Wit", "Anouk de Wit")
    kees = factory.member(family, "kees", "Buurman Kees", {Role.network_member})
    monday = services.monday_of(today())
    with live_server.app.app_context():
        services.add_activity(db.session, db.session.get(Household, family.id), db.session.get(User, family.people["creator"].id),
                              services.ActivityInput(monday, "Zwemles", {E.exercise}, start_time=time(16)), repeat_weekly=True)
        db.session.commit()
        db.session.remove()
    sign_in(page, live_server.url, kees.username)
    open_week(page, live_server, family.id)
    section = show_day(page, monday)
    section.locator("li.activity").filter(has_text="Zwemles").locator("a.activity__edit").click()
    expect(page.locator("h1")).to_have_text(live_server.t("Change the activity"))
    check_axe(page)

    # Anouk planned it: Kees is asked first, and told it can be undone.
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Remove this and the following weeks")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("Remove this activity?"))
    expect(page.locator("main")).to_contain_text(live_server.t("Put in the calendar by %(name)s.", name="Anouk de Wit"))
    expect(page.locator("main")).to_contain_text(live_server.t("You can undo this. The calendar shows everyone what was removed, by whom and when, and anyone in the network can bring it back."))
    check_axe(page)
    assert removed_of(live_server, family.id) == []  # asking changes nothing
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Yes, remove it")).click()
    expect(page.locator(".notice--success")).to_contain_text(live_server.t("The activity is removed. Changed your mind? Undo it under “Removed this week”."))
    expect(page.locator(f"section.cal-day#day-{monday.isoformat()} li.activity")).to_have_count(0)
    removed = page.locator("#removed")
    expect(removed.locator("h2")).to_have_text(live_server.t("Removed this week"))
    expect(removed.locator("li.removal")).to_contain_text("Zwemles")
    expect(removed.locator("li.removal")).to_contain_text(
        live_server.t("Removed by %(name)s on %(when)s.", name="Buurman Kees", when="@").split("@")[0])
    check_axe(page)
    assert len(removed_of(live_server, family.id)) == services.REPEAT_WEEKS

    # Anouk sees who removed it and brings every week back with one tap.
    anouk = new_context().new_page()
    sign_in(anouk, live_server.url, family.people["creator"].username)
    anouk.goto(f"{live_server.url}/h/{family.id}/calendar/?week={services.week_label(monday + timedelta(weeks=3))}")
    later = anouk.locator("#removed li.removal")
    expect(later).to_contain_text("Buurman Kees")
    expect(later).to_contain_text(nt(live_server, "Together with %(num)d other week of this weekly activity.",
                                     "Together with %(num)d other weeks of this weekly activity.", services.REPEAT_WEEKS - 1))
    check_axe(anouk)
    with anouk.expect_navigation():
        later.get_by_role("button", name=re.compile(live_server.t("Undo"))).click()
    expect(anouk.locator(".notice--success")).to_contain_text(nt(
        live_server, "The activity is back in the calendar.", "%(num)d activities are back in the calendar.",
        services.REPEAT_WEEKS))
    expect(anouk.locator("#removed")).to_have_count(0)
    expect(anouk.locator("li.activity").filter(has_text="Zwemles")).to_have_count(1)
    check_axe(anouk)
    assert removed_of(live_server, family.id) == []


def test_member_of_another_household_gets_404_for_the_calendar_and_an_activity(live_server, factory, page):
    family = factory.household("Familie de Boer", "Sara de Boer")
    activity_id = plan(live_server, family.id, family.people["creator"].id, today(), "Geheime logeerpartij", {E.sleep})
    other = factory.household("Familie Peters", "Tom Peters")
    base = live_server.url
    sign_in(page, base, other.people["creator"].username)

    for url in (f"{base}/h/{family.id}/calendar/", f"{base}/h/{family.id}/calendar/{activity_id}/edit",
                f"{base}/h/{family.id}/calendar/history", f"{base}/h/{family.id}/calendar/print",
                f"{base}/h/{other.id}/calendar/{activity_id}/edit"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text(live_server.t(NOT_HERE))
        expect(page.locator("body")).not_to_contain_text("Geheime logeerpartij")
        check_axe(page)
    # Their own calendar works and does not show the other family's activity.
    open_week(page, live_server, other.id)
    expect(page.locator("body")).not_to_contain_text("Geheime logeerpartij")


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


FOCUS_RING = """() => {
  // An outline of at least 2px on the focused box itself (when it can be seen) or on its label.
  const ring = (el) => { const s = getComputedStyle(el); return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2; };
  const field = document.activeElement, label = document.querySelector(`label[for="${field.id}"]`);
  return (ring(field) && parseFloat(getComputedStyle(field).opacity) > 0) || (label !== null && ring(label));
}"""


def test_activity_form_works_with_the_keyboard_alone_and_shows_where_the_focus_is(live_server, factory, page):
    family = factory.household("Familie Bakker", "Fenna Bakker")
    day = today()
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}/calendar/new?day={day.isoformat()}")
    check_axe(page)
    keyboard = page.keyboard

    _tab_to(page, "#description")
    keyboard.type("Samen fruit eten")
    wanted = {E.loving_contact, E.healthy_food}
    for number, element in enumerate(E):
        keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == f"elements-{number}"
        assert page.evaluate(FOCUS_RING), f"no visible focus on the {element.value} check box"
        if element in wanted:
            keyboard.press("Space")
    _tab_to(page, "input[name=part_of_day]")  # Tab enters the group on its first option, Space chooses it
    keyboard.press("Space")
    expect(page.locator("input[name=part_of_day][value=morning]")).to_be_checked()
    _tab_to(page, "#with_whom")
    keyboard.type("Fenna en Sem")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        keyboard.press("Enter")

    expect(page.locator(".notice--success")).to_contain_text(live_server.t("The activity is in the calendar."))
    check_axe(page)
    section = page.locator(f"section.cal-day#day-{day.isoformat()}")
    expect(section.locator("li.activity")).to_contain_text("Samen fruit eten")
    assert activities_of(live_server, family.id) == [(day, "Samen fruit eten", wanted, False)]


def test_history_shows_a_chart_and_a_table_and_the_week_prints(live_server, factory, page):
    family = factory.household("Familie Mulder", "Eva Mulder")
    creator = family.people["creator"]
    this_monday = services.monday_of(today())
    for weeks_ago, days in ((1, 1), (0, 2)):
        for d in range(days):
            plan(live_server, family.id, creator.id, this_monday - timedelta(weeks=weeks_ago, days=-d),
                 "De hele dag samen", set(E))
    sign_in(page, live_server.url, creator.username)
    open_week(page, live_server, family.id)

    page.get_by_role("link", name=live_server.t("Earlier weeks")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/calendar/history")
    check_axe(page)
    chart = page.locator("figure.chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.chart__bar")).to_have_count(12)
    expect(chart.locator("title")).to_have_text(live_server.t("Filled days per week"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("2 / 7")  # this week first
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("1 / 7")
    expect(rows.nth(2).locator("td").nth(1)).to_have_text("0 / 7")

    page.get_by_role("link", name=live_server.t("Back to the calendar")).click()
    check_axe(page)
    page.get_by_role("link", name=live_server.t("Print this week")).click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/calendar/print\?week=\d{{4}}-W\d{{2}}$"))
    expect(page.locator("h1")).to_contain_text("Familie Mulder")
    expect(page.locator("section.print-day")).to_have_count(7)
    expect(page.locator("section.print-day").filter(has_text="De hele dag samen")).to_have_count(2)
    check_axe(page)


def test_demo_household_has_a_filled_current_week(live_server, factory, page):
    from webapp.demo import DEMO_PASSWORD
    demo = factory.demo()
    sign_in(page, live_server.url, "ouder", DEMO_PASSWORD)
    open_week(page, live_server, demo.id)
    expect(page.locator("a.week-day--filled")).to_have_count(5)
    expect(page.locator(".week-summary h2")).to_contain_text("5")
    expect(page.locator(".week-summary")).to_contain_text(live_server.t("Missing most often:"))
    expect(page.locator(".week-summary strong")).to_contain_text(live_server.t("Being outside"))
    day = show_day(page, today())
    expect(day.locator("li.activity .tag")).to_have_text([live_server.t("added by the child")])

    page.get_by_role("link", name=live_server.t("Earlier weeks")).click()
    check_axe(page)
    filled = page.locator("table tbody tr td:nth-child(2)")
    expect(filled.nth(0)).to_have_text("5 / 7")
    expect(filled.nth(4)).to_have_text("1 / 7")
