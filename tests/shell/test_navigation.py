"""The main menu: each person's four daily pages in one row, everything else under "More", no link they cannot open."""
import re

import pytest

from tests.conftest import sign_in_as

ROLES = ["household_member", "safety_person", "network_member", "chair", "professional"]


def _menu(page: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    nav = page.split('class="mainnav"')[1].split("</nav>")[0]
    row, more = nav.split('class="mainnav__more"')
    links = r'<a href="([^"]+)"[^>]*>([^<]+)</a>'
    return re.findall(links, row), re.findall(links, more)


@pytest.mark.parametrize("role", ROLES)
def test_the_row_has_at_most_four_items_and_every_link_opens(client, family, role):
    sign_in_as(client, family.users[role])
    home = f"/h/{family.household.id}/summary" if role == "professional" else f"/h/{family.household.id}"
    row, more = _menu(client.get(home).text)
    assert 1 <= len(row) <= 4
    assert more and more[-1] == ("/settings", "Settings")
    for url, label in row + more:
        assert client.get(url).status_code in (200, 302), (role, label, url)
    assert len({url for url, _ in row + more}) == len(row + more)  # nothing twice


def test_each_role_has_its_daily_pages_in_the_row(client, family):
    expected = {
        "household_member": ["Home", "Log", "Plan", "Signals"],
        "safety_person": ["Home", "Log", "Plan", "Signals"],
        "chair": ["Home", "Log", "Plan", "Meetings"],  # the chair's main job is in her row
        "professional": ["Your households", "Summary"],  # not both "Home" and "Your households"
    }
    for role, labels in expected.items():
        sign_in_as(client, family.users[role])
        home = f"/h/{family.household.id}/summary" if role == "professional" else f"/h/{family.household.id}"
        row, _more = _menu(client.get(home).text)
        assert [label for _url, label in row] == labels, role


def test_a_person_hidden_from_signals_gets_no_signals_link(client, family):
    family.membership("household_member").signals_hidden = True
    from webapp.extensions import db
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    row, more = _menu(client.get(f"/h/{family.household.id}").text)
    assert "Signals" not in [label for _url, label in row + more]
    assert [label for _url, label in row] == ["Home", "Log", "Plan", "Meetings"]


def test_the_current_page_is_marked_also_under_more(client, family):
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{family.household.id}/calendar/").text
    assert 'class="mainnav__more--current"' in page
    assert re.search(r'href="/h/\d+/calendar/" aria-current="page"', page)


def test_the_child_view_is_not_in_the_menu(client, family):
    sign_in_as(client, family.users["household_member"])
    nav = client.get(f"/h/{family.household.id}").text.split('class="mainnav"')[1].split("</nav>")[0]
    assert "/child" not in nav
