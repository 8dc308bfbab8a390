"""A signal drill end to end, on phones in Dutch: the mother plans a drill and starts the practice signal; a real
worker sends it through the real local push service, and every push it receives says OEFENING; the grandmother
answers from her phone; the drill's page shows how fast; and the summary's figures about signals do not move.
Axe clean."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, menu_link, sign_in
from tests.peers import push_service  # noqa: F401 (a fixture)
from tests.worker_process import start_worker
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Role
from webapp.notify.models import PushSubscription

pytestmark = pytest.mark.e2e


def _phone_for(app, person, push_service) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        user.locale = "nl"
        sub = push_service.new_subscription()
        db.session.add(PushSubscription(user=user, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                        auth=sub["keys"]["auth"], device_name="Android – Chrome"))
        db.session.commit()
        db.session.remove()


def _signal_figures(page, base: str, household_id: int) -> str:
    page.goto(f"{base}/h/{household_id}/summary")
    return page.locator("section:has(#signals-title)").inner_text()


def test_a_signal_drill_runs_the_real_alert_path_marked_as_practice(live_server, factory, new_context, push_service,
                                                                   monkeypatch):
    t = live_server.t
    monkeypatch.setitem(live_server.app.config, "SIGNAL_UNDO_SECONDS", 1)
    family = factory.household("Familie Jansen", "Petra Jansen")
    ria = factory.member(family, "ria", "Oma Ria", {Role.safety_person})
    _phone_for(live_server.app, ria, push_service)

    mother = new_context().new_page()
    sign_in(mother, live_server.url, family.people["creator"].username)
    figures_before = _signal_figures(mother, live_server.url, family.id)

    mother.goto(f"{live_server.url}/h/{family.id}")
    with mother.expect_navigation():
        menu_link(mother, f"a[href='/h/{family.id}/drills/']").click()
    expect(mother.locator("h1")).to_have_text(t("Practice drills"))
    check_axe(mother)
    with mother.expect_navigation():
        mother.get_by_role("link", name=t("Plan a drill")).click()
    mother.get_by_label(t("Practise the signal: the safe object is moved, and everyone is alerted as for real "
                          "(marked PRACTICE)")).check()
    mother.fill("#scenario", "Noor zet de beer voor het raam. Wie ziet het, wie komt?")
    mother.fill("#day", utcnow().date().isoformat())
    mother.fill("#time", "19:30")
    check_axe(mother)
    with mother.expect_navigation():
        mother.get_by_role("button", name=t("Plan the drill")).click()
    expect(mother.locator(".drill-banner")).to_contain_text(t("PRACTICE"))
    check_axe(mother)
    drill_url = mother.url

    worker = start_worker()
    try:
        with mother.expect_navigation():
            mother.get_by_role("button", name=t("Start the practice signal now")).click()
        expect(mother.locator(".drill-banner")).to_contain_text(t("This is a practice drill, not a real signal. "
                                                                  "Answer as you would for a real one."))
        expect(mother.locator("h1")).to_contain_text(t("PRACTICE"))
        check_axe(mother)
        signal_url = mother.url

        received = push_service.wait_for(1, timeout=20)
        for message in received:  # everything the push service got: all of it says it is practice
            assert message.json["title"].startswith(t("PRACTICE")), message.json
            assert message.json["body"].startswith(t("PRACTICE")), message.json

        grandma = new_context().new_page()
        sign_in(grandma, live_server.url, ria.username)
        grandma.goto(signal_url)
        expect(grandma.locator(".drill-banner")).to_be_visible()
        with grandma.expect_navigation():
            grandma.get_by_role("button", name=t("I’m going")).click()
        expect(grandma.locator(".notice--success")).to_be_visible()

        mother.goto(drill_url)
        expect(mother.get_by_text(t("Answered: %(names)s.", names="Oma Ria"))).to_be_visible()
        expect(mother.locator("#run-title + p")).to_contain_text(t("First answer after %(time)s.", time="")[:12])
        check_axe(mother)
        assert _signal_figures(mother, live_server.url, family.id) == figures_before  # a drill is no signal
    finally:
        worker.stop()
