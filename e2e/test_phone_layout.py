"""Every page a person reaches from their home fits a small phone: at 390x844 and at 320x640, in Dutch and in Arabic
(right to left), nothing runs wider than the screen, no text runs out of its button, the main menu is one row, and axe
finds nothing (once per page); the safety person's home is at most two screens high. The height of each page is
printed, so that long pages show up in the test output."""
import re

import pyotp
import pytest

from e2e.conftest import check_axe
from webapp.demo import DEMO_PASSWORD
from webapp.professionals.demo_data import DEMO_TOTP_SECRET

pytestmark = pytest.mark.e2e

SIZES = {"nl": ((390, 844), (320, 640)), "ar": ((390, 844), (320, 640))}
ROLES = ("ouder", "veiligheidspersoon", "netwerklid", "voorzitter", "professional")
# Not pages to look at: they download, print, sign out, leave, or hand the phone to the child.
NOT_A_PAGE = re.compile(r"/sign-out|/child|/download|\.zip|\.ics|/print|/export|/unlock|/leave$|/close$|/remove|"
                        r"/photo|/pictures/|^tel:|^mailto:|^#|^https?:")
MENU_ROW_MAX = 60  # px: one row of 48 px targets and its padding
TWO_SCREENS = 2 * 844  # the safety person's home at 390x844 in Dutch, with the demo's data and the alerts banner
# Text that runs out of its own box (a long Dutch word in a narrow button): the page is not wider, the word is cut.
CLIPPED = """[...document.querySelectorAll('main a, main button, main label, main summary')]
    .filter((e) => e.offsetParent && !e.closest('.visually-hidden') && e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30)} (${e.scrollWidth} > ${e.clientWidth} px)`)"""
# What is measured on a page at each size, in one round trip: how wide and high the page is, how high the menu row
# is, and the text that runs out of its box.
MEASURE = """() => ({
    wide: document.documentElement.scrollWidth,
    tall: document.documentElement.scrollHeight,
    menu: (document.querySelector('.mainnav__row') || {offsetHeight: 0}).offsetHeight,
    clipped: """ + CLIPPED + """,
})"""


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#login", username)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/sign-in/code" in page.url:  # the professional's second factor
        page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()


def _pages(page, base: str) -> list[str]:
    """The home and every page its menu and main content link to, once each."""
    hrefs = page.eval_on_selector_all("nav.mainnav a, main a", "els => els.map(e => e.getAttribute('href'))")
    found = [page.url.removeprefix(base)]
    for href in hrefs:
        if href and not NOT_A_PAGE.search(href) and href not in found:
            found.append(href)
    return found


_AXE_CHECKED: set[str] = set()  # axe once per page and language in a test process (another role's differs little)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_every_page_from_home_fits_a_small_phone(live_server, factory, new_context, lang, username):
    factory.demo()
    base = live_server.url
    problems, heights = [], []
    page = new_context().new_page()
    _sign_in(page, base, username)
    if lang != "nl":
        page.locator(f"footer button[name=locale][value={lang}]").click()
        page.wait_for_load_state()
    home = page.url.removeprefix(base)
    for url in _pages(page, base):
        response = page.goto(base + url)
        assert response.ok, f"{username} {url}: {response.status}"
        for width, height in SIZES[lang]:  # the same page, measured at each size
            page.set_viewport_size({"width": width, "height": height})
            measured = page.evaluate(MEASURE)
            wide, tall, menu, clipped = measured["wide"], measured["tall"], measured["menu"], measured["clipped"]
            heights.append(f"{lang} {width} {username:<18} {tall:>6} px  {url}")
            if wide > width:
                problems.append(f"{lang} {width}px {username} {url}: {wide}px wide")
            if menu > MENU_ROW_MAX:
                problems.append(f"{lang} {width}px {username} {url}: the menu is {menu}px high")
            if clipped:
                problems.append(f"{lang} {width}px {username} {url}: text runs out of its box: {clipped}")
            if (lang, width, username) == ("nl", 390, "veiligheidspersoon") and url == home and tall > TWO_SCREENS:
                problems.append(f"the safety person's home is {tall}px high, more than two screens ({TWO_SCREENS}px)")
            pattern = f"{lang} {re.sub(r'[0-9]+', 'N', url)}"
            if width == SIZES[lang][0][0] and pattern not in _AXE_CHECKED:  # at the first size
                _AXE_CHECKED.add(pattern)
                check_axe(page, lang)
        page.set_viewport_size({"width": SIZES[lang][0][0], "height": SIZES[lang][0][1]})
    print("\n".join(["", "page heights:"] + heights))
    assert not problems, "\n".join(problems)


CHILD_PAGES = ("/child", "/child/worried", "/child/books/story/1", "/child/books/plan/1", "/log/child", "/calendar/child",
               "/child/road", "/child/houses", "/child/houses/good")
# In one round trip: how wide the page is, its text, and the targets under 44 px high: links, buttons and the labels
# of choices (a text field's label is not something to tap).
MEASURE_CHILD = """() => ({
    wide: document.documentElement.scrollWidth,
    text: document.body.innerText,
    small: [...document.querySelectorAll('main a, main button, main label')]
        .filter((e) => e.tagName !== 'LABEL' || ['radio', 'checkbox'].includes(document.getElementById(e.htmlFor)?.type))
        .filter((e) => e.offsetParent && e.getBoundingClientRect().height < 44)
        .map((e) => e.textContent.trim().slice(0, 30)),
})"""
# Emoji, and the symbols phones draw as emoji: the child view shows Kring's own drawn pictograms instead.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2460-\u27BF\u2900-\u2BFF\uFE0F]")


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_child_view_fits_a_small_phone_reads_aloud_and_shows_no_emoji(live_server, factory, new_context, lang):
    factory.demo()
    base = live_server.url
    page = new_context().new_page()
    _sign_in(page, base, "ouder")
    if lang != "nl":
        page.locator(f"footer button[name=locale][value={lang}]").click()
        page.wait_for_load_state()
    home = re.sub(r"^(.*/h/\d+).*$", r"\1", page.url)
    page.goto(f"{home}/child/start")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()  # the grown-up hands the phone over
    problems, checked = [], set()
    for width, height in SIZES[lang]:
        page.set_viewport_size({"width": width, "height": height})
        for path in CHILD_PAGES:
            response = page.goto(home + path)
            assert response.ok and page.url == home + path, f"{path}: {response.status} {page.url}"
            measured = page.evaluate(MEASURE_CHILD)
            wide, text, small = measured["wide"], measured["text"], measured["small"]
            if wide > width:
                problems.append(f"{lang} {width}px {path}: {wide}px wide")
            reader = page.locator("[data-read-aloud]")
            if reader.count() != 1 or not reader.is_visible():
                problems.append(f"{lang} {width}px {path}: no 'Read to me'")
            shown = EMOJI.findall(text)
            if shown:
                problems.append(f"{lang} {width}px {path}: emoji {''.join(shown)}")
            if small:
                problems.append(f"{lang} {width}px {path}: targets under 44 px: {small}")
            if path not in checked:
                checked.add(path)
                check_axe(page, lang)
    assert not problems, "\n".join(problems)
