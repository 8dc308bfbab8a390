"""Operator commands: the first household from the command line, and a configuration check in plain words."""
from sqlalchemy import select

from tests.conftest import make_app
from webapp.extensions import db
from webapp.households.models import Household, Membership, Role


def test_create_household_prints_a_working_link_for_the_first_person(app):
    result = app.test_cli_runner().invoke(args=["create-household", "Familie Jansen", "--person", "Petra Jansen",
                                                "--base-url", "https://kring.example.nl/"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://kring.example.nl/join/")
    household = db.session.scalar(select(Household).filter_by(name="Familie Jansen"))
    client = app.test_client()
    path = link.removeprefix("https://kring.example.nl")
    assert "Petra Jansen" in client.get(path).text
    response = client.post(path, data={"display_name": "Petra Jansen", "username": "petra", "password": "a long sentence"})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(household_id=household.id))
    assert membership.roles == {Role.household_member}


def test_check_config_names_what_must_be_fixed(_schema):
    risky = make_app(HTTPS=False, DEMO=True, QUICK_EXIT_URL="http://example.org", RATELIMIT_ENABLED=False)
    result = risky.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1
    for words in ("KRING_HTTPS is not set", "Demo mode is on", "KRING_QUICK_EXIT_URL must be an https://",
                  "Rate limits are off"):
        assert words in result.output


def test_check_config_passes_a_sound_setup(_schema):
    sound = make_app(HTTPS=True, DEMO=False, WEBAUTHN_RP_ID="kring.example.nl", RATELIMIT_ENABLED=True,
                     QUICK_EXIT_URL="https://www.google.com/search?q=weer")
    result = sound.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0, result.output
    assert "The configuration looks right." in result.output and "PROBLEM" not in result.output


def test_check_config_says_when_the_database_does_not_answer(_schema):
    broken = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    result = broken.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1 and "The database does not answer" in result.output
