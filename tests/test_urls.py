"""The templates' links are built once per process (webapp/urls.py): a kept link must be the link Flask would build
for that page, wherever Kring is served and whoever asks."""
import re

from flask import render_template_string

from tests.conftest import sign_in_as
from webapp.households.services import create_household
from webapp.households.models import Role
from webapp.extensions import db


def _links(page: str) -> list[str]:
    return re.findall(r'(?:href|action)="(/[^"]*)"', page)


def test_under_a_folder_every_link_on_the_home_carries_it_and_at_the_root_none_does(client, family):
    """An operator may serve Kring under a folder (a reverse proxy passing SCRIPT_NAME): a link kept from a page at
    the root must not show up on a page under the folder, nor the other way round."""
    sign_in_as(client, family.users["chair"])
    home = f"/h/{family.household.id}"
    at_root = client.get(home).text
    under = client.get(home, base_url="http://localhost/kring/").text
    again_at_root = client.get(home).text
    assert len(_links(under)) > 20
    assert all(link.startswith("/kring/") for link in _links(under)), [l for l in _links(under) if "/kring/" not in l]
    assert not any(link.startswith("/kring") for link in _links(at_root) + _links(again_at_root))
    assert _links(at_root) == _links(again_at_root)
    assert [link.removeprefix("/kring") for link in _links(under)] == _links(at_root)


def test_each_household_and_each_value_gets_its_own_link(client, family, app):
    """The same page of two households, the same values asked in another order, an anchor, an absolute link: each
    link is built from what was asked, in the order it was asked."""
    chair = family.users["chair"]
    other = create_household(db.session, "Familie Twee", chair, {Role.chair, Role.household_member})
    db.session.commit()
    sign_in_as(client, chair)
    first = client.get(f"/h/{family.household.id}").text
    second = client.get(f"/h/{other.id}").text
    assert f'href="/h/{family.household.id}/log/"' in first and f'href="/h/{other.id}/log/"' in second
    assert f"/h/{other.id}/" not in first and f"/h/{family.household.id}/log/" not in second
    with app.test_request_context("/"):
        made = render_template_string(
            "{{ url_for('resilience_calendar.week', household_id=1, week='2026-W50', day='2026-12-07') }} "
            "{{ url_for('resilience_calendar.week', household_id=1, day='2026-12-07', week='2026-W50') }} "
            "{{ url_for('resilience_calendar.week', household_id=2, _anchor='today') }} "
            "{{ url_for('resilience_calendar.week', household_id=2, _external=True) }}")
    assert made.split() == ["/h/1/calendar/?week=2026-W50&amp;day=2026-12-07",
                            "/h/1/calendar/?day=2026-12-07&amp;week=2026-W50",
                            "/h/2/calendar/#today", "http://localhost/h/2/calendar/"]
