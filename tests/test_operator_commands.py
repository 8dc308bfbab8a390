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


def test_check_config_passes_a_sound_setup(_schema, smtp_server):
    sound = make_app(HTTPS=True, DEMO=False, WEBAUTHN_RP_ID="kring.example.nl", RATELIMIT_ENABLED=True,
                     QUICK_EXIT_URL="https://www.google.com/search?q=weer", BASE_URL="https://kring.example.nl",
                     VAPID_SUBJECT="mailto:beheer@kring.example.nl", SMTP_HOST=smtp_server.host,
                     SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False, MAIL_FROM="Kring <kring@kring.example.nl>",
                     OPERATOR_EMAIL="beheer@kring.example.nl", HEALTH_TOKEN="a-long-random-token")
    _worker_beat(sound, seconds_ago=3)
    result = sound.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0, result.output
    assert "The configuration looks right." in result.output and "PROBLEM" not in result.output
    assert "The background worker is running (1 consumer(s), last heartbeat 3 seconds ago)" in result.output


def _worker_beat(app, seconds_ago: int) -> None:
    from datetime import timedelta
    from webapp.auth.models import utcnow
    from webapp.health.heartbeat import beat
    from webapp.health.models import WorkerHeartbeat
    with app.app_context():
        db.session.execute(db.delete(WorkerHeartbeat))
        beat(db.session, "host:1", utcnow() - timedelta(seconds=seconds_ago))
        db.session.commit()


def test_check_config_says_when_the_worker_is_silent_and_nobody_would_hear_of_it(_schema):
    app = make_app(OPERATOR_EMAIL="", HEALTH_TOKEN="")
    _worker_beat(app, seconds_ago=600)
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1
    for words in ("The background worker's last heartbeat was 600 seconds ago: alerts are not being sent",
                  "KRING_OPERATOR_EMAIL is not set", "KRING_HEALTH_TOKEN is not set"):
        assert words in result.output
    with app.app_context():
        from webapp.health.models import WorkerHeartbeat
        db.session.execute(db.delete(WorkerHeartbeat))
        db.session.commit()
    assert "No background worker has ever written a heartbeat" in app.test_cli_runner().invoke(args=["check-config"]).output


def test_check_config_says_when_the_database_does_not_answer(_schema):
    broken = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    result = broken.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1 and "The database does not answer" in result.output


def test_check_config_says_what_is_wrong_with_push_and_mail(_schema):
    app = make_app(VAPID_SUBJECT="mailto:beheer@kring.invalid", HTTPS=True, BASE_URL="http://localhost:5000",
                   SMTP_HOST="")
    output = app.test_cli_runner().invoke(args=["check-config"]).output
    for words in ("KRING_VAPID_SUBJECT is 'mailto:beheer@kring.invalid'", "KRING_BASE_URL is 'http://localhost:5000'",
                  "E-mail is not set up (KRING_SMTP_HOST)"):
        assert words in output
    silent = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    assert "The mail server 127.0.0.1:1 does not answer" in silent.test_cli_runner().invoke(args=["check-config"]).output


def test_rotating_the_push_keys_makes_a_new_pair_and_forgets_old_subscriptions(app, family, tmp_path):
    from pathlib import Path
    from webapp.notify.models import PushSubscription
    from webapp.notify.push import application_server_key, write_new_key
    key = tmp_path / "vapid_private.pem"
    write_new_key(key)
    app.config["VAPID_KEY_PATH"] = str(key)
    old = application_server_key(key)
    db.session.add(PushSubscription(user=family.users["chair"], endpoint="https://fcm.googleapis.com/fcm/send/1",
                                    p256dh="k", auth="a", device_name="Android – Chrome"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["rotate-vapid-keys", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 device(s)" in result.output
    assert application_server_key(key) != old and Path(str(key) + ".old").exists()
    assert db.session.scalar(select(db.func.count(PushSubscription.id))) == 0
