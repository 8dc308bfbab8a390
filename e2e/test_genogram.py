"""A brand-new household draws its family tree on a phone in Dutch, from the menu: the mother, the child (linked to
the household's child), a grandmother on the mother's side; a mistake is explained and what was typed stays; the
tree is drawn and scrolls sideways inside its own box, never the page. Axe clean."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, menu_link, sign_in
from webapp.extensions import db
from webapp.households.models import AgeBand, Child, ChildColour, Household

pytestmark = pytest.mark.e2e


def _save(page, t) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save")).click()


def test_a_new_household_draws_its_family_tree_on_a_phone(live_server, factory, page):
    t = live_server.t
    family = factory.household("Familie Jansen", "Petra Jansen")
    with live_server.app.app_context():
        household = db.session.get(Household, family.id)
        db.session.add(Child(household_id=household.id, first_name="Noor", age_band=AgeBand.age_7_9,
                             colour=ChildColour.green))
        db.session.commit()
        db.session.remove()
    sign_in(page, live_server.url, family.people["creator"].username)
    with page.expect_navigation():
        menu_link(page, f"a[href='/h/{family.id}/genogram/']").click()
    expect(page.locator("h1")).to_have_text(t("Family tree"))
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name=t("Add someone")).click()
    page.fill("#name", "Petra Jansen")
    page.get_by_label(t("A parent"), exact=True).check()
    page.get_by_label(t("Woman or girl (a circle)")).check()
    page.get_by_label(t("Lives in the household")).check()
    _save(page, t)
    expect(page.locator(".notice--success")).to_contain_text("Petra Jansen")

    with page.expect_navigation():
        page.get_by_role("link", name=t("Add someone")).click()
    page.fill("#name", "Noor")
    page.get_by_label(t("A child, or a brother or sister of the child")).check()
    page.select_option("#child", label="Noor")
    page.get_by_label(t("Woman or girl (a circle)")).check()
    _save(page, t)

    with page.expect_navigation():
        page.get_by_role("link", name=t("Add someone")).click()
    page.fill("#name", "Oma Joke")
    page.get_by_label(t("A grandparent")).check()
    page.fill("#born", "19")
    _save(page, t)  # no side chosen, and not a year
    expect(page.locator(".error-summary")).to_contain_text(t("Choose which parent they belong to."))
    expect(page.locator(".error-summary")).to_contain_text(t("Write a year, for example 1961."))
    expect(page.locator("#name")).to_have_value("Oma Joke")
    check_axe(page)
    page.select_option("#of", label="Petra Jansen")
    page.fill("#born", "1950")
    page.get_by_label(t("Has died")).check()
    _save(page, t)

    expect(page.locator(".genogram .genogram-person")).to_have_count(3)
    expect(page.locator(".genogram .genogram-deceased")).to_have_count(1)
    expect(page.locator(".genogram .genogram-index")).to_have_count(1)  # Noor, the household's own child
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_axe(page)
