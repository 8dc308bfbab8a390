"""The safety plan as people use it on a phone, in Dutch: the chair writes a plan with agreements and the safe
object, agrees on it, makes a new version and sees what changed; an entry in the safety log names an agreement
and the timeline filters by it; without JavaScript the order still changes; other households are kept out."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Household, Role
from webapp.safety_plan import services as plan

pytestmark = pytest.mark.e2e


def tap_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.tap()


def button(page: Page, live_server, text: str, **variables):
    return page.locator("main").get_by_role("button", name=live_server.t(text, **variables), exact=True)


def link(page: Page, live_server, text: str, **variables):
    return page.locator("main").get_by_role("link", name=live_server.t(text, **variables), exact=True)


def make_agreed_plan(live_server, family, author_key: str = "creator", *agreements: str) -> dict[str, int]:
    """A direct plan agreed straight through the services; returns {what: lineage id}."""
    with live_server.app.app_context():
        household = db.session.get(Household, family.id)
        author = db.session.get(User, family.people[author_key].id)
        version = plan.start_plan(db.session, household, author)
        for what in agreements:
            plan.add_agreement(db.session, version, plan.AgreementInput(what))
        plan.agree(db.session, version)
        db.session.commit()
        result = {a.what: a.lineage_id for a in version.agreements}
        db.session.remove()
    return result


def test_the_chair_writes_agrees_makes_a_new_version_and_sees_what_changed(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    chair = factory.member(family, "chair", "Fatima Yilmaz", {Role.chair, Role.network_member})
    factory.member(family, "safety", "Ria de Boer", {Role.safety_person})
    factory.member(family, "neighbour", "Kees Bos", {Role.network_member})
    with live_server.app.app_context():
        db.session.get(User, family.people["safety"].id).phone = "06 1234 5678"
        db.session.commit()
        db.session.remove()
    base, t = live_server.url, live_server.t
    sign_in(page, base, chair.username)

    # From home to a new plan.
    page.goto(f"{base}/h/{family.id}")
    check_axe(page)
    tap_and_wait(page, page.locator("a.plan-card"))
    expect(page.locator("h1")).to_have_text(t("Safety plan"))
    check_axe(page)
    tap_and_wait(page, button(page, live_server, "Start the safety plan"))
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/plan/versions/\d+$"))
    expect(page.locator(".status--draft")).to_have_text(t("Draft"))
    expect(page.locator("a[href='tel:0612345678']")).to_be_visible()  # the safety person, one tap away
    check_axe(page)

    # The safe object, watched by Ria and Kees.
    tap_and_wait(page, link(page, live_server, "Fill in the safe object"))
    check_axe(page)
    page.locator("#what").fill("De knuffelbeer van Noor")
    page.locator("#where").fill("Voor het raam aan de voorkant")
    page.get_by_label("Ria de Boer").check()
    page.get_by_label("Kees Bos").check()
    page.locator("#action").fill("Bel meteen Petra en kom langs.")
    tap_and_wait(page, button(page, live_server, "Save"))
    safe_object = page.locator("#safe-object")
    expect(safe_object).to_contain_text("De knuffelbeer van Noor")
    expect(safe_object).to_contain_text("Ria de Boer, Kees Bos")
    check_axe(page)

    # Two agreements; the first try forgets what the agreement is, and keeps what was typed.
    tap_and_wait(page, link(page, live_server, "Add an agreement"))
    expect(page.locator("textarea#what")).to_have_attribute("data-plain-language", "")
    check_axe(page)
    page.locator("#who").fill("Petra")
    page.locator("#when").fill("Elke avond")
    tap_and_wait(page, button(page, live_server, "Save"))
    expect(page.locator(".error-summary")).to_contain_text(t("Write what you agree."))
    expect(page.locator("#what-error")).to_contain_text(t("Write what you agree."))
    expect(page.locator("#who")).to_have_value("Petra")
    expect(page.locator("#when")).to_have_value("Elke avond")
    check_axe(page)
    page.locator("#what").fill("Noor gaat om half acht naar bed. Mama leest eerst voor.")
    page.locator("#how_checked").fill("Ria belt twee keer per week om kwart over zeven.")
    page.locator("#if_it_goes_wrong").fill("Petra gaat even naar de keuken en belt Ria.")
    tap_and_wait(page, button(page, live_server, "Save"))
    tap_and_wait(page, link(page, live_server, "Add an agreement"))
    page.locator("#what").fill("Ria komt twee keer per week langs, zonder het te zeggen.")
    page.locator("#who").fill("Ria")
    tap_and_wait(page, button(page, live_server, "Save"))
    cards = page.locator("li.agreement")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Noor gaat om half acht naar bed.")
    check_axe(page)

    # Agreed: the buttons to change it are gone.
    tap_and_wait(page, button(page, live_server, "We agree on this plan"))
    expect(page.locator(".notice--success")).to_contain_text(t("Version %(n)s is agreed. Everyone in the network can read it now.", n=1))
    expect(page.locator(".status--agreed")).to_have_text(t("Agreed"))
    expect(link(page, live_server, "Add an agreement")).to_have_count(0)
    check_axe(page)

    # Version 2: Ria also comes on Saturdays, one agreement goes, one comes.
    tap_and_wait(page, button(page, live_server, "Make a new version to change the plan"))
    expect(page.locator(".lead")).to_contain_text(t("version %(n)s", n=2))
    expect(page.locator(".notice").filter(has_text=t("Until everyone agrees on this version, version %(n)s holds.", n=1))).to_be_visible()
    tap_and_wait(page, cards.nth(1).get_by_role("link", name=re.compile(t("Change"))))
    page.locator("#who").fill("Ria, en op zaterdag Kees")
    tap_and_wait(page, button(page, live_server, "Save"))
    tap_and_wait(page, cards.nth(0).get_by_role("link", name=re.compile(t("Remove"))))
    expect(page.locator("h1")).to_have_text(t("Remove agreement %(n)s?", n=1))
    check_axe(page)
    tap_and_wait(page, button(page, live_server, "Remove"))
    tap_and_wait(page, link(page, live_server, "Add an agreement"))
    page.locator("#what").fill("Mama belt alleen met papa als Noor slaapt.")
    tap_and_wait(page, button(page, live_server, "Save"))
    expect(cards).to_have_count(2)
    check_axe(page)

    # What changed, in plain words.
    tap_and_wait(page, link(page, live_server, "What changed since version %(n)s", n=1))
    expect(page.locator(".lead")).to_contain_text(t("From version %(old)s to version %(new)s", old=1, new=2))
    expect(page.locator(".change--added")).to_have_text("Mama belt alleen met papa als Noor slaapt.")
    expect(page.locator(".change--removed")).to_have_text("Noor gaat om half acht naar bed. Mama leest eerst voor.")
    changed = page.locator(".change--changed").filter(has_text="Ria komt twee keer per week langs")
    expect(changed.locator(".change__before")).to_contain_text("Ria")
    expect(changed.locator(".change__after")).to_contain_text("Ria, en op zaterdag Kees")
    check_axe(page)

    # Print, and the versions list.
    page.goto(f"{base}/h/{family.id}/plan/versions/")
    expect(page.locator(".version-item")).to_have_count(2)
    check_axe(page)
    tap_and_wait(page, page.locator(".version-item a").first)
    tap_and_wait(page, link(page, live_server, "Print this plan"))
    expect(page.locator("h1")).to_have_text(t("Safety plan of %(household)s", household="Familie Jansen"))
    check_axe(page)


def test_an_entry_names_an_agreement_and_the_timeline_filters_by_it(live_server, factory, page):
    family = factory.household("Familie de Wit", "Anna de Wit")
    kees = factory.member(family, "neighbour", "Kees Bos", {Role.network_member})
    lineages = make_agreed_plan(live_server, family, "creator", "Noor gaat om half acht naar bed.",
                                "Niemand schreeuwt waar Noor bij is.")
    base, t = live_server.url, live_server.t
    sign_in(page, base, kees.username)

    page.goto(f"{base}/h/{family.id}/log/new?kind=nearly_wrong")
    check_axe(page)
    page.locator("#what_happened").fill("Ik hoorde harde stemmen en belde aan.")
    page.locator("#agreement").select_option(label="2. Niemand schreeuwt waar Noor bij is.")
    with page.expect_navigation():
        page.locator("form[data-log-form] button[type=submit]").tap()
    page.goto(f"{base}/h/{family.id}/log/new?kind=went_well")
    page.locator("#what_happened").fill("Samen naar de speeltuin.")
    with page.expect_navigation():
        page.locator("form[data-log-form] button[type=submit]").tap()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/log/$"))
    entries = page.locator("article.entry")
    expect(entries).to_have_count(2)
    expect(entries.filter(has_text="harde stemmen")).to_contain_text("Niemand schreeuwt waar Noor bij is.")
    check_axe(page)

    page.locator("details.filters summary").tap()
    page.locator("#agreement").select_option(str(lineages["Niemand schreeuwt waar Noor bij is."]))
    with page.expect_navigation():
        page.locator("details.filters button[type=submit]").tap()
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Ik hoorde harde stemmen en belde aan.")
    check_axe(page)

    # From the plan, each agreement leads to what the log says about it.
    page.goto(f"{base}/h/{family.id}/plan/")
    tap_and_wait(page, page.locator("li.agreement").nth(1).get_by_role(
        "link", name=re.compile(t("What the safety log says about this"))))
    expect(entries).to_have_count(1)
    expect(page.locator("details.filters")).to_have_attribute("open", "")


def test_without_javascript_the_order_changes_and_an_approval_is_recorded(live_server, factory, new_context):
    family = factory.household("Familie Smit", "Ilse Smit")
    make_agreed_plan(live_server, family, "creator", "Eerste afspraak.", "Tweede afspraak.")
    page = new_context(java_script_enabled=False).new_page()
    base, t = live_server.url, live_server.t
    sign_in(page, base, family.people["creator"].username)

    page.goto(f"{base}/h/{family.id}/plan/")
    tap_and_wait(page, link(page, live_server, "Record an approval"))
    check_axe(page)
    page.locator("#name").fill("Jeroen Bakker")
    page.locator("#approved_on").fill((utcnow() + timedelta(days=3)).date().isoformat())
    tap_and_wait(page, button(page, live_server, "Save"))
    expect(page.locator("#approved_on-error")).to_contain_text(t("This day is still to come. Enter the day it was approved."))
    expect(page.locator("#name")).to_have_value("Jeroen Bakker")
    check_axe(page)
    page.locator("#approved_on").fill(utcnow().date().isoformat())
    tap_and_wait(page, button(page, live_server, "Save"))
    expect(page.locator(".status--approved")).to_have_text(t("Approved"))
    expect(page.locator("#approvals")).to_contain_text("Jeroen Bakker")
    check_axe(page)

    tap_and_wait(page, button(page, live_server, "Make a new version to change the plan"))
    second = page.locator("li.agreement").nth(1)
    tap_and_wait(page, second.get_by_role("button", name=re.compile(t("Move up"))))
    expect(page.locator("li.agreement").nth(0)).to_contain_text("Tweede afspraak.")
    check_axe(page)


def test_a_member_of_another_household_gets_404_on_the_plan(live_server, factory, page):
    family = factory.household("Familie de Boer", "Sara de Boer")
    make_agreed_plan(live_server, family, "creator", "Een geheime afspraak.")
    with live_server.app.app_context():
        version_id = plan.version_in_force(db.session, family.id).id
        db.session.remove()
    other = factory.household("Familie Peters", "Tom Peters")
    base = live_server.url
    sign_in(page, base, other.people["creator"].username)
    for path in (f"/h/{family.id}/plan/", f"/h/{family.id}/plan/versions/{version_id}",
                 f"/h/{other.id}/plan/versions/{version_id}", f"/h/{family.id}/plan/versions/{version_id}/print"):
        response = page.goto(f"{base}{path}")
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("Een geheime afspraak.")
    check_axe(page)
