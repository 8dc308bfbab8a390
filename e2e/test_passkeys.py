"""Passkeys, with Chromium's virtual authenticator standing in for the phone's fingerprint or face."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in

pytestmark = pytest.mark.e2e

# WebAuthn needs a domain as relying-party ID, and Chromium refuses an IP address such as 127.0.0.1.
# localhost is a domain and a secure context, so this test talks to the live server as localhost.
HOST = "localhost"


def add_virtual_authenticator(page):
    """A phone's built-in authenticator that says yes at once; (CDP session, authenticator id)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }})
    return cdp, answer["authenticatorId"]


def test_person_adds_a_passkey_in_settings_and_signs_in_with_it_without_typing(live_server, factory, page):
    family = factory.household("Familie Smit", "Ilse Smit")
    base = live_server.url_on(HOST)
    cdp, authenticator = add_virtual_authenticator(page)

    sign_in(page, base, family.people["creator"].username)
    page.goto(f"{base}/settings")
    register = page.locator("[data-passkey-register] button[data-passkey-button]")
    expect(register).to_be_visible()
    expect(page.locator("[data-passkey-unsupported]")).to_be_hidden()
    check_axe(page)

    register.click()
    expect(page.locator(".notice--success")).to_be_visible()
    expect(page.locator("[data-passkey-error]")).to_be_hidden()
    expect(page.locator("form[action*='/settings/passkeys/'][action$='/delete']")).to_have_count(1)
    check_axe(page)
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    page.locator("footer form[action='/sign-out'] button").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.locator("nav.mainnav")).to_have_count(0)
    check_axe(page)

    # Nothing typed: the passkey button alone signs the person in.
    passkey_button = page.locator("[data-passkey-sign-in] button[data-passkey-button]")
    expect(passkey_button).to_be_visible()
    passkey_button.click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))
    expect(page.locator("nav.mainnav")).to_be_visible()
    expect(page.locator("#login")).to_have_count(0)
    check_axe(page)


def test_a_passkey_that_fails_gets_kring_s_own_message_not_the_browser_s(live_server, factory, page):
    # On 127.0.0.1 Chromium refuses WebAuthn at once ("This is an invalid domain."): a quick way to make
    # the browser say no, as it does when a person cancels. The person must read Kring's kind message in
    # their language, not the browser's technical English.
    add_virtual_authenticator(page)
    page.goto(f"{live_server.url}/sign-in")
    button = page.locator("[data-passkey-sign-in] button[data-passkey-button]")
    button.click()
    error = page.locator("[data-passkey-sign-in] [data-passkey-error]")
    expect(error).to_be_visible()
    expect(error).to_have_text(button.get_attribute("data-error-text"))
    expect(button).to_be_enabled()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    check_axe(page)
