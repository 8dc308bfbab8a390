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


def test_a_kept_menu_follows_each_change_at_once(client, family):
    """Each process keeps the menus it made (webapp.shell.navigation.main_menu); whatever a menu depends on decides
    which one is shown, so a change of roles, of being hidden from signals or of language shows on the next page."""
    from webapp.extensions import db
    from webapp.households.models import Role
    home = f"/h/{family.household.id}"
    sign_in_as(client, family.users["chair"])
    assert [label for _url, label in _menu(client.get(home).text)[0]] == ["Home", "Log", "Plan", "Meetings"]

    family.membership("chair").set_roles({Role.network_member})
    db.session.commit()
    row, more = _menu(client.get(home).text)
    assert [label for _url, label in row] == ["Home", "Log", "Plan", "Signals"]

    family.membership("chair").signals_hidden = True
    db.session.commit()
    row, more = _menu(client.get(home).text)
    assert "Signals" not in [label for _url, label in row + more]

    family.users["chair"].locale = "nl"
    db.session.commit()
    page = client.get(home).text
    assert [label for _url, label in _menu(page)[0]][:2] == ["Start", "Logboek"]
    assert 'aria-label="Hoofdmenu"' in page


def test_a_kept_menu_links_to_the_household_of_the_person_who_sees_it(client, family):
    """Two people with the same roles in two households, served by the same process one after the other: each
    menu leads to their own household only."""
    sign_in_as(client, family.users["household_member"])
    mine = _menu(client.get(f"/h/{family.household.id}").text)
    sign_in_as(client, family.users["outsider"])
    theirs = _menu(client.get(f"/h/{family.other_household.id}").text)
    assert [label for _url, label in mine[0]] == [label for _url, label in theirs[0]]
    for url, _label in theirs[0] + theirs[1][:-1]:  # all but Settings, which belongs to no household
        assert url.startswith(f"/h/{family.other_household.id}"), url
    for url, _label in mine[0] + mine[1][:-1]:
        assert url.startswith(f"/h/{family.household.id}"), url


def test_the_current_page_is_marked_on_each_page_though_the_menu_is_kept(client, family):
    sign_in_as(client, family.users["household_member"])
    for path, current in [("", "Home"), ("/log/", "Log"), ("/plan/", "Plan"), ("", "Home")]:
        page = client.get(f"/h/{family.household.id}{path}").text
        marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', page.split("</nav>")[0])
        assert marked == [current], (path, marked)
