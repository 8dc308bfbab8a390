"""A person joins, keeps their recovery codes, forgets their password, and gets back into the same account with one
code: in Dutch, at phone size, axe clean."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_join_keep_the_codes_and_get_back_in_with_one(live_server, factory, page):
    family = factory.household("Familie Smit", "Petra Smit")
    token = factory.invitation(family, "Oma Ria")
    base = live_server.url
    username = factory.username("oma.ria")

    page.goto(f"{base}/join/{token}")
    page.fill("#display_name", "Ria Smit")
    page.fill("#username", username)
    page.fill("#password", "de tuin is groen")
    page.locator("main form button[type=submit]").click()

    # "Keep these codes safe": explained first, one tap to make them.
    expect(page.locator("h1")).to_have_text(live_server.t("Recovery codes: for when you forget your password"))
    check_axe(page)
    page.get_by_role("button", name=live_server.t("Make my codes")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("Keep these codes safe"))
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 8 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    expect(page.get_by_role("button", name=live_server.t("Print"))).to_be_visible()
    check_axe(page)
    screenshot(page, "recovery-codes.png")
    page.get_by_role("link", name=live_server.t("I have kept them. Continue")).click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/welcome$"))

    # Signs out, and the password is gone from memory.
    page.locator("form[action='/sign-out'] button").first.click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    page.get_by_role("link", name=live_server.t("Forgot your password?")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("Forgot your password?"))
    check_axe(page)
    page.get_by_role("link", name=live_server.t("Use a recovery code")).click()
    page.fill("#login", username)
    page.fill("#code", codes[2].upper().replace("-", " "))  # as typed from paper
    check_axe(page)
    page.locator("main form button[type=submit]").click()

    expect(page.locator("h1")).to_have_text(live_server.t("Choose a new password"))
    check_axe(page)
    page.fill("#new_password", "de zee is blauw")
    page.fill("#confirm_password", "de zee is blauw")
    screenshot(page, "recovery-new-password.png")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.locator(".notice--success")).to_contain_text(
        live_server.t("Your new password is saved. You are signed out on all your other phones and computers. "
                      "Sign in with your new password."))
    check_axe(page)
    sign_in(page, base, username, "de zee is blauw")
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))  # the same account, in its household

    # Settings show how many codes are left.
    page.goto(f"{base}/settings/recovery")
    with live_server.app.test_request_context():
        from flask_babel import force_locale, ngettext
        with force_locale("nl"):
            left = ngettext("You have %(num)d recovery code left.", "You have %(num)d recovery codes left.", 7)
    expect(page.locator("main")).to_contain_text(left)
    check_axe(page)
