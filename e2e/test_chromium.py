"""The browser the tests drive: Debian's Chromium with Playwright's switches, and without the omnibox pop-up pages a
headless window would otherwise load for every browser context (e2e/chromium.sh merges the two lists of features
to switch off; Chromium obeys only the last list it is given)."""
import pytest

pytestmark = pytest.mark.e2e


def _disabled_features(page) -> set[str]:
    page.goto("chrome://version")
    command_line = page.locator("#command_line").inner_text().split()
    lists = [arg.removeprefix("--disable-features=") for arg in command_line if arg.startswith("--disable-features=")]
    assert len(lists) == 1, f"Chromium was given {len(lists)} lists of features to switch off and obeys only the last"
    return set(lists[0].split(","))


def test_chromium_keeps_playwrights_features_off_and_ours(browser, new_context):
    disabled = _disabled_features(new_context().new_page())
    # Two of Playwright's own (HTTP stays HTTP; no pre-painting hold), and the two the tests add.
    assert {"HttpsUpgrades", "PaintHolding", "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= disabled


def test_a_new_browser_context_loads_no_page_of_the_browsers_own(browser, new_context):
    new_context().new_page().goto("about:blank")
    session = browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
    finally:
        session.detach()
    assert [t["url"] for t in targets if t["type"] == "browser_ui"] == []
