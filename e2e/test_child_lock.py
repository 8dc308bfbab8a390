"""The child lock and the child view in a real browser: the lock survives closing the browser ("keep me signed in"),
a passkey opens it, no child page shows the grown-ups' signal notices (online, and from the copies the service
worker keeps), and on a shared phone a child's page refreshing itself never stops the mother's signal page; a page
whose refresh is refused says so."""
import re

import pytest
from flask import url_for
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import CHROMIUM, PHONE, check_axe, sign_in, wait_for_promise, wait_for_service_worker
from e2e.test_child_message import add_child, give_phone_to_child, unlock_child_view
from e2e.test_passkeys import HOST, add_virtual_authenticator
from tests.conftest import PASSWORD
from webapp.auth.models import User, utcnow
from webapp.child_lock import is_child_page
from webapp.extensions import db
from webapp.households.models import Child, Household, Role
from webapp.signals.models import AckKind, Signal, SignalSource
from webapp.signals.services import acknowledge, raise_signal

pytestmark = pytest.mark.e2e


def _open_signal(live_server, family, raiser_key: str = "creator", source=SignalSource.child) -> int:
    with live_server.app.app_context():
        signal, _ = raise_signal(db.session, db.session.get(Household, family.id),
                                 db.session.get(User, family.people[raiser_key].id), f"e2e-{family.id}-{source.value}",
                                 source, "", utcnow(), 0)
        db.session.commit()
        signal_id = signal.id
        db.session.remove()
    return signal_id


def _worker_beats(live_server) -> None:
    """A running worker's heartbeat: without one, the child's page says "not sent yet" instead of "Sent!"."""
    from webapp.health.heartbeat import beat
    with live_server.app.app_context():
        beat(db.session, "e2e-worker:1", utcnow())
        db.session.commit()
        db.session.remove()


def _answer(live_server, signal_id: int, user_id: int) -> None:
    with live_server.app.app_context():
        assert acknowledge(db.session, db.session.get(Signal, signal_id), db.session.get(User, user_id),
                           AckKind.going, utcnow())
        db.session.commit()
        db.session.remove()


# --- the lock survives closing the browser ---------------------------------------------------------------------------

def test_the_lock_survives_closing_the_browser(live_server, factory, playwright, tmp_path):
    family = factory.household("Familie Jansen", "Petra Jansen")
    add_child(live_server, family, "Noor Jansen")
    profile = tmp_path / "chromium-profile"  # the phone's browser, with what it keeps on disk

    def open_browser():
        context = playwright.chromium.launch_persistent_context(
            str(profile), **CHROMIUM, **PHONE)
        context.set_default_timeout(10_000)
        return context, (context.pages[0] if context.pages else context.new_page())

    context, page = open_browser()
    try:
        page.goto(f"{live_server.url}/sign-in")
        expect(page.locator("#remember")).to_be_checked()  # "keep me signed in" is on unless unticked
        sign_in(page, live_server.url, family.people["creator"].username)
        give_phone_to_child(page, live_server, family.id, "Noor", axe=True)
        expect(page.locator("h1")).to_contain_text(live_server.t("Hello %(name)s!", name="Noor"))
    finally:
        context.close()

    context, page = open_browser()
    try:
        kept = {cookie["name"] for cookie in context.cookies()}
        assert "remember_token" in kept and "kring" not in kept, kept  # closed: only what outlives the browser
        home = f"{live_server.url}/h/{family.id}"
        page.goto(home)
        expect(page).to_have_url(f"{live_server.url}/unlock?next=/h/{family.id}")
        expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
        check_axe(page)
        page.goto(f"{home}/export")
        expect(page).to_have_url(f"{live_server.url}/unlock?next=/h/{family.id}/export")
        expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
        page.fill("#password", PASSWORD)
        with page.expect_download() as download:
            page.get_by_role("button", name=live_server.t("Continue")).click()
        assert download.value.suggested_filename.endswith(".zip")
        page.goto(home)
        expect(page).to_have_url(home)
        expect(page.locator("h1")).to_contain_text("Familie Jansen")
    finally:
        context.close()


# --- a passkey opens the lock ------------------------------------------------------------------------------------------

def test_a_passkey_opens_the_lock(live_server, factory, page):
    family = factory.household("Familie Smit", "Ilse Smit")
    add_child(live_server, family, "Lotte Smit")
    base = live_server.url_on(HOST)  # WebAuthn needs a domain
    add_virtual_authenticator(page)
    sign_in(page, base, family.people["creator"].username)
    page.goto(f"{base}/settings")
    page.locator("[data-passkey-register] button[data-passkey-button]").click()
    expect(page.locator(".notice--success")).to_be_visible()

    give_phone_to_child(page, live_server, family.id, base=base)
    page.goto(f"{base}/h/{family.id}/log/")
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
    passkey = page.locator("[data-passkey-sign-in] button[data-passkey-button]")
    expect(passkey).to_be_visible()
    check_axe(page)
    passkey.click()
    expect(page).to_have_url(f"{base}/h/{family.id}/log/")
    page.goto(f"{base}/h/{family.id}")
    expect(page).to_have_url(f"{base}/h/{family.id}")


# --- no child page shows the grown-ups' notices ---------------------------------------------------------------------

def _child_page_urls(live_server, household_id: int, signal_id: int) -> list[str]:
    """A URL for every page of the child view; a new child page fails here until it is added."""
    args = {
        "households.child": {},
        "safety_log.child_message": {},
        "resilience_calendar.child_add": {},
        "signals.child_worried": {},
        "signals.child_status": {"signal_id": signal_id},
        "words_pictures.child_book": {"kind": "plan", "page_number": 1},
        "trajectory.child_road": {},
        "three_houses.child_houses": {},
        "three_houses.child_house": {"house": "worries"},
    }
    app = live_server.app
    with app.test_request_context():
        child_pages = {endpoint for endpoint in app.view_functions if is_child_page(endpoint)}
        assert child_pages == set(args), "a child page without a URL in this test"
        urls = [url_for(endpoint, household_id=household_id, **extra) for endpoint, extra in args.items()]
        urls += [url_for("words_pictures.child_book", household_id=household_id, kind="story", page_number=n)
                 for n in (1, 2)]
    return urls


def _cached_pages_with(page, text: str) -> dict:
    """The pages the service worker keeps whose HTML contains `text`, and how many pages it keeps."""
    return page.evaluate("""async (text) => {
        const found = [];
        let pages = 0;
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const response = await cache.match(request);
                if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) continue;
                pages += 1;
                if ((await response.text()).includes(text)) found.push(name + " " + request.url);
            }
        }
        return { found, pages };
    }""", text)


def _wait_until_kept(page, path: str) -> None:
    wait_for_promise(page, f"async () => !!(await (await caches.open('kring-pages-v1')).match('{path}'))")


def test_no_child_page_shows_an_open_signal_online_or_offline(live_server, factory, new_context):
    from webapp.words_pictures.demo_data import PLAN, STORY, seed_demo
    family = factory.household("Familie de Boer", "Mark de Boer")
    add_child(live_server, family, "Sem de Boer")
    with live_server.app.app_context():
        seed_demo(db.session, db.session.scalar(select(Child).where(Child.household_id == family.id)),
                  live_server.app.instance_path)
        db.session.commit()
        db.session.remove()
    signal_id = _open_signal(live_server, family)
    context = new_context()
    page = context.new_page()
    sign_in(page, live_server.url, family.people["creator"].username)
    banner = page.locator(".notice--signal")
    expect(banner).to_have_count(1)  # the grown-ups see the open signal on their pages
    wait_for_service_worker(page)
    _wait_until_kept(page, f"/h/{family.id}/log/new")  # the home asks for the composer to be kept

    give_phone_to_child(page, live_server, family.id, "Sem")
    _wait_until_kept(page, f"/h/{family.id}/log/child")  # the child view asks for the child's message
    urls = _child_page_urls(live_server, family.id, signal_id)
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("body")).to_have_class(re.compile(r"\bchild-view\b"))
        expect(page.locator("main")).to_be_visible()
        expect(banner).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text(live_server.t("Open signal:"))
        if "/books/" in url:
            page.wait_for_selector("article[data-offline-ready=true]", state="attached")
    # Tapping out of the child view leads to the unlock page: nothing for grown-ups there either.
    page.goto(f"{live_server.url}/h/{family.id}/signals/{signal_id}")
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
    expect(banner).to_have_count(0)

    # Without a connection: the books from the phone's copy, the other pages as the offline page.
    context.set_offline(True)
    try:
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            expect(page.locator("main")).to_be_visible()
            expect(banner).to_have_count(0)
            if "/books/" in url:
                expect(page.locator(".book-page__text")).not_to_be_empty()
        kept = _cached_pages_with(page, "notice--signal")
        # The offline page, both books, and the pages to write in: the grown-up's (kept without the notices of that
        # moment) and the child's.
        assert kept["found"] == [] and kept["pages"] == 1 + len(STORY) + len(PLAN) + 2
        assert _cached_pages_with(page, live_server.t("Open signal:"))["found"] == []
        check_axe(page)
    finally:
        context.set_offline(False)


# --- a shared phone: the child's page refreshing never stops the mother's --------------------------------------------

def test_on_a_shared_phone_the_mothers_signal_page_keeps_updating_and_says_when_it_cannot(
        live_server, factory, new_context):
    family = factory.household("Familie Jansen", "Petra Jansen")
    add_child(live_server, family, "Noor Jansen")
    gerda = factory.member(family, "safety", "Gerda Bos", {Role.safety_person})
    signal_id = _open_signal(live_server, family)
    _worker_beats(live_server)
    context = new_context()

    # Noor's tab: the phone handed over, her signal's page refreshing itself every few seconds.
    child = context.new_page()
    sign_in(child, live_server.url, family.people["creator"].username)
    give_phone_to_child(child, live_server, family.id, "Noor")
    child.goto(f"{live_server.url}/h/{family.id}/child/signals/{signal_id}")
    expect(child.locator(".child-status")).to_contain_text(live_server.t("Sent!"))

    # Petra's tab: her password opens her signal page.
    mother = context.new_page()
    signal_url = f"{live_server.url}/h/{family.id}/signals/{signal_id}"
    mother.goto(signal_url)
    unlock_child_view(mother, live_server)
    expect(mother).to_have_url(signal_url)
    notice = mother.locator("[data-refresh-notice] .notice")
    expect(notice).to_be_hidden()

    # Noor's page refreshes a few times; that locks nothing, and Petra's page shows Gerda's answer.
    for _ in range(2):
        with child.expect_response(re.compile(rf"/child/signals/{signal_id}\?part=1$"), timeout=10_000) as refresh:
            pass
        assert refresh.value.status == 200
    _answer(live_server, signal_id, gerda.id)
    answers = mother.locator("section[aria-labelledby=answers-title] li")
    expect(answers).to_contain_text("Gerda Bos", timeout=10_000)
    expect(child.locator(".child-status")).to_contain_text(live_server.t("Someone is coming!"), timeout=10_000)
    expect(notice).to_be_hidden()

    # Noor gets the phone again: Petra's page says why it stopped, and her password brings it back.
    give_phone_to_child(child, live_server, family.id)
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_contain_text(live_server.t("The child view is open on this phone, so this page stopped updating."))
    check_axe(mother)
    mother.get_by_role("link", name=live_server.t("Enter your password to see the latest")).click()
    unlock_child_view(mother, live_server)
    expect(mother).to_have_url(signal_url)
    expect(notice).to_be_hidden()

    # No connection: said, and gone again once it is back.
    context.set_offline(True)
    try:
        expect(notice).to_contain_text(live_server.t("No connection: this page is not updating. Kring keeps trying."),
                                       timeout=10_000)
    finally:
        context.set_offline(False)
    expect(notice).to_be_hidden(timeout=10_000)

    # The signal's page is gone for Petra (404): said too.
    mother.route(re.compile(r"\?part=1$"), lambda route: route.fulfill(status=404, body="not found"))
    expect(notice).to_contain_text(
        live_server.t("This page stopped updating: it is gone, or no longer open to you. Reload the page to see why."),
        timeout=10_000)
    check_axe(mother)
