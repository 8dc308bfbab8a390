"""A stopped worker, seen by the person who signals: the raise page and the signal page say in plain Dutch that
Kring cannot send alerts now and to call; a worker that starts again clears it and the page shows who was reached
by which channel. The chair's alert plan shows who can be reached how, and what is missing."""
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, screenshot, sign_in
from tests.peers import push_service  # noqa: F401 (a fixture)
from tests.worker_process import start_worker
from webapp.auth.models import User
from webapp.extensions import db
from webapp.households.models import Role
from webapp.notify.models import PushSubscription

pytestmark = pytest.mark.e2e


def _give_device_and_phone(app, person, push_service, phone: str) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        user.phone = phone
        sub = push_service.new_subscription()
        db.session.add(PushSubscription(user=user, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                        auth=sub["keys"]["auth"], device_name="Android – Chrome"))
        db.session.commit()
        db.session.remove()


def test_the_person_who_signals_sees_that_kring_cannot_send_and_sees_it_clear(live_server, factory, page, push_service):
    family = factory.household("Familie Jansen", "Petra Jansen")
    ria = factory.member(family, "ria", "Oma Ria", {Role.safety_person})
    factory.member(family, "kees", "Buurman Kees", {Role.network_member})
    _give_device_and_phone(live_server.app, ria, push_service, "06 1234 5678")
    warning = live_server.t("Kring cannot send alerts right now.")

    # No worker runs: no heartbeat at all.
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}/signals/new")
    expect(page.get_by_role("alert").filter(has_text=warning)).to_be_visible()
    expect(page.get_by_role("link", name=live_server.t("Call %(name)s", name="Oma Ria"))).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=live_server.t("Send the signal now")).click()
    page.wait_for_url("**/signals/*")
    expect(page.get_by_text(warning)).to_be_visible()
    expect(page.get_by_text(live_server.t("Who should be alerted: not sent yet"))).to_be_visible()
    check_axe(page)
    screenshot(page, "health-signal-silent.png")
    signal_url = page.url

    worker = start_worker(fresh_queue=False, KRING_WORKER_HEARTBEAT_SECONDS="0.3")
    try:
        push_service.wait_for(1, timeout=20)
        deadline = time.monotonic() + 15
        while True:
            page.goto(signal_url)
            if page.get_by_text(warning).count() == 0 and page.get_by_text(live_server.t("Reached")).count():
                break
            assert time.monotonic() < deadline, "the warning did not clear after the worker started"
            time.sleep(0.5)
        expect(page.get_by_text(live_server.t("%(channel)s on %(device)s", channel=live_server.t("Push"),
                                              device="Android – Chrome") + " · ")).to_be_visible()
        check_axe(page)
        screenshot(page, "health-signal-reached.png")

        page.goto(f"{live_server.url}/h/{family.id}/alerts")
        row = page.get_by_role("row").filter(has_text="Buurman Kees")
        expect(row).to_contain_text(live_server.t("Cannot be reached: %(missing)s", missing=", ".join(
            [live_server.t("no working device"), live_server.t("no e-mail address")])))
        expect(page.get_by_role("row").filter(has_text="Oma Ria")).to_contain_text(live_server.t("Push"))
        check_axe(page)
        screenshot(page, "health-alert-plan.png")
    finally:
        worker.stop()
