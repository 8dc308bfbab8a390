"""An e-mail address is added through a link sent to it, and nobody is told whether an address already has an
account: the person who types it always gets the same answer; only the mailbox learns the rest."""
import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner

from tests.conftest import sign_in_as
from webapp.auth import email_address
from webapp.auth.models import User
from webapp.auth.services import authenticate
from webapp.extensions import db

SECRET_LINK = re.compile(r"/settings/email/([A-Za-z0-9_.-]+)")


@pytest.fixture
def address_checks(app, monkeypatch) -> list[tuple[int, str]]:
    """A mail server is set up; the e-mails that would be queued, as (user id, address)."""
    app.config["SMTP_HOST"] = "mail.invalid"
    queued: list[tuple[int, str]] = []
    from webapp.auth import tasks
    monkeypatch.setattr(tasks, "send_address_check", lambda user_id, address: queued.append((user_id, address)))
    return queued


def _answer(client, response) -> tuple:
    """What a person sees after saving: where they land and the notices there, with the address left out."""
    landing = client.get(response.headers["Location"]).text
    notices = re.findall(r'<div class="notice[^"]*"[^>]*>(.*?)</div>', landing, re.S)
    return response.status_code, response.headers["Location"], [re.sub(r"\S+@\S+?\.nl", "ADDRESS", n) for n in notices]


def _settings(client, email: str, name: str = "Ned") -> object:
    return client.post("/settings", data={"display_name": name, "email": email, "locale": "en", "phone": ""})


def test_settings_answer_the_same_whether_or_not_the_address_has_an_account(app, family, address_checks):
    family.users["chair"].email = "chris@example.nl"
    db.session.commit()
    ned, gwen = app.test_client(), app.test_client()
    sign_in_as(ned, family.users["network_member"])
    sign_in_as(gwen, family.users["safety_person"])

    taken = _settings(ned, "Chris@example.nl")
    free = _settings(gwen, "gwen@example.nl", name="Gwen")
    assert _answer(ned, taken) == _answer(gwen, free)
    assert taken.status_code == 302
    page = ned.get("/settings").text
    assert "already" not in page and "chris@example.nl" not in page
    # Nothing is stored from the form; each address gets its e-mail.
    db.session.expire_all()
    assert family.users["network_member"].email is None and family.users["safety_person"].email is None
    assert address_checks == [(family.users["network_member"].id, "chris@example.nl"),
                              (family.users["safety_person"].id, "gwen@example.nl")]


def test_the_answer_says_an_email_went_to_the_address(app, family, address_checks):
    client = app.test_client()
    sign_in_as(client, family.users["network_member"])
    page = client.get(_settings(client, "ned@example.nl").headers["Location"]).text
    assert ("We sent an e-mail to ned@example.nl. Open the link in it within 3 days to add this address to your "
            "account.") in page
    assert "Your settings are saved." in page


def test_keeping_or_emptying_ones_own_address_sends_nothing(app, family, address_checks):
    ned = family.users["network_member"]
    ned.email = "ned@example.nl"
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, ned)
    _settings(client, "NED@example.nl ")
    assert address_checks == [] and db.session.get(User, ned.id).email == "ned@example.nl"
    _settings(client, "")
    db.session.expire_all()
    assert address_checks == [] and db.session.get(User, ned.id).email is None


def test_without_a_mail_server_a_new_address_is_explained_and_what_was_typed_is_kept(app, client, family):
    app.config["SMTP_HOST"] = ""
    sign_in_as(client, family.users["network_member"])
    assert "This server does not send e-mail, so a new address cannot be added." in client.get("/settings").text
    response = _settings(client, "ned@example.nl", name="Neddy")
    assert response.status_code == 200
    assert "This server does not send e-mail, so a new address cannot be added. Leave the address as it was" in response.text
    assert 'value="Neddy"' in response.text and 'value="ned@example.nl"' in response.text
    assert db.session.get(User, family.users["network_member"].id).email is None


def _link(app, user: User, address: str) -> str:
    with app.test_request_context():
        return "/settings/email/" + email_address.make_token(app.config["SECRET_KEY"], user, address)


def test_opening_the_link_and_one_tap_add_the_address_for_signing_in(app, client, family):
    ned = family.users["network_member"]
    sign_in_as(client, ned)
    link = _link(app, ned, "Ned@Example.nl")
    page = client.get(link)
    assert page.status_code == 200 and "Add ned@example.nl to your account?" in page.text
    assert db.session.get(User, ned.id).email is None  # opening the link (or a mail scanner) changes nothing
    added = client.post(link, data={})
    assert added.status_code == 302 and "ned@example.nl is added to your account." in client.get("/settings").text
    assert authenticate(db.session, "ned@example.nl", "correct horse battery") == ned


def test_a_link_works_only_for_its_own_account_and_not_when_old_or_changed(app, client, family, monkeypatch):
    ned, pat = family.users["network_member"], family.users["household_member"]
    sign_in_as(client, pat)
    other = client.post(_link(app, ned, "ned@example.nl"), data={})
    assert other.status_code == 400 and "This link was made for another account." in other.text
    tampered = client.get(_link(app, pat, "pat@example.nl")[:-3] + "abc")
    assert tampered.status_code == 400 and "This link does not work (any more)." in tampered.text
    four_days_ago = int(time.time() - timedelta(days=4).total_seconds())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: four_days_ago)
    old = _link(app, pat, "pat@example.nl")
    monkeypatch.undo()
    assert client.post(old, data={}).status_code == 400
    db.session.expire_all()
    assert pat.email is None and ned.email is None


def test_an_address_taken_after_the_link_was_sent_is_not_added(app, client, family):
    ned = family.users["network_member"]
    link = _link(app, ned, "shared@example.nl")
    family.users["chair"].email = "shared@example.nl"
    db.session.commit()
    sign_in_as(client, ned)
    response = client.post(link, data={})
    assert response.status_code == 409 and "already belongs to another Kring account" in response.text
    assert db.session.get(User, ned.id).email is None


# --- the e-mail itself -----------------------------------------------------------------------------------------

@pytest.fixture
def mail_server(app, smtp_server, monkeypatch):
    from webapp import queue
    monkeypatch.setattr(queue, "_app", app)
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False,
                      BASE_URL="https://kring.example.nl")
    return smtp_server


def test_a_free_address_gets_the_link_in_the_language_of_who_typed_it(app, family, mail_server):
    from webapp.auth import tasks
    ned = family.users["network_member"]
    ned.locale = "nl"
    db.session.commit()
    assert tasks.send_address_check.call_local(ned.id, "ned@example.nl") is True
    [mail] = mail_server.wait_for(1)
    assert mail["To"] == "ned@example.nl" and "Kring" in mail["Subject"]
    body = mail.get_content()
    link = SECRET_LINK.search(body)
    assert link and body.count("https://kring.example.nl/settings/email/") == 1
    assert email_address.read_token(app.config["SECRET_KEY"], link.group(1)) == email_address.Claim(ned.id, "ned@example.nl")
    assert "3" in body and "Neighbour" in body


def test_a_taken_address_gets_a_discreet_note_to_its_owner_and_no_link(app, family, mail_server):
    from webapp.auth import tasks
    chris = family.users["chair"]
    chris.email, chris.locale, chris.discreet = "chris@example.nl", "nl", True
    db.session.commit()
    assert tasks.send_address_check.call_local(family.users["network_member"].id, "Chris@Example.nl") is True
    [mail] = mail_server.wait_for(1)
    body = mail.get_content()
    assert mail["To"] == "chris@example.nl"
    assert "Kring" not in mail["Subject"] + body  # the owner chose the discreet name
    assert "/settings/email/" not in body and "https://kring.example.nl/sign-in" in body
    assert "Neighbour Ned" not in body  # who typed it is not told to the owner either
    assert "Aunt" in body  # addressed to the owner, by first name
    db.session.expire_all()
    assert family.users["network_member"].email is None


def test_nothing_is_sent_for_an_address_that_is_already_ones_own(app, family, mail_server):
    from webapp.auth import tasks
    ned = family.users["network_member"]
    ned.email = "ned@example.nl"
    db.session.commit()
    assert tasks.send_address_check.call_local(ned.id, "ned@example.nl") is False
    assert mail_server.messages == []


