"""A real household from day one, walked as its people would: the operator starts "Familie Jansen" with the command
line, the chair joins by the printed link, adds the child, invites the safety person and the family's own network
(each joins on their own phone), and works through the first steps on the home until the checklist is done and
goes away; then the child view, on the safety person's phone, greets the child by name. In Dutch at 390x844, axe clean on every page."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from e2e.test_phone_layout import CLIPPED
from e2e.conftest import check_axe
from e2e.test_signals import _turn_on_alerts
from tests.peers import push_service  # noqa: F401 (a fixture)
from webapp.auth.models import utcnow

pytestmark = pytest.mark.e2e

PASSWORD = "een lange zin als wachtwoord"


def _go(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _join(page: Page, live_server, link: str, name: str, username: str) -> None:
    """Open an invitation link on a phone of one's own, choose a name and password, skip the codes for now."""
    page.goto(link)
    check_axe(page)
    page.fill("#display_name", name)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    _go(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/settings/recovery/codes\?next="))
    _go(page, page.get_by_role("link", name=live_server.t("Not now")))
    expect(page).to_have_url(re.compile(r"/h/\d+/welcome$"))


def _step(page: Page, live_server, title: str, **variables):
    return page.locator("#first-steps li.task").filter(has_text=live_server.t(title, **variables))


def _invite(page: Page, live_server, step_title: str, name: str, **variables) -> str:
    """From the first steps: make an invitation for `name` with the role the step offers; returns its link."""
    home = page.url
    _go(page, _step(page, live_server, step_title, **variables).locator("a.task__title"))
    check_axe(page)
    page.fill("#invitee_name", name)
    _go(page, page.locator("main form button[type=submit]"))
    link = page.locator("input#invite-link").input_value()
    page.goto(home)
    return link


def test_a_household_started_by_the_operator_gets_through_its_first_steps(live_server, push_service, page,  # noqa: F811
                                                                           new_context):
    t = live_server.t
    made = live_server.app.test_cli_runner().invoke(args=[
        "create-household", "Familie Jansen", "--person", "Fatima Yilmaz", "--role", "chair",
        "--base-url", live_server.url])
    assert made.exit_code == 0, made.output
    [chair_link] = re.findall(r"http://\S+/join/\S+", made.output)

    # The chair joins and lands, after the welcome, on the home with the first steps: nothing done yet.
    _join(page, live_server, chair_link, "Fatima Yilmaz", "fatima")
    _go(page, page.locator("main a.button").first)
    home = page.url
    assert re.search(r"/h/\d+$", home)
    household_id = int(home.rsplit("/", 1)[1])
    card = page.locator("#first-steps")
    expect(card).to_contain_text(t("%(done)d of %(total)d done.", done=0, total=7))
    check_axe(page)
    for width, height in ((390, 844), (320, 640)):  # a new household's home fits a small phone too
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"the new home is wider than {width} px"
        assert page.evaluate(CLIPPED) == [], f"text runs out of its box at {width} px"
    page.set_viewport_size({"width": 390, "height": 844})

    # 1. The child.
    _go(page, _step(page, live_server, "Add the child").locator("a.task__title"))
    page.fill("#first_name", "Noor")
    page.locator("label", has_text=t("7 to 9 years")).click()
    page.get_by_label(t("Green"), exact=True).check()
    check_axe(page)
    _go(page, page.get_by_role("button", name=t("Add the child")))
    page.goto(home)
    expect(_step(page, live_server, "Add the child")).to_have_class(re.compile(r"task--done"))

    # 2. The safety person, and 3. the family's own network: each joins on their own phone.
    safety_link = _invite(page, live_server, "Invite the safety person", "Ria de Boer")
    expect(_step(page, live_server, "Invite the safety person")).to_contain_text(
        t("The invitation is waiting to be used."))
    ria = new_context().new_page()
    _join(ria, live_server, safety_link, "Ria de Boer", "ria")
    for name, username in [("Kees Bos", "kees"), ("Henk Jansen", "henk")]:
        link = _invite(page, live_server, "Invite at least %(num)d people from your own network", name, num=3)
        _join(new_context().new_page(), live_server, link, name, username)
    page.reload()
    expect(_step(page, live_server, "Invite the safety person")).to_have_class(re.compile(r"task--done"))
    network = _step(page, live_server, "Invite at least %(num)d people from your own network", num=3)
    expect(network).to_have_class(re.compile(r"task--done"))
    check_axe(page)

    # 4. The safe object and who watches for it, agreed in the plan.
    _go(page, _step(page, live_server, "Agree on the safe object and who watches for it").locator("a.task__title"))
    _go(page, page.locator("main").get_by_role("button", name=t("Start the safety plan")))
    _go(page, page.locator("main").get_by_role("link", name=t("Fill in the safe object")))
    page.fill("#what", "De knuffelbeer van Noor")
    page.fill("#where", "Voor het raam aan de voorkant")
    page.get_by_label("Ria de Boer").check()
    page.fill("#action", "Bel meteen Fatima en kom langs.")
    check_axe(page)
    _go(page, page.locator("main").get_by_role("button", name=t("Save"), exact=True))
    page.goto(home)
    safe_object = _step(page, live_server, "Agree on the safe object and who watches for it")
    # A plan is agreed on with at least one agreement: the step says so before anyone tries, and so does the plan.
    expect(safe_object).to_contain_text(
        t("It is in the draft plan. Write at least one agreement too, then agree on the plan."))
    _go(page, safe_object.locator("a.task__title"))
    _go(page, page.locator("main").get_by_role("button", name=t("We agree on this plan")))
    expect(page.locator(".notice").first).to_be_visible()  # and keeps the draft
    _go(page, page.locator("main").get_by_role("link", name=t("Add an agreement"), exact=True))
    page.fill("#what", "Ria komt twee keer per week langs.")
    page.fill("#who", "Ria")
    _go(page, page.locator("main").get_by_role("button", name=t("Save"), exact=True))
    page.goto(home)
    expect(safe_object).to_contain_text(t("It is in the draft plan. Agree on the plan to finish this step."))
    _go(page, safe_object.locator("a.task__title"))
    _go(page, page.locator("main").get_by_role("button", name=t("We agree on this plan")))
    expect(page.locator(".status--agreed")).to_have_text(t("Agreed"))
    page.goto(home)
    expect(safe_object).to_have_class(re.compile(r"task--done"))

    # 5. Alerts on this phone (the local push service stands in for the phone's).
    expect(_step(page, live_server, "Turn on alerts on this phone")).to_contain_text(
        t("Ring 1: %(num)d of %(total)d people can get alerts now.", num=0, total=1))
    _turn_on_alerts(live_server, push_service, page)
    page.goto(home)
    expect(_step(page, live_server, "Turn on alerts on this phone")).to_have_class(re.compile(r"task--done"))

    # 6. The first entry in the safety log.
    _go(page, _step(page, live_server, "Write the first entry in the safety log").locator("a.task__title"))
    page.locator("label.kind__label", has_text=t("Went well")).click()
    page.fill("#what_happened", "Noor en Fatima hebben samen gekookt.")
    _go(page, page.locator("form[data-log-form] button[type=submit]"))
    expect(page.locator(".notice--success")).to_contain_text(t("Saved in the safety log."))
    page.goto(home)
    expect(_step(page, live_server, "Write the first entry in the safety log")).to_have_class(re.compile(r"task--done"))

    # 7. The first network meeting: when every step is done, the checklist goes away.
    expect(card).to_contain_text(t("%(done)d of %(total)d done.", done=6, total=7))
    _go(page, _step(page, live_server, "Plan the first network meeting").locator("a.task__title"))
    check_axe(page)
    page.fill("#day", (utcnow() + timedelta(days=10)).date().isoformat())
    page.fill("#start", "19:30")
    page.fill("#place", "Bij Fatima thuis")
    _go(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".notice--success")).to_contain_text(t("The meeting is planned. The invitations are on their way."))
    page.goto(home)
    expect(card).to_have_count(0)
    check_axe(page)

    # The chair does not open the child view (it is for the parents and the safety person); Ria hands her phone to
    # Noor, and the child view greets her by name.
    expect(page.get_by_role("link", name=t("Open the child view"))).to_have_count(0)
    ria.goto(home)
    _go(ria, ria.get_by_role("link", name=t("Open the child view")))
    expect(ria.locator("h1")).to_contain_text(t("Are you giving the phone to %(name)s?", name="Noor"))
    check_axe(ria)
    _go(ria, ria.get_by_role("button", name=t("Yes, open the child view")))
    expect(ria.locator("h1")).to_have_text(t("Hello %(name)s!", name="Noor"))
    check_axe(ria)
    assert ria.url == f"{live_server.url}/h/{household_id}/child"
