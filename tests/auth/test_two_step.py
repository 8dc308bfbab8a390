"""A code app (TOTP) as a second factor: set up with a QR code and a key shown once, asked after the password, a code
used only once, the secret stored encrypted. People without a code app sign in as before."""
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, sign_in_as
from webapp.auth import two_step
from webapp.auth.models import TotpCredential, utcnow
from webapp.extensions import db


def _code_app(app, user, confirmed=True) -> str:
    secret = two_step.start_set_up(db.session, user, app.config["SECRET_KEY"])
    if confirmed:
        user.totp.confirmed_at = utcnow()
    db.session.commit()
    return secret


def _code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(two_step.step_of(utcnow()) + steps)


def test_set_up_shows_the_key_once_and_switches_on_with_a_right_code(app, client, family):
    sign_in_as(client, family.users["professional"], second_factor=False)
    page = client.get("/settings/two-step").text
    key = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code></p>', page).group(1)
    secret = key.replace(" ", "")
    assert "<svg" in page and len(secret) == 32
    assert client.get("/settings/two-step").text.count(key) == 1  # a reload keeps the same key (already scanned)
    wrong = client.post("/settings/two-step", data={"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 422 and "This code is not right." in wrong.text
    done = client.post("/settings/two-step?next=/caseload", data={"code": _code(secret)})
    assert done.status_code == 302 and done.headers["Location"] == "/caseload"
    assert two_step.has_code_app(family.users["professional"])
    after = client.get("/settings/two-step").text
    assert key not in after and "Your code app is set up." in after  # never shown again


def test_the_secret_is_stored_encrypted_with_the_app_secret_key(app, family):
    secret = _code_app(app, family.users["professional"])
    stored = db.session.scalar(select(TotpCredential.secret_encrypted))
    assert secret not in stored
    assert two_step.decrypt(stored, app.config["SECRET_KEY"]) == secret
    with pytest.raises(two_step.CodeAppUnreadable):
        two_step.decrypt(stored, "another secret key")


def test_password_sign_in_with_a_code_app_waits_for_the_code(app, client, family):
    secret = _code_app(app, family.users["professional"])
    response = client.post("/sign-in", data={"login": "professional", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in/code")
    assert client.get("/caseload").status_code == 302  # not signed in yet
    assert "/sign-in" in client.get("/caseload").headers["Location"]
    wrong = client.post("/sign-in/code", data={"code": "12345"})
    assert wrong.status_code == 401 and "Vul de 6 cijfers van de code in" in wrong.text  # Dutch: not signed in yet
    assert 'value="12345"' in wrong.text  # what was typed is kept
    right = client.post("/sign-in/code", data={"code": _code(secret)})
    assert right.status_code == 302 and right.headers["Location"] == "/caseload"  # a professional with access
    assert client.get(f"/h/{family.household.id}/summary").status_code == 200


def test_a_code_works_only_once(app, family):
    user = family.users["professional"]
    secret = _code_app(app, user)
    code, now = _code(secret), utcnow()
    assert two_step.check_code(db.session, user.totp, code, app.config["SECRET_KEY"], now) is True
    assert two_step.check_code(db.session, user.totp, code, app.config["SECRET_KEY"], now) is False
    earlier = pyotp.TOTP(secret).generate_otp(two_step.step_of(now) - 1)
    assert two_step.check_code(db.session, user.totp, earlier, app.config["SECRET_KEY"], now) is False


def test_a_code_from_a_phone_a_little_off_is_accepted_an_old_one_not(app, family):
    user = family.users["professional"]
    secret = _code_app(app, user)
    now = utcnow()
    stale = pyotp.TOTP(secret).generate_otp(two_step.step_of(now) - 3)
    assert two_step.check_code(db.session, user.totp, stale, app.config["SECRET_KEY"], now) is False
    ahead = pyotp.TOTP(secret).generate_otp(two_step.step_of(now) + 1)
    assert two_step.check_code(db.session, user.totp, ahead, app.config["SECRET_KEY"], now) is True


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, family):
    response = client.get("/sign-in/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert client.post("/sign-in/code", data={"code": "123456"}).status_code == 302


def test_a_waiting_sign_in_expires(app, client, family):
    secret = _code_app(app, family.users["professional"])
    client.post("/sign-in", data={"login": "professional", "password": PASSWORD})
    with client.session_transaction() as session:
        session["two_step_pending"] = {**session["two_step_pending"],
                                       "until": (utcnow() - timedelta(seconds=1)).isoformat()}
    response = client.post("/sign-in/code", data={"code": _code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert client.get("/caseload").status_code == 302


def test_people_without_a_code_app_sign_in_as_before(client, family):
    response = client.post("/sign-in", data={"login": "chair", "password": PASSWORD})
    assert response.status_code == 302 and "/sign-in" not in response.headers["Location"]


def test_signing_out_forgets_the_second_factor(app, client, family):
    secret = _code_app(app, family.users["professional"])
    client.post("/sign-in", data={"login": "professional", "password": PASSWORD})
    client.post("/sign-in/code", data={"code": _code(secret)})
    assert client.get(f"/h/{family.household.id}/summary").status_code == 200
    client.post("/sign-out", data={})
    with client.session_transaction() as session:
        assert two_step.SECOND_FACTOR_KEY not in session


def test_a_passkey_sign_in_counts_as_a_second_factor(client, family, monkeypatch):
    from webapp.auth import passkeys
    monkeypatch.setattr(passkeys, "authenticate", lambda *args: family.users["professional"])
    with client.session_transaction() as session:
        session["passkey_auth_challenge"] = "challenge"
    response = client.post("/sign-in/passkey", data="{}")
    assert response.json["redirect"] == "/caseload"
    assert client.get(f"/h/{family.household.id}/summary").status_code == 200


def test_a_new_code_app_only_from_a_session_that_proved_the_old_one(app, client, family):
    _code_app(app, family.users["professional"])
    sign_in_as(client, family.users["professional"], second_factor=False)
    refused = client.post("/settings/two-step/remove", data={})
    assert refused.headers["Location"].startswith("/sign-in/code")
    assert two_step.has_code_app(family.users["professional"])
    sign_in_as(client, family.users["professional"])
    client.post("/settings/two-step/remove", data={})
    db.session.expire_all()
    assert not two_step.has_code_app(family.users["professional"])


def test_settings_offer_the_code_app_to_professionals_only(client, family):
    sign_in_as(client, family.users["professional"])
    assert "Your code app" in client.get("/settings").text
    sign_in_as(client, family.users["network_member"])
    assert "Your code app" not in client.get("/settings").text


def test_guessing_codes_is_rate_limited(_schema, family):
    from tests.conftest import make_app
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        secret = _code_app(limited, db.session.merge(family.users["professional"]))
    client = limited.test_client()
    client.post("/sign-in", data={"login": "professional", "password": PASSWORD})
    wrong = "000000" if _code(secret) != "000000" else "111111"
    codes = [client.post("/sign-in/code", data={"code": wrong}).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert client.post("/sign-in/code", data={"code": _code(secret)}).status_code == 429  # even the right one, for now
