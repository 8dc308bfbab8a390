"""Error pages: in the person's language, accessible, and never revealing another household."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from webapp.households.models import Role

pytestmark = pytest.mark.e2e


def test_member_of_another_household_gets_the_dutch_404_page_for_this_household(live_server, factory, page):
    family = factory.household("Familie de Jong", "Femke de Jong")
    other = factory.household("Familie Hendriks", "Bram Hendriks")
    factory.member(other, "neighbour", "Gerrit Hendriks", {Role.network_member})

    sign_in(page, live_server.url, other.people["neighbour"].username)
    response = page.goto(f"{live_server.url}/h/{family.id}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(live_server.t("This page is not here"))
    expect(page.locator("body")).not_to_contain_text(family.name)
    expect(page.locator("body")).not_to_contain_text("Femke")
    check_axe(page)
