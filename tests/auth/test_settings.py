"""A person's own settings: language, discreet name, password."""
from tests.conftest import PASSWORD, sign_in_as
from webapp.extensions import db


def test_language_setting_is_kept_and_used(client, family):
    user = family.users["network_member"]
    sign_in_as(client, user)
    response = client.post("/settings", data={"display_name": "Ned", "locale": "ar", "email": "", "phone": ""})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.locale == "ar"
    page = client.get("/settings")
    assert 'lang="ar" dir="rtl"' in page.text


def test_browser_language_is_used_before_sign_in(client):
    assert 'lang="en"' in client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert 'lang="nl"' in client.get("/sign-in", headers={"Accept-Language": "fr"}).text  # default Dutch


def test_language_switch_without_an_account(client):
    client.post("/language", data={"locale": "en", "next": "/sign-in"})
    assert 'lang="en"' in client.get("/sign-in", headers={"Accept-Language": "nl"}).text


def test_bad_email_gets_a_message_and_keeps_the_name(client, family):
    sign_in_as(client, family.users["network_member"])
    response = client.post("/settings", data={"display_name": "Neddy", "email": "not-an-address", "locale": "en"})
    assert "Enter an e-mail address like name@example.nl." in response.text
    assert 'value="Neddy"' in response.text


def test_discreet_setting_changes_title_and_manifest(client, family):
    sign_in_as(client, family.users["household_member"])
    client.post("/settings", data={"display_name": "Pat", "locale": "en", "discreet": "y"})
    assert client.get("/manifest.webmanifest").json["short_name"] == "Notes"
    assert "– Notes</title>" in client.get("/settings").text
    assert "Kring" not in client.get("/manifest.webmanifest").text


def test_change_password_needs_the_current_one(client, family):
    sign_in_as(client, family.users["chair"])
    wrong = client.post("/settings/password", data={"current_password": "nope", "new_password": "a new long one", "confirm_password": "a new long one"})
    assert "This is not your current password." in wrong.text
    ok = client.post("/settings/password", data={"current_password": PASSWORD, "new_password": "a new long one", "confirm_password": "a new long one"})
    assert ok.status_code == 302
    from webapp.auth.services import authenticate
    assert authenticate(db.session, "chair", "a new long one") is not None


def test_someone_in_one_household_finds_how_to_start_another_in_settings(client, family):
    sign_in_as(client, family.users["safety_person"])
    home = client.get(f"/h/{family.household.id}").text
    assert "/households/new" not in home  # one household: the home does not offer it
    settings = client.get("/settings").text
    assert 'href="/households/new"' in settings and 'href="/households"' in settings
    assert client.get("/households/new").status_code == 200
