"""Forms keep what was typed when something is not right, and say clearly what to fix."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe

pytestmark = pytest.mark.e2e


def test_join_form_with_a_too_short_password_keeps_name_and_username_and_shows_the_errors(live_server, factory, page):
    family = factory.household("Familie Kok", "Anouk Kok")
    token = factory.invitation(family, "Tante Ria")

    page.goto(f"{live_server.url}/join/{token}")
    check_axe(page)
    page.fill("#display_name", "Ria Kok")
    page.fill("#username", "ria.kok")
    page.fill("#password", "kort")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 200

    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#password']")).to_have_text(live_server.t("Use at least %(n)s characters.", n=8))
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-error")).to_be_visible()

    expect(page.locator("#display_name")).to_have_value("Ria Kok")
    expect(page.locator("#username")).to_have_value("ria.kok")
    expect(page.locator("#password")).to_have_value("")
    check_axe(page)
