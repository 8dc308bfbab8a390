"""Quick exit: the button and Shift pressed three times leave for a neutral page, and Back does not return to Kring."""
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from e2e.conftest import NEUTRAL_TITLE, check_axe, menu_link, sign_in

pytestmark = pytest.mark.e2e


def expect_neutral_page(page, neutral_url: str) -> None:
    expect(page).to_have_url(neutral_url)
    expect(page).to_have_title(NEUTRAL_TITLE)
    expect(page.locator("#quick-exit")).to_have_count(0)


def visit_two_pages(page, base: str, household_id: int) -> None:
    page.goto(f"{base}/h/{household_id}")
    check_axe(page)
    menu_link(page, "a[href='/settings']").click()
    expect(page).to_have_url(re.compile(r"/settings$"))
    check_axe(page)


def test_quick_exit_button_leaves_and_back_does_not_return_to_kring(live_server, factory, page, neutral_url):
    family = factory.household("Familie Bos", "Sanne Bos")
    sign_in(page, live_server.url, family.people["creator"].username)
    visit_two_pages(page, live_server.url, family.id)

    page.locator("#quick-exit").click()
    expect_neutral_page(page, neutral_url)

    # Back: the Kring page it lands on sends the person straight on to the neutral page again.
    seen = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    try:
        page.go_back()
    except PlaywrightError:
        pass  # the navigation was replaced by the bounce before it finished: that is the point
    expect_neutral_page(page, neutral_url)
    assert any(url.startswith(live_server.url) for url in seen), f"Back did not go to Kring at all: {seen}"
    expect(page.locator("body")).not_to_contain_text(family.name)
    check_axe(page, lang="en")


def test_shift_pressed_three_times_leaves(live_server, factory, page, neutral_url):
    family = factory.household("Familie Visser", "Ahmed Visser")
    sign_in(page, live_server.url, family.people["creator"].username)
    visit_two_pages(page, live_server.url, family.id)

    for _ in range(3):
        page.keyboard.press("Shift")
    expect_neutral_page(page, neutral_url)


def test_quick_exit_is_a_plain_working_link_without_javascript(live_server, factory, new_context, neutral_url):
    family = factory.household("Familie Mulder", "Eva Mulder")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server.url, family.people["creator"].username)
    visit_two_pages(page, live_server.url, family.id)

    exit_link = page.locator("#quick-exit")
    expect(exit_link).to_have_attribute("href", neutral_url)
    exit_link.click()
    expect_neutral_page(page, neutral_url)
