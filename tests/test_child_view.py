"""The child view, picture first: every child page has "Read to me", shows no emoji characters (Kring's own drawn
pictograms instead, so nothing depends on the phone's fonts), and asks the worried question with the names of
the child's own safety people. Every pictogram Kring uses is drawn."""
import re

import pytest

from tests.conftest import sign_in_as
from tests.test_child_lock import _child_urls, give_phone_to_child
from webapp.pictograms import FOLDER, file_name


def used() -> dict[str, str]:
    """What scripts/vendor_pictograms.py copies: every emoji Kring draws."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "scripts" / "vendor_pictograms.py"
    spec = importlib.util.spec_from_file_location("vendor_pictograms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.used()

# Emoji and the symbols phones draw as emoji (arrows, dingbats, the variation selector that asks for an emoji).
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2460-\u27BF\u2900-\u2BFF\uFE0F]")


def test_every_pictogram_kring_uses_is_drawn_and_licensed():
    missing = {where: emoji for where, emoji in used().items() if not (FOLDER / file_name(emoji)).is_file()}
    assert missing == {}, "run scripts/vendor_pictograms.py (see its docstring)"
    assert "CC-BY 4.0" in (FOLDER / "LICENSE.txt").read_text()


@pytest.fixture
def child_phone(app, client, family):
    urls = _child_urls(app, family)
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    return urls


def _pages(client, family, urls):
    home = f"/h/{family.household.id}"
    pages = {url: client.get(url) for url in urls}
    pages["message sent"] = client.post(f"{home}/log/child", data={"pictogram": "happy", "words": "Fijn"})
    pages["calendar added"] = client.post(f"{home}/calendar/child", data={"preset": "outside"})
    return pages


def test_every_child_page_reads_aloud_and_shows_no_emoji(client, family, child_phone):
    for url, page in _pages(client, family, child_phone).items():
        assert page.status_code == 200, url
        text = page.text
        assert "data-read-aloud" in text and "data-read-text" in text, f"no Read to me on {url}"
        found = EMOJI.findall(re.sub(r"<svg.*?</svg>", "", text, flags=re.S))
        assert found == [], f"{url} shows emoji {found}"
        assert 'class="picto' in text, url


def test_the_child_pages_checked_here_are_every_child_page_there_is(app, child_phone):
    adapter = app.url_map.bind("localhost")
    checked = {adapter.match(url)[0] for url in child_phone}
    child_pages = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "kring_child_page", False)}
    assert child_pages - checked == set(), "a child page is missing from tests.test_child_lock._child_urls"


def test_the_child_home_buttons_each_have_their_own_colour_and_picture(client, family, child_phone):
    home = client.get(f"/h/{family.household.id}/child").text
    colours = re.findall(r'class="button button--child button--wide child-button child-button--([a-z-]+)', home)
    assert len(colours) >= 4 and len(set(colours)) == len(colours), colours
    assert home.count('class="child-button__picture"') >= len(colours)


def test_the_worried_question_names_the_childs_safety_people(client, family, child_phone):
    page = client.get(f"/h/{family.household.id}/child/worried").text
    assert "Do you want Grandma Gwen to know?" in page
    assert re.search(r'<span data-read-text>Yes</span>', page) and re.search(r'<span data-read-text>No</span>', page)
