"""SMS end to end: Oma Ria has no app on her phone, only a mobile number she confirmed with a code. A child's
"I am worried" reaches her as a text through a real worker and a local fake of Twilio's API; her reply "1",
posted to Kring's webhook signed as Twilio signs it, shows on the child's screen as someone coming."""
import re

from playwright.sync_api import expect

from e2e.conftest import check_axe, screenshot, sign_in
from e2e.test_child_message import add_child, give_phone_to_child
from tests.peers import sms_provider  # noqa: F401 (a fixture)
from tests.worker_process import start_worker
from webapp.households.models import Role

NUMBER = "+31612345678"


def test_a_safety_person_with_only_a_phone_number_gets_a_text_and_her_reply_shows_for_the_child(
        live_server, factory, new_context, sms_provider, monkeypatch):  # noqa: F811
    for key, value in sms_provider.config().items():
        monkeypatch.setitem(live_server.app.config, key, value)
    monkeypatch.setitem(live_server.app.config, "BASE_URL", live_server.url)  # where the provider posts replies
    monkeypatch.setitem(live_server.app.config, "SIGNAL_UNDO_SECONDS", 1)
    family = factory.household("Familie Jansen", "Sanne Jansen")
    ria = factory.member(family, "safety", "Oma Ria", {Role.safety_person})

    # Ria adds her mobile number in her settings and types in the code Kring texted her.
    phone = new_context().new_page()
    sign_in(phone, live_server.url, ria.username)
    phone.goto(f"{live_server.url}/settings/devices")
    phone.get_by_label(live_server.t("Mobile number")).fill("06 12345678")
    phone.get_by_role("button", name=live_server.t("Send me a code")).click()
    [code_message] = sms_provider.wait_for(1)
    expect(phone.get_by_label(live_server.t("Code from the text message"))).to_be_visible()
    check_axe(phone)
    screenshot(phone, "sms-code.png")
    assert code_message.to == NUMBER
    code = re.search(r"\d{6}", code_message.body).group(0)
    phone.get_by_label(live_server.t("Code from the text message")).fill(code)
    phone.get_by_role("button", name=live_server.t("Confirm my number")).click()
    expect(phone.locator(".sms-number")).to_contain_text("+31 6 12345678")
    screenshot(phone, "sms-settings.png")
    check_axe(phone)

    worker = start_worker(**sms_provider.env())
    try:
        # At home, on Sanne's phone, the child taps "I am worried".
        home = new_context().new_page()
        sign_in(home, live_server.url, family.people["creator"].username)
        add_child(live_server, family, "Noor Jansen")
        give_phone_to_child(home, live_server, family.id)
        home.get_by_role("link", name=live_server.t("I am worried")).click()
        home.get_by_role("button", name=live_server.t("Yes"), exact=True).click()
        home.wait_for_url(re.compile(rf"/h/{family.id}/child/signals/\d+$"))
        status = home.locator(".child-status")
        expect(status).to_contain_text(live_server.t("Sent!"))

        # After the undo window the worker texts Ria: discreet, with how to answer.
        _code, alert = sms_provider.wait_for(2, timeout=20)
        assert alert.to == NUMBER
        for secret in ("Jansen", "worried", live_server.t("I am worried")):
            assert secret not in alert.body

        # Ria replies "1"; the provider posts it to Kring's webhook, signed.
        answer = sms_provider.reply(f"{live_server.url}/sms/reply", NUMBER, "1")
        assert live_server.t("Thank you. The others see that you are going.") in answer

        # The child's screen updates itself: someone is coming, and who.
        expect(status).to_contain_text(live_server.t("Someone is coming!"), timeout=10_000)
        expect(status.locator(".child-person__name")).to_have_text(["Oma"])
        check_axe(home)
    finally:
        worker.stop()
