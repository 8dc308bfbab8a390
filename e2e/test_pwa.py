"""The installable app: manifest, service worker, installability, the offline page and the install guide."""
import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM, PHONE, check_axe, sign_in, wait_for_service_worker

from webapp.static_files import built_path

pytestmark = pytest.mark.e2e


def test_manifest_is_valid_and_has_icons_including_a_maskable_one(live_server, page):
    page.goto(f"{live_server.url}/sign-in")
    check_axe(page)
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())

    assert manifest["name"] and manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    icons = manifest["icons"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in icons}
    assert any("maskable" in icon.get("purpose", "").split() for icon in icons)
    for icon in icons:
        answer = page.request.get(f"{live_server.url}{icon['src']}")
        assert answer.ok and answer.headers["content-type"] == icon["type"], icon["src"]


@pytest.fixture
def profile_page(playwright, tmp_path):
    """A page in a browser with a real (not incognito) profile: Chromium never offers to install an app
    from an incognito window, and every Playwright context made with new_context() is one."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", **CHROMIUM, **PHONE)
    context.set_default_timeout(10_000)
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_service_worker_registers_the_app_is_installable_and_works_offline(live_server, factory, profile_page):
    page = profile_page
    family = factory.household("Familie Peters", "Lotte Peters")
    sign_in(page, live_server.url, family.people["creator"].username)
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))

    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server.url}/"
    version = re.search(r'const VERSION = "([^"]+)"', built_path("js/sw.js").read_text()).group(1)
    assert page.evaluate(f"caches.open('{version}').then((c) => c.match('/offline')).then((r) => !!r)")

    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], f"Chromium says Kring cannot be installed: {errors}"

    # Without a network, opening a Kring page shows the offline page kept by the service worker.
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/h/{family.id}")
        expect(page.locator("a[href='tel:112']")).to_be_visible()
        expect(page.locator("h1")).to_have_text(live_server.t("No connection"))
        expect(page.locator("main")).not_to_contain_text(family.name)
        check_axe(page)
    finally:
        page.context.set_offline(False)


def test_install_guide_is_accessible(live_server, page):
    page.goto(f"{live_server.url}/install")
    expect(page.locator("h1")).to_have_text(live_server.t("Put Kring on your home screen"))
    check_axe(page)


def test_a_page_that_opened_before_the_service_worker_took_over_is_taken_over_without_a_reload(
        live_server, factory, page):
    """A page whose loading began before the service worker was active (the first page after signing in, on a slow
    phone; or a hard reload, which bypasses it) asks the worker to take it over, so that what it sends goes through
    the worker too: an entry posted from it when the connection drops is kept in the outbox, not lost."""
    family = factory.household("Familie Peters", "Lotte Peters")
    sign_in(page, live_server.url, family.people["creator"].username)
    wait_for_service_worker(page)

    cdp = page.context.new_cdp_session(page)
    with page.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})  # as a hard reload: the page loads without the worker
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=10_000)
