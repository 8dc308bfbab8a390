"""Signing in and out: passwords, sessions, rate limits, no account enumeration."""
from tests.conftest import PASSWORD, make_app, sign_in_as
from webapp.auth.services import authenticate, create_user, sign_out_everywhere
from webapp.extensions import db


def test_password_is_stored_as_argon2id_and_checked(app):
    user = create_user(db.session, "Ria", "oma-ria", "a long passphrase")
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate(db.session, "OMA-RIA", "a long passphrase") is user
    assert authenticate(db.session, "oma-ria", "wrong") is None


def test_sign_in_with_username_or_email_lands_on_the_household(client, family):
    user = family.users["household_member"]
    user.email = "pat@example.nl"
    db.session.commit()
    response = client.post("/sign-in", data={"login": "household-member", "password": PASSWORD}, follow_redirects=True)
    assert response.request.path == f"/h/{family.household.id}"
    assert "Family Test" in response.text
    client.post("/sign-out", data={})
    response = client.post("/sign-in", data={"login": "PAT@example.nl", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_answer(client, family):
    wrong = client.post("/sign-in", data={"login": "household-member", "password": "nope-nope"})
    unknown = client.post("/sign-in", data={"login": "nobody-here", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    message = "De gebruikersnaam of het wachtwoord klopt niet"  # Dutch: the default language
    assert message in wrong.text and message in unknown.text
    assert 'value="nobody-here"' in unknown.text  # what was typed is kept (never the password)
    assert "nope-nope" not in unknown.text


def test_empty_sign_in_says_what_is_missing(client, family):
    response = client.post("/sign-in", data={"login": "", "password": ""})
    assert "Vul je gebruikersnaam of e-mailadres in." in response.text
    assert "Vul je wachtwoord in." in response.text
    assert 'class="error-summary"' in response.text


def test_keep_me_signed_in_sets_a_long_lived_remember_cookie(client, family):
    response = client.post("/sign-in", data={"login": "household-member", "password": PASSWORD, "remember": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_sign_out_everywhere_ends_the_session_on_other_devices(app, family):
    phone, laptop = app.test_client(), app.test_client()
    user = family.users["network_member"]
    for c in (phone, laptop):
        sign_in_as(c, user)
        assert c.get(f"/h/{family.household.id}").status_code == 200
    phone.post("/sign-out-everywhere", data={})
    response = laptop.get(f"/h/{family.household.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_epoch_in_session_id_rejects_old_sessions(app, family):
    user = family.users["chair"]
    old_id = user.get_id()
    sign_out_everywhere(user)
    db.session.commit()
    from webapp.auth.services import load_user
    assert load_user(db.session, old_id) is None
    assert load_user(db.session, user.get_id()) is user


def test_sign_in_redirect_stays_inside_kring(client, family):
    for target in ("https://evil.example/", "//evil.example/x"):
        response = client.post(f"/sign-in?next={target}", data={"login": "chair", "password": PASSWORD})
        assert response.headers["Location"].startswith("/"), target
        assert "evil" not in response.headers["Location"]
        client.post("/sign-out", data={})


def test_person_without_sign_in_cannot_be_signed_in_even_with_a_session(app, family):
    from tests.conftest import make_user
    from webapp.households.models import Role
    from webapp.households.services import add_member
    nobody = make_user("No Sign-in", None)
    add_member(db.session, family.household, nobody, {Role.household_member})
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, nobody)
    response = client.get(f"/h/{family.household.id}")
    assert response.status_code == 302


def test_sign_in_is_rate_limited(_schema, family):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    codes = [client.post("/sign-in", data={"login": "chair", "password": "wrong-wrong"}).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    assert "Te vaak geprobeerd" in client.post("/sign-in", data={"login": "chair", "password": PASSWORD}).text


def test_form_posted_without_csrf_token_is_refused_and_keeps_what_was_typed(_schema, family):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    response = client.post("/sign-in", data={"login": "chair", "password": PASSWORD})
    assert response.status_code == 400
    assert 'name="login" value="chair"' in response.text  # offered to send again
    assert PASSWORD not in response.text
