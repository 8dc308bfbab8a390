"""Inviting a professional: an end date (three months unless chosen otherwise, at most a year), a grant made when
the link is used, and the professional role never mixed with another role in a household."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.conftest import make_user, sign_in_as
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.grants.models import AccessGrant
from webapp.households.models import Membership, Role
from webapp.households.services import add_member
from webapp.invitations.models import Invitation
from webapp.invitations.services import create_invitation
from webapp.professionals import services

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _today():
    return services.local_today(utcnow(), AMSTERDAM)


def _invite(client, family, **data):
    sign_in_as(client, family.users["household_member"])
    form = {"invitee_name": "Case Director Dana", "role": "professional", "days": "7", **data}
    return client.post(f"/h/{family.household.id}/invitations", data=form, follow_redirects=True)


def test_the_form_suggests_three_months_of_access(client, family):
    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{family.household.id}/invitations").text
    expected = services.add_months(_today(), 3).isoformat()
    assert f'name="access_until" type="date" value="{expected}"' in page
    assert 'class="access-until"' in page


def test_joining_with_a_professionals_link_gives_access_until_the_chosen_day(app, family):
    day = services.add_months(_today(), 2)
    response = _invite(app.test_client(), family, access_until=day.isoformat())
    assert "can read the summary until" in response.text
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', response.text).group(1)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.access_ends_at == services.end_of_day(day, AMSTERDAM)
    newcomer = app.test_client()
    joined = newcomer.post(link, data={"display_name": "Dana", "username": "dana", "password": "long enough pw"})
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/h/{family.household.id}/summary")
    dana = db.session.scalar(select(User).filter_by(username="dana"))
    grant = db.session.scalar(select(AccessGrant).filter_by(user_id=dana.id))
    assert grant.ends_at == services.end_of_day(day, AMSTERDAM) and grant.granted_by_id == family.users["household_member"].id
    # Straight to setting up a second factor before anything of the household shows.
    first = newcomer.get(joined.headers["Location"])
    assert first.status_code == 302 and first.headers["Location"].startswith("/settings/two-step")


def test_the_end_date_must_be_after_today_and_within_a_year(client, family):
    past = _invite(client, family, access_until=_today().isoformat())
    assert "Choose a day after today." in past.text and 'value="Case Director Dana"' in past.text
    far = _invite(client, family, access_until=(services.add_months(_today(), 12) + timedelta(days=1)).isoformat())
    assert "at most a year from now" in far.text
    missing = _invite(client, family, access_until="")
    assert "Enter the last day of access" in missing.text
    assert db.session.scalar(select(Invitation)) is None


def test_other_roles_ignore_the_end_date(client, family):
    _invite(client, family, role="network_member", access_until="")
    invitation = db.session.scalar(select(Invitation))
    assert invitation.role == Role.network_member and invitation.access_ends_at is None


def test_a_member_cannot_also_become_a_professional_in_the_same_household(app, family):
    new = create_invitation(db.session, family.household, family.users["household_member"], "Ned", Role.professional, 7)
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/join/{new.token}")
    assert page.status_code == 409 and "A professional has no other role in a household" in page.text
    assert client.post(f"/join/{new.token}", data={}).status_code == 409
    assert family.membership("network_member").roles == {Role.network_member}
    assert db.session.scalar(select(AccessGrant).filter_by(user_id=family.users["network_member"].id)) is None


def test_a_professional_cannot_also_take_another_role(app, family):
    new = create_invitation(db.session, family.household, family.users["household_member"], "Paula", Role.chair, 7)
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, family.users["professional"])
    assert client.post(f"/join/{new.token}", data={}).status_code == 409
    assert family.membership("professional").roles == {Role.professional}


def test_a_new_link_for_a_professional_who_has_access_renews_it(app, family):
    old = db.session.scalar(select(AccessGrant).filter_by(user_id=family.users["professional"].id))
    until = utcnow() + timedelta(days=200)
    new = create_invitation(db.session, family.household, family.users["chair"], "Paula", Role.professional, 7, until)
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, family.users["professional"])
    response = client.post(f"/join/{new.token}", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/summary")
    grants = db.session.scalars(select(AccessGrant).filter_by(user_id=family.users["professional"].id)
                                .order_by(AccessGrant.id)).all()
    assert [g.id for g in grants][0] == old.id and grants[0].ended_at is not None
    assert grants[1].ends_at == until and grants[1].ended_at is None


def test_a_professionals_link_whose_access_has_already_ended_no_longer_works(app, family):
    new = create_invitation(db.session, family.household, family.users["household_member"], "Dana", Role.professional,
                            7, utcnow() + timedelta(days=1))
    db.session.commit()
    new.invitation.access_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(f"/join/{new.token}")
    assert response.status_code == 410


def test_a_professional_in_another_household_can_join_this_one_as_a_professional(app, family):
    elsewhere = make_user("Pro Pim", "pro-pim")
    add_member(db.session, family.other_household, elsewhere, {Role.professional})
    new = create_invitation(db.session, family.household, family.users["household_member"], "Pim", Role.professional, 7)
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, elsewhere)
    assert client.post(f"/join/{new.token}", data={}).status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(household_id=family.household.id, user_id=elsewhere.id))
    assert membership.roles == {Role.professional}
