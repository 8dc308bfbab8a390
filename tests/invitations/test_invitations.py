"""Invitation links: personal, single-use, expiring, revocable, stored only as a hash."""
import re
from datetime import timedelta

from sqlalchemy import select

from tests.auth.test_email_address import address_checks  # noqa: F401 (a fixture)
from tests.conftest import sign_in_as
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Membership, Role
from webapp.invitations.models import Invitation
from webapp.invitations.services import create_invitation, find_by_token, purge_stale


def _invite(client, family, role="network_member", name="Neighbour Nel", days="7"):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/invitations",
                           data={"invitee_name": name, "role": role, "days": days}, follow_redirects=True)
    match = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', response.text)
    assert match, response.text
    return response, match.group(1)


def test_invitation_shows_link_and_qr_once_and_stores_only_a_hash(client, family):
    response, link = _invite(client, family)
    token = link.rsplit("/", 1)[1]
    assert "<svg" in response.text and "QR" in response.text
    invitation = db.session.scalar(select(Invitation))
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert (invitation.expires_at - utcnow()).days in (6, 7)
    again = client.get(f"/h/{family.household.id}/invitations/{invitation.id}")
    assert token not in again.text  # shown once only


def test_joining_by_link_makes_an_account_with_the_role(app, family):
    _, link = _invite(app.test_client(), family, role="safety_person", name="Oma Ria")
    newcomer = app.test_client()
    page = newcomer.get(link)
    assert page.status_code == 200 and 'value="Oma Ria"' in page.text  # name filled in from the invitation
    response = newcomer.post(link, data={"display_name": "Oma Ria", "username": "OmaRia", "password": "long enough pw"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).filter_by(username="omaria"))
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.household_id == family.household.id and membership.roles == {Role.safety_person}
    assert newcomer.get(f"/h/{family.household.id}").status_code == 200  # signed in straight away


def test_a_link_works_once(app, family):
    _, link = _invite(app.test_client(), family)
    app.test_client().post(link, data={"display_name": "Nel", "username": "nel", "password": "long enough pw"})
    second = app.test_client().get(link)
    assert second.status_code == 410 and "Deze link is al gebruikt" in second.text


def test_expired_and_revoked_links_say_so(app, family):
    client = app.test_client()
    _, link = _invite(client, family)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = app.test_client().get(link)
    assert page.status_code == 410 and "Deze link is verlopen" in page.text and "Parent Pat" in page.text

    _, link2 = _invite(client, family, name="Other")
    second = db.session.scalar(select(Invitation).filter_by(invitee_name="Other"))
    client.post(f"/h/{family.household.id}/invitations/{second.id}/revoke", data={})
    page = app.test_client().get(link2)
    assert page.status_code == 410 and "Deze link is gestopt" in page.text
    assert app.test_client().get("/join/made-up-token").status_code == 404


def _join(app, family, name: str, **fields):
    """Join with a fresh link as `name`; returns (the answer to the form, the page it leads to, the client)."""
    _, link = _invite(app.test_client(), family, name=name)
    newcomer = app.test_client()
    response = newcomer.post(link, data={"display_name": name, "password": "long enough pw", **fields})
    landing = ""
    if response.status_code == 302:  # first "keep these codes safe" (with the notices), then the welcome page
        landing = newcomer.get(response.headers["Location"]).text + newcomer.get(
            f"/h/{family.household.id}/welcome").text
    return response, landing, newcomer


def _notices(page: str) -> list[str]:
    return re.findall(r'<div class="notice[^"]*"[^>]*>(.*?)</div>', page, re.S)


def test_joining_answers_the_same_whether_or_not_the_username_is_taken(app, family):
    free, free_page, _ = _join(app, family, "Nel Visser", username="nel")
    taken, taken_page, _ = _join(app, family, "Kees Bos", username="Chair")  # the chair's username
    assert (free.status_code, taken.status_code) == (302, 302)
    assert free.headers["Location"] == taken.headers["Location"] == \
        f"/settings/recovery/codes?next=/h/{family.household.id}/welcome"
    kees = db.session.scalar(select(User).filter_by(display_name="Kees Bos"))
    assert re.fullmatch(r"chair\d{2}", kees.username)  # a free one, offered on the welcome page
    assert db.session.scalar(select(Membership).filter_by(user_id=kees.id)).household_id == family.household.id
    assert f"Je gebruikersnaam is {kees.username}." in taken_page
    assert f"“chair” was al in gebruik, dus je gebruikersnaam is {kees.username}." in taken_page
    assert "Je gebruikersnaam is nel." in free_page and "al in gebruik" not in free_page
    assert family.users["chair"].username == "chair"  # the existing account is untouched


def test_joining_answers_the_same_whether_or_not_the_email_address_has_an_account(app, family, address_checks):
    family.users["chair"].email = "chris@example.nl"
    db.session.commit()
    free, free_page, _ = _join(app, family, "Nel Visser", username="nel", email="nel@example.nl")
    taken, taken_page, _ = _join(app, family, "Kees Bos", username="kees", email="Chris@example.nl")
    assert free.headers["Location"] == taken.headers["Location"]
    hide = lambda notices: [re.sub(r"\S+@\S+?\.nl", "ADDRESS", re.sub(r"Nel|Kees", "NAME", n)) for n in notices]  # noqa: E731
    assert hide(_notices(free_page)) == hide(_notices(taken_page))
    assert "We hebben een e-mail gestuurd naar chris@example.nl." in taken_page
    nel = db.session.scalar(select(User).filter_by(username="nel"))
    kees = db.session.scalar(select(User).filter_by(username="kees"))
    assert nel.email is None and kees.email is None  # added only through the link sent to the address
    assert address_checks == [(nel.id, "nel@example.nl"), (kees.id, "chris@example.nl")]


def test_without_a_mail_server_joining_does_not_ask_for_an_email_address(app, family):
    app.config["SMTP_HOST"] = ""
    _, link = _invite(app.test_client(), family)
    assert 'name="email"' not in app.test_client().get(link).text


def test_join_with_a_short_password_keeps_what_was_typed(app, family, address_checks):
    _, link = _invite(app.test_client(), family)
    page = app.test_client().get(link).text
    assert 'name="email"' in page and "We sturen er een link naar" in page
    response = app.test_client().post(link, data={"display_name": "Nel Visser", "username": "nel", "password": "short",
                                                  "email": "nel@example.nl"})
    assert "Gebruik minstens 8 tekens." in response.text
    assert 'value="Nel Visser"' in response.text and 'value="nel@example.nl"' in response.text and 'value="nel"' in response.text
    assert db.session.scalar(select(Invitation)).status == "open" and address_checks == []


def test_join_with_short_password_says_how_long(app, family):
    _, link = _invite(app.test_client(), family)
    response = app.test_client().post(link, data={"display_name": "Nel", "username": "nel", "password": "short"})
    assert "Gebruik minstens 8 tekens." in response.text


def test_signed_in_person_adds_the_household_with_one_button(app, family):
    _, link = _invite(app.test_client(), family, role="network_member")
    client = app.test_client()
    outsider = family.users["outsider"]
    sign_in_as(client, outsider)
    assert "Join as Outsider Otto" in client.get(link).text
    client.post(link, data={})
    assert client.get(f"/h/{family.household.id}").status_code == 200


def test_invitation_needs_a_name_and_sane_days(client, family):
    sign_in_as(client, family.users["chair"])
    response = client.post(f"/h/{family.household.id}/invitations", data={"invitee_name": "", "role": "network_member", "days": "99"})
    assert "Enter the name of the person you invite." in response.text
    assert "Enter a number of days from 1 to 30." in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_nobody_can_be_invited_as_a_child_with_a_sign_in(client, family):
    sign_in_as(client, family.users["chair"])
    client.post(f"/h/{family.household.id}/invitations", data={"invitee_name": "Kid", "role": "child", "days": "7"})
    assert db.session.scalar(select(Invitation)) is None


def test_purge_forgets_links_that_ended_long_ago(app, family):
    old = create_invitation(db.session, family.household, family.users["chair"], "Old", Role.network_member, 7).invitation
    old.expires_at = utcnow() - timedelta(days=40)
    fresh = create_invitation(db.session, family.household, family.users["chair"], "Fresh", Role.network_member, 7)
    assert purge_stale(db.session) == 1
    assert find_by_token(db.session, fresh.token) is not None
