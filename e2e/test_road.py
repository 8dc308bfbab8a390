"""'Waar staan we?' on a phone in Dutch: the safety person opens the road from the home, sees the four phases with
the demo's own dates and where the household is now, the next step and the way so far, and can print it. Axe
clean. (The child's own version, "Onze weg", is walked with the other child pages in test_phone_layout.py.)"""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_the_safety_person_finds_where_the_household_is_on_its_road(live_server, factory, page):
    t = live_server.t
    factory.demo()
    sign_in(page, live_server.url, "veiligheidspersoon", DEMO_PASSWORD)
    page.locator("details.phase summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name=t("The road so far")).click()
    expect(page.locator("h1")).to_have_text(t("Where are we?"))
    current = page.locator(".road-phase[aria-current=step]")
    expect(current).to_contain_text(t("since %(date)s", date="").strip())
    expect(page.locator(".road-phase")).to_have_count(4)
    expect(page.locator(".road-milestone").first).to_contain_text(t("Started in Kring."))
    expect(page.locator(".road-milestone--upcoming")).to_contain_text(t("Next network meeting."))
    expect(page.locator("#next-title")).to_have_text(t("The next step"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=t("Print or save as PDF")).click()
    expect(page.locator("h1")).to_have_text(re.compile("Familie Demo"))
    check_axe(page)
