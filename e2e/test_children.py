"""A brand-new household adds its child, opens the child view and is greeted by the child's name; with a second
child the grown-up must choose whose view to open. At phone size, in Dutch, axe clean."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from e2e.test_child_message import unlock_child_view
from webapp.extensions import db
from webapp.households.models import Child

pytestmark = pytest.mark.e2e


def _add_child(page, live_server, household_id: int, name: str, colour: str, age: str) -> None:
    """A second child is added from the children page: the home offers "Add a child" only while there is none."""
    page.goto(f"{live_server.url}/h/{household_id}")
    with page.expect_navigation():
        page.locator(f"a.home-link[href='/h/{household_id}/children']").click()
    with page.expect_navigation():
        page.get_by_role("link", name=live_server.t("Add a child")).first.click()
    expect(page.locator("h1")).to_have_text(live_server.t("Add a child"))
    page.fill("#first_name", name)
    page.locator("label", has_text=live_server.t(age)).click()
    page.get_by_label(live_server.t(colour), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Add the child")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{household_id}/children")
    expect(page.locator(".notice--success")).to_contain_text(name)


def test_a_new_household_adds_its_children_and_opens_each_ones_own_view(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    sign_in(page, live_server.url, family.people["creator"].username)
    home = f"{live_server.url}/h/{family.id}"
    page.goto(home)
    expect(page.get_by_role("link", name=live_server.t("Open the child view"))).to_have_count(0)
    expect(page.get_by_role("link", name=live_server.t("Add a child"))).to_be_visible()
    check_axe(page)

    # A name forgotten: a clear message, and the colour and age chosen are still chosen.
    page.goto(f"{home}/children/new")
    page.locator("label", has_text=live_server.t("4 to 6 years")).click()
    page.get_by_label(live_server.t("Purple"), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Add the child")).click()
    expect(page.locator(".error-summary")).to_contain_text(live_server.t("Enter the child's first name."))
    expect(page.locator("input[name=colour][value=purple]")).to_be_checked()
    expect(page.locator("input[name=age_band][value=age_4_6]")).to_be_checked()
    check_axe(page)
    page.fill("#first_name", "Mila")
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Add the child")).click()
    expect(page.locator(".person--child")).to_contain_text("Petra Jansen")  # who added her
    expect(page.locator(".child-avatar--purple")).to_have_text("M")
    check_axe(page)

    # One child: the child view opens hers, greeting her by name.
    page.goto(home)
    with page.expect_navigation():
        page.get_by_role("link", name=live_server.t("Open the child view")).click()
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you giving the phone to %(name)s?", name="Mila"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Yes, open the child view")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("Hello %(name)s!", name="Mila"))
    expect(page.locator(".child-avatar--purple")).to_have_text("M")
    check_axe(page)

    # Back to the grown-ups: the password first.
    page.goto(home)
    unlock_child_view(page, live_server)
    _add_child(page, live_server, family.id, "Noor", "Green", "10 to 12 years")

    # Two children: the grown-up chooses whose view.
    page.goto(home)
    with page.expect_navigation():
        page.get_by_role("link", name=live_server.t("Open the child view")).click()
    expect(page.locator("h1")).to_contain_text(live_server.t("Who are you giving the phone to?"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Open the view of %(name)s", name="Noor")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("Hello %(name)s!", name="Noor"))
    expect(page.locator("main")).not_to_contain_text("Mila")
    check_axe(page)

    with live_server.app.app_context():
        children = db.session.scalars(db.select(Child).where(Child.household_id == family.id).order_by(Child.id)).all()
        assert [(c.first_name, c.colour.value, c.age_band.value) for c in children] == [
            ("Mila", "purple", "age_4_6"), ("Noor", "green", "age_10_12")]
        db.session.remove()
    assert re.search(r"/h/\d+/child$", page.url)
