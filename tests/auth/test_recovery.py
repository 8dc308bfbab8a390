"""Getting back in without handing the account to someone else: recovery codes, the e-mail reset link, a household
manager's new sign-in (waiting period, notices, the owner's Cancel), and rate limits a stranger cannot use to lock
a person out."""
import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, make_app, sign_in_as
from tests.signals.conftest import add_device
from webapp.auth import recovery
from webapp.auth.tasks import send_account_notice, send_reset_link  # the real tasks, before any test replaces them
from webapp.auth.models import Passkey, RecoveryRequest, User, utcnow
from webapp.auth.services import authenticate
from webapp.extensions import db

NEW_PASSWORD = "a brand new sentence"
LINK = re.compile(r"/recover/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def queued(app, monkeypatch) -> list[tuple]:
    """The background work views ask for, as (task, arguments), instead of a queue."""
    from webapp.auth import tasks
    calls: list[tuple] = []
    monkeypatch.setattr(tasks, "send_reset_link", lambda *a: calls.append(("reset", *a)))
    monkeypatch.setattr(tasks, "send_account_notice", lambda *a: calls.append(("notice", *a)))
    return calls


@pytest.fixture
def worker_app(app, smtp_server, monkeypatch):
    """The worker's tasks run here against this app, with the local mail server."""
    from webapp import queue
    monkeypatch.setattr(queue, "_app", app)
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False,
                      BASE_URL="https://kring.example.nl", PUSH_ALLOW_HTTP_LOOPBACK=True)
    return app


def _clock(monkeypatch, later: timedelta) -> None:
    """Move the views' clock forward."""
    from webapp.auth import recovery_views
    moment = utcnow() + later
    monkeypatch.setattr(recovery_views, "utcnow", lambda: moment)


def _new_password(client, url: str, password: str = NEW_PASSWORD, **extra):
    return client.post(url, data={"new_password": password, "confirm_password": password, **extra})


def _signed_in(client) -> bool:
    return client.get("/settings").status_code == 200


# --- recovery codes ---------------------------------------------------------------------------------------------

def _make_codes(client) -> list[str]:
    page = client.post("/settings/recovery/codes", data={"current_password": PASSWORD})
    assert page.status_code == 200 and "Keep these codes safe" in page.text
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.text)


def test_a_recovery_code_sets_a_new_password_once_and_ends_other_sessions(app, client, family, queued):
    ned = family.users["network_member"]
    own_phone = app.test_client()
    sign_in_as(own_phone, ned)
    codes = _make_codes(own_phone)
    assert len(codes) == 8 and len(set(codes)) == 8

    wrong = client.post("/recover/code", data={"login": "network-member", "code": "aaaaa-bbbbb"})
    assert wrong.status_code == 401 and "Deze code werkt niet." in wrong.text  # Dutch: the default language
    right = client.post("/recover/code", data={"login": "network-member", "code": codes[0].upper()})
    assert right.status_code == 302 and right.headers["Location"].endswith("/recover/new-password")
    done = _new_password(client, "/recover/new-password")
    assert done.status_code == 302 and done.headers["Location"].endswith("/sign-in")
    landing = client.get("/sign-in").text
    assert "Je bent uitgelogd op al je andere telefoons en computers." in landing
    assert authenticate(db.session, "network-member", NEW_PASSWORD) == ned
    assert not _signed_in(own_phone)  # the old session ended
    assert ("notice", ned.id, "password_changed") in queued

    again = client.post("/recover/code", data={"login": "network-member", "code": codes[0]})
    assert again.status_code == 401  # each code works once
    sign_in_as(own_phone, db.session.get(User, ned.id))
    assert "You have 7 recovery codes left." in own_phone.get("/settings/recovery").text


def test_new_codes_make_the_old_ones_stop_and_need_the_password(app, client, family):
    ned = family.users["network_member"]
    sign_in_as(client, ned)
    old = _make_codes(client)
    refused = client.post("/settings/recovery/codes", data={"current_password": "not my password"})
    assert refused.status_code == 422 and "This is not your current password." in refused.text
    new = _make_codes(client)
    assert set(old).isdisjoint(new)
    stranger = app.test_client()
    assert stranger.post("/recover/code", data={"login": "network-member", "code": old[1]}).status_code == 401
    assert stranger.post("/recover/code", data={"login": "network-member", "code": new[1]}).status_code == 302


def test_a_code_of_one_account_does_not_open_another(app, client, family):
    sign_in_as(client, family.users["network_member"])
    codes = _make_codes(client)
    other = app.test_client()
    assert other.post("/recover/code", data={"login": "chair", "code": codes[0]}).status_code == 401


def test_joining_offers_codes_without_asking_the_password_again(app, client, family):
    from webapp.households.models import Role
    from webapp.invitations.services import create_invitation
    new = create_invitation(db.session, family.household, family.users["household_member"], "Oma Ria",
                            Role.network_member, 7)
    db.session.commit()
    joined = client.post(f"/join/{new.token}", data={"display_name": "Oma Ria", "username": "oma-ria",
                                                     "password": "oma ria is here"})
    assert joined.status_code == 302 and "/settings/recovery/codes" in joined.headers["Location"]
    offer = client.get(joined.headers["Location"])
    assert "Herstelcodes: voor als je je wachtwoord vergeet" in offer.text and 'name="current_password"' not in offer.text
    shown = client.post(joined.headers["Location"], data={})
    assert shown.status_code == 200 and len(re.findall(r"<code>", shown.text)) == 8
    assert f"/h/{family.household.id}/welcome" in shown.text  # then on to the welcome page


# --- the e-mail reset link --------------------------------------------------------------------------------------

def test_forgot_answers_the_same_for_any_name_and_the_worker_mails_only_real_addresses(app, client, family, queued):
    app.config["SMTP_HOST"] = "mail.invalid"
    family.users["chair"].email = "chris@example.nl"
    db.session.commit()
    real = client.post("/forgot", data={"login": "chair"})
    unknown = client.post("/forgot", data={"login": "nobody-at-all"})
    no_address = client.post("/forgot", data={"login": "network-member"})
    assert real.status_code == unknown.status_code == no_address.status_code == 200
    assert real.text == unknown.text == no_address.text
    assert "Als dit account een e-mailadres heeft, hebben we daar een link naartoe gestuurd." in real.text
    assert queued == [("reset", "chair"), ("reset", "nobody-at-all"), ("reset", "network-member")]


def _mailed_link(app, family, smtp_server, login="chair") -> str:
    smtp_server.clear()
    assert send_reset_link.call_local(login) is True
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "chris@example.nl"
    return "/recover/" + LINK.search(mail.get_content()).group(1)


def test_the_mailed_link_works_once_keeps_passkeys_and_tells_the_person(app, client, family, worker_app,
                                                                         smtp_server, queued):
    chris = family.users["chair"]
    chris.email = "chris@example.nl"
    db.session.add(Passkey(user=chris, credential_id=b"c" * 16, public_key=b"k", name="phone"))
    db.session.commit()
    link = _mailed_link(app, family, smtp_server)
    assert db.session.scalar(db.select(RecoveryRequest.token_hash)) not in link  # only a hash is stored
    opened = client.get(link)
    assert opened.status_code == 200 and "Kies een nieuw wachtwoord" in opened.text
    assert _new_password(client, link).headers["Location"].endswith("/sign-in")
    assert authenticate(db.session, "chair", NEW_PASSWORD) is not None
    assert len(db.session.get(User, chris.id).passkeys) == 1
    assert ("notice", chris.id, "password_changed") in queued
    used = _new_password(client, link, "yet another sentence")
    assert used.status_code == 410 and "Deze link werkt niet (meer)" in used.text
    assert authenticate(db.session, "chair", NEW_PASSWORD) is not None


def test_the_mailed_link_expires_after_an_hour_and_a_newer_link_replaces_it(app, client, family, worker_app,
                                                                            smtp_server, monkeypatch, queued):
    family.users["chair"].email = "chris@example.nl"
    db.session.commit()
    first = _mailed_link(app, family, smtp_server)
    second = _mailed_link(app, family, smtp_server)
    assert client.get(first).status_code == 410
    _clock(monkeypatch, timedelta(minutes=61))
    assert _new_password(client, second).status_code == 410
    assert authenticate(db.session, "chair", PASSWORD) is not None


def test_a_person_with_a_code_app_needs_its_code_with_the_link(app, client, family, worker_app, smtp_server, queued):
    import pyotp
    from webapp.auth import two_step
    pro = family.users["professional"]
    pro.email = "paula@example.nl"
    secret = two_step.start_set_up(db.session, pro, app.config["SECRET_KEY"])
    pro.totp.confirmed_at = utcnow()
    db.session.commit()
    assert send_reset_link.call_local("professional") is True
    link = "/recover/" + LINK.search(smtp_server.wait_for(1)[0].get_content()).group(1)
    assert 'name="code"' in client.get(link).text
    without = _new_password(client, link, code="")
    assert without.status_code == 422 and authenticate(db.session, "professional", NEW_PASSWORD) is None
    assert _new_password(client, link, code=pyotp.TOTP(secret).now()).status_code == 302
    assert authenticate(db.session, "professional", NEW_PASSWORD) is not None


# --- a household manager's new sign-in --------------------------------------------------------------------------

def _start(client, family, person="network_member"):
    return client.post(f"/h/{family.household.id}/people/{family.membership(person).id}/recovery", data={})


def _make_link(client, family, person="network_member"):
    return client.post(f"/h/{family.household.id}/people/{family.membership(person).id}/recovery/link", data={})


def _link_in(page) -> str:
    return "/recover/" + LINK.search(page.text).group(1)


def test_a_managers_new_sign_in_waits_and_then_sets_a_password_on_the_same_account(app, client, family, queued,
                                                                                  monkeypatch):
    ned = family.users["network_member"]
    ned_phone = app.test_client()
    sign_in_as(ned_phone, ned)
    sign_in_as(client, family.users["household_member"])
    assert _start(client, family).status_code == 302
    assert ("notice", ned.id, "recovery_started") in queued
    early = _make_link(client, family)
    assert early.status_code == 302 and "/recover/" not in client.get(early.headers["Location"]).text
    started = db.session.scalar(db.select(RecoveryRequest))
    assert started.started_by_id == family.users["household_member"].id and started.user_id == ned.id

    _clock(monkeypatch, timedelta(hours=72, minutes=1))
    made = _make_link(client, family)
    assert made.status_code == 200 and "Give this link to Neighbour in person." in made.text
    link = _link_in(made)
    assert _new_password(app.test_client(), link).status_code == 302
    assert authenticate(db.session, "network-member", NEW_PASSWORD) == ned
    assert family.membership("network_member").user_id == ned.id  # the same account, in the same household
    assert not _signed_in(ned_phone)
    assert _new_password(app.test_client(), link).status_code == 410  # once
    sign_in_as(ned_phone, db.session.get(User, ned.id))
    history = ned_phone.get("/settings/recovery").text
    assert "Started by Parent Pat" in history and "Used to choose a new password" in history


def test_the_owner_cancels_and_the_new_sign_in_cannot_complete(app, client, family, queued, monkeypatch):
    ned = family.users["network_member"]
    sign_in_as(client, family.users["chair"])
    _start(client, family)
    _clock(monkeypatch, timedelta(hours=73))
    link = _link_in(_make_link(client, family))
    owner = app.test_client()
    sign_in_as(owner, ned)
    banner = owner.get(f"/h/{family.household.id}").text
    assert "Someone asked for a new sign-in for your account. Not you? Cancel it." in banner
    assert owner.post("/settings/recovery/cancel", data={}).status_code == 302
    assert ("notice", family.users["chair"].id, "recovery_cancelled", "Neighbour Ned") in queued
    assert "Not you? Cancel it." not in owner.get(f"/h/{family.household.id}").text
    assert "You cancelled it" in owner.get("/settings/recovery").text

    assert _new_password(app.test_client(), link).status_code == 410
    assert authenticate(db.session, "network-member", NEW_PASSWORD) is None
    refused = _make_link(client, family)
    assert refused.status_code == 302
    member_page = client.get(refused.headers["Location"]).text
    assert "was cancelled" in member_page and "Neighbour" in member_page


def test_cancelling_while_the_link_is_being_used_lets_only_one_win(app, client, family, queued, monkeypatch):
    """The owner's Cancel and the link's use are both conditional updates: after a Cancel, a page opened before
    it cannot complete."""
    sign_in_as(client, family.users["chair"])
    _start(client, family)
    _clock(monkeypatch, timedelta(hours=73))
    link = _link_in(_make_link(client, family))
    opener = app.test_client()
    assert opener.get(link).status_code == 200  # the form is open on the manager's phone
    request = recovery.open_manager_request(db.session, family.users["network_member"].id)
    assert recovery.cancel(db.session, request, family.users["network_member"], utcnow())
    db.session.commit()
    assert _new_password(opener, link).status_code == 410


def test_a_manager_cannot_start_one_for_a_professional_themselves_or_twice(app, client, family, queued):
    sign_in_as(client, family.users["household_member"])
    for person, message in (("professional", "A professional&#39;s account cannot get a new sign-in"),
                            ("household_member", "You cannot do this for yourself.")):
        response = _start(client, family, person)
        assert message in client.get(response.headers["Location"]).text
    _start(client, family)
    again = _start(client, family)
    assert "A new sign-in for this person is already waiting." in client.get(again.headers["Location"]).text
    assert db.session.scalar(db.select(db.func.count(RecoveryRequest.id))) == 1


def test_the_owner_hears_of_it_on_every_device_and_by_email(app, family, worker_app, push_service, smtp_server):
    ned = family.users["network_member"]
    ned.email, ned.locale = "ned@example.nl", "nl"
    phone, tablet = add_device(ned, push_service), add_device(ned, push_service, "Tablet")
    add_device(family.users["chair"], push_service)  # not told
    db.session.commit()
    assert send_account_notice.call_local(ned.id, "recovery_started") == 3
    pushes = {m.endpoint: m.json for m in push_service.wait_for(2)}
    assert set(pushes) == {phone.endpoint, tablet.endpoint}
    for payload in pushes.values():
        assert "nieuwe inlog" in payload["body"].lower() and payload["url"] == "/settings/recovery"
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "ned@example.nl" and "https://kring.example.nl/settings/recovery" in mail.get_content()
    assert "Family Test" not in mail.get_content() + str(pushes)


# --- rate limits ------------------------------------------------------------------------------------------------

def test_a_strangers_guessing_does_not_lock_the_owner_out_of_their_known_browser(_schema, family):
    limited = make_app(RATELIMIT_ENABLED=True)
    owner = limited.test_client()
    assert owner.post("/sign-in", data={"login": "chair", "password": PASSWORD}).status_code == 302
    owner.post("/sign-out", data={})
    for n in range(25):  # from many addresses, as a botnet (or a partner on mobile data) would
        limited.test_client().post("/sign-in", data={"login": "chair", "password": f"guess {n}"},
                                   environ_base={"REMOTE_ADDR": f"10.0.{n}.1"})
    new_browser = limited.test_client()
    blocked = new_browser.post("/sign-in", data={"login": "chair", "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert blocked.status_code == 429  # strangers' browsers are held back
    assert owner.post("/sign-in", data={"login": "chair", "password": PASSWORD}).status_code == 302


def test_guessing_at_home_from_the_same_address_does_not_lock_the_owners_phone(_schema, family):
    limited = make_app(RATELIMIT_ENABLED=True)
    owner = limited.test_client()
    assert owner.post("/sign-in", data={"login": "chair", "password": PASSWORD}).status_code == 302
    owner.post("/sign-out", data={})
    other_phone = limited.test_client()
    codes = [other_phone.post("/sign-in", data={"login": "chair", "password": f"guess {n}"}).status_code
             for n in range(12)]
    assert codes[-1] == 429
    assert owner.post("/sign-in", data={"login": "chair", "password": PASSWORD}).status_code == 302


def test_guessing_recovery_codes_is_rate_limited(_schema, family):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    codes = [client.post("/recover/code", data={"login": "chair", "code": f"aaaaa-bbbb{n}"},
                         environ_base={"REMOTE_ADDR": f"10.1.{n}.1"}).status_code for n in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_the_persons_own_export_holds_the_record_of_new_sign_ins(app, client, family, queued):
    import io
    import json
    import zipfile
    from webapp.ownership.services import export_person
    sign_in_as(client, family.users["chair"])
    _start(client, family)
    ned = db.session.get(User, family.users["network_member"].id)
    with zipfile.ZipFile(io.BytesIO(export_person(db.session, app.instance_path, ned))) as archive:
        me = json.loads(archive.read("me.json"))
    assert me["recovery_codes_left"] == 0
    [asked] = me["new_sign_ins_asked"]
    assert asked["started_by"] == "Aunt Chris" and asked["cancelled"] is None and asked["used"] is None
