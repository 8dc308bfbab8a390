"""Language and text direction: Arabic turns the whole page right-to-left, the top bar included."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, check_axe, sign_in

pytestmark = pytest.mark.e2e


def quick_exit_side(page) -> str:
    box = page.locator("#quick-exit").bounding_box()
    middle = box["x"] + box["width"] / 2
    return "left" if middle < PHONE["viewport"]["width"] / 2 else "right"


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"footer form.language-switch button[name=locale][value={code}]").click()


def test_arabic_mirrors_the_page_and_dutch_turns_it_back(live_server, factory, page):
    family = factory.household("Familie Yilmaz", "Mehmet Yilmaz")
    sign_in(page, live_server.url, family.people["creator"].username)
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")
    assert quick_exit_side(page) == "right"
    expect(page.locator("footer button[name=locale][value=nl]")).to_have_attribute("aria-current", "true")
    check_axe(page)

    switch_language(page, "ar")
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))  # back on the same page
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert quick_exit_side(page) == "left"
    brand = page.locator(".topbar .brand").bounding_box()
    assert brand["x"] > PHONE["viewport"]["width"] / 2, "the app name should move to the right in Arabic"
    check_axe(page, lang="ar")

    # The choice is kept on the next page too.
    page.goto(f"{live_server.url}/settings")
    expect(html).to_have_attribute("dir", "rtl")
    assert quick_exit_side(page) == "left"
    check_axe(page, lang="ar")

    switch_language(page, "nl")
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "nl")
    assert quick_exit_side(page) == "right"
    check_axe(page)
