"""What the browser refuses is told in the person's language with what to do, never in the browser's own
(English) words: notifications blocked, a push service that fails, and a phone too full to keep an entry."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from e2e.test_offline_log import _open_composer, _write

pytestmark = pytest.mark.e2e

BLOCKED = "Notifications are blocked for Kring in this browser. Allow them in the browser’s site settings, then try again."
NO_ANSWER = "The phone did not answer. Check the connection and try again."
FULL = ("This phone is full, so Kring cannot keep this entry. What you typed is still here. Save it when there is a "
        "connection, or free up space on the phone.")
# What Chromium itself says when its push service cannot be reached.
CHROMIUM_PUSH_ERROR = "Registration failed - push service error"


def _devices(live_server, page):
    page.goto(f"{live_server.url}/settings/devices")
    return page.get_by_role("button", name=live_server.t("Turn on alerts on this phone")), page.locator("[data-push-status]")


def test_blocked_notifications_are_explained_in_dutch(live_server, factory, new_context):
    family = factory.household("Familie Peters", "Ans Peters")
    page = new_context().new_page()  # no permission given: the browser refuses notifications
    page.context.add_init_script("Notification.requestPermission = async () => 'denied';")
    sign_in(page, live_server.url, family.people["creator"].username)
    button, status = _devices(live_server, page)
    button.click()
    expect(status).to_have_text(live_server.t(BLOCKED))
    assert live_server.t(BLOCKED) != BLOCKED  # the Dutch text, not the English id
    expect(button).to_be_enabled()  # they can try again after allowing it
    check_axe(page)


def test_a_failing_push_service_is_explained_in_dutch_not_in_the_browsers_words(live_server, factory, new_context):
    family = factory.household("Familie Peters", "Ans Peters")
    context = new_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(f"""
      PushManager.prototype.getSubscription = async () => null;
      PushManager.prototype.subscribe = async () => {{ throw new DOMException("{CHROMIUM_PUSH_ERROR}", "AbortError"); }};
    """)
    page = context.new_page()
    sign_in(page, live_server.url, family.people["creator"].username)
    button, status = _devices(live_server, page)
    button.click()
    expect(status).to_have_text(live_server.t(NO_ANSWER))
    expect(page.get_by_text(CHROMIUM_PUSH_ERROR)).to_have_count(0)


def test_a_full_phone_offline_keeps_what_was_typed_and_says_so_in_dutch(live_server, factory, page):
    family = factory.household("Familie Peters", "Ans Peters")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    # The phone's storage is full: keeping the entry fails the way IndexedDB fails then.
    page.evaluate("() => { self.kringOutbox.put = async () => { throw new DOMException('full', 'QuotaExceededError'); }; }")
    page.context.set_offline(True)
    _write(live_server, page, "Opa haalde Sam op van school.")
    status = page.locator("[data-outbox]")
    expect(status).to_contain_text(live_server.t(FULL))
    expect(page.locator("#what_happened")).to_have_value("Opa haalde Sam op van school.")
    expect(page.locator("h1")).to_have_text(live_server.t("Write in the safety log"))  # still the composer
    page.context.set_offline(False)
