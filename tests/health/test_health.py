"""/health for monitoring, the worker's state the pages read, and the operator's e-mail when the worker is silent."""
import time
from datetime import timedelta

from sqlalchemy import delete, select

from tests.conftest import sign_in_as
from tests.signals.conftest import add_device, raise_now  # noqa: F401
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.health import services
from webapp.health.heartbeat import beat
from webapp.health.models import OperatorNotice, WorkerHeartbeat

TOKEN = "health-token-for-the-monitor"


def _beat(seconds_ago: float, name: str = "host-a:1") -> None:
    beat(db.session, name, utcnow() - timedelta(seconds=seconds_ago))
    db.session.commit()


def _raised_ago(family, seconds: int):
    """A signal raised `seconds` ago whose first ring's deliveries were written then, and nothing sent since."""
    then = utcnow() - timedelta(seconds=seconds)
    signal = raise_now(family, now=then)
    for d in signal.deliveries:
        d.created_at = then
    db.session.commit()
    return signal


def test_health_says_503_without_any_heartbeat_and_200_with_a_fresh_one(client):
    response = client.get("/health")
    assert response.status_code == 503 and response.json == {"status": "unavailable"}
    _beat(3)
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    _beat(121)  # the same consumer, silent for just over two minutes
    assert client.get("/health").status_code == 503


def test_details_only_with_the_token_compared_in_full(app, client, family, push_service):
    app.config["HEALTH_TOKEN"] = TOKEN
    _beat(4)
    _beat(400, name="host-b:2")  # a second consumer on another machine, long gone
    add_device(family.users["safety_person"], push_service)
    _raised_ago(family, 30)  # due since 30 s, not yet sent
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN[:-1]}"}):
        assert client.get("/health", headers=headers).json == {"status": "ok"}
    body = client.get("/health", headers={"Authorization": f"Bearer {TOKEN}"}).json
    assert body["status"] == "ok" and body["database"] == {"reachable": True}
    assert body["worker"]["consumers"] == 1 and 4 <= body["worker"]["lag_seconds"] <= 6
    assert 30 <= body["alerts"]["oldest_undelivered_seconds"] <= 33 and body["alerts"]["overdue"] == 0
    assert isinstance(body["queue"]["depth"], int)
    # Counts and seconds only: nothing about a household or a person.
    text = str(body)
    for personal in ("Family", "Grandma", "Parent", str(family.household.id) + "/"):
        assert personal not in text


def test_an_alert_due_for_minutes_makes_health_503_even_with_a_heartbeat(app, client, family, push_service):
    """A consumer that beats but takes no work (every thread stuck) cannot send alerts either."""
    app.config["HEALTH_TOKEN"] = TOKEN
    _beat(2)
    add_device(family.users["safety_person"], push_service)
    _raised_ago(family, 300)
    response = client.get("/health", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 503 and response.json["alerts"]["overdue"] == 1


def test_raising_a_signal_while_the_worker_is_silent_says_to_call_and_not_sent_yet(app, client, family, push_service):
    family.users["safety_person"].phone = "06 1234 5678"
    add_device(family.users["safety_person"], push_service)
    _beat(600)
    sign_in_as(client, family.users["network_member"])
    raise_page = client.get(f"/h/{family.household.id}/signals/new").text
    assert "Kring cannot send alerts right now." in raise_page and 'href="tel:0612345678"' in raise_page
    response = client.post(f"/h/{family.household.id}/signals/new", data={"client_id": "silent-1"})
    page = client.get(response.headers["Location"]).text
    assert "Kring cannot send alerts right now." in page and 'href="tel:0612345678"' in page
    assert "Who should be alerted: not sent yet" in page and "Who was alerted" not in page
    assert "Push on Android – Chrome: not sent yet" in page
    assert "Ring 1: 1 person to alert, not sent yet." in page and "the next people are alerted" not in page
    # The warning comes before the people to call, whom it points to.
    assert page.index("Kring cannot send alerts right now.") < page.index('href="tel:0612345678"')
    # The worker beats again: the warning goes, the delivery is "being sent".
    _beat(1)
    page = client.get(response.headers["Location"]).text
    assert "Kring cannot send alerts right now." not in page and "not sent yet" not in page
    assert "Who was alerted" in page and "Being sent" in page and "Ring 1 alerted: 1 person." in page


def test_the_alert_plan_warns_the_chair_while_the_worker_is_silent(client, family):
    sign_in_as(client, family.users["chair"])
    url = f"/h/{family.household.id}/alerts"
    assert "Kring cannot send alerts right now." in client.get(url).text
    _beat(1)
    assert "Kring cannot send alerts right now." not in client.get(url).text


def test_the_child_is_not_told_sent_while_nothing_can_go_out(app, client, family):
    from tests.test_child_lock import give_phone_to_child
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    assert "Kring cannot tell your safety people right now." in client.get(f"/h/{family.household.id}/child/worried").text
    response = client.post(f"/h/{family.household.id}/child/worried", data={"client_id": "child-silent-1"})
    page = client.get(response.headers["Location"]).text
    assert "Sent!" not in page and "Not sent yet" in page and "Go to a grown-up you trust." in page


# --- the operator -------------------------------------------------------------------------------------------

def _mail_setup(app, smtp_server) -> None:
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False,
                      OPERATOR_EMAIL="beheer@kring.example.nl", BASE_URL="https://kring.example.nl")


def _wait_for_operator_threads() -> None:
    import threading
    for thread in threading.enumerate():
        if thread.name == "kring-operator-mail":
            thread.join(10)


def test_the_operator_is_emailed_once_an_hour_while_the_worker_is_silent(app, client, smtp_server):
    _mail_setup(app, smtp_server)
    _beat(240)  # silent for four minutes: people are warned, the operator not yet
    client.get("/health")
    _wait_for_operator_threads()
    assert smtp_server.messages == []
    _beat(301)
    started = time.monotonic()
    for _ in range(5):  # many requests, as from several web processes: one e-mail
        client.get("/health")
        client.get("/privacy")
    assert time.monotonic() - started < 2  # nobody waited for the mail server
    _wait_for_operator_threads()
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "beheer@kring.example.nl"
    assert "background worker is silent" in mail["Subject"] and "https://kring.example.nl/health" in mail.get_content()
    time.sleep(0.3)
    assert len(smtp_server.messages) == 1
    # An hour later, still silent: once more.
    db.session.execute(db.update(OperatorNotice).values(sent_at=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    client.get("/privacy")
    _wait_for_operator_threads()
    assert len(smtp_server.wait_for(2)) == 2


def test_no_operator_mail_while_the_worker_beats_or_without_an_address(app, client, smtp_server):
    _mail_setup(app, smtp_server)
    _beat(2)
    client.get("/health")
    app.config["OPERATOR_EMAIL"] = ""
    db.session.execute(delete(WorkerHeartbeat))
    db.session.commit()
    client.get("/health")
    _wait_for_operator_threads()
    assert smtp_server.messages == [] and db.session.scalar(select(OperatorNotice)) is None


def test_only_one_of_several_web_processes_claims_the_operator_mail(app):
    now = utcnow()
    assert services.claim_operator_notice(db.session, "worker_silent", now)
    assert not services.claim_operator_notice(db.session, "worker_silent", now + timedelta(minutes=59))
    assert services.claim_operator_notice(db.session, "worker_silent", now + timedelta(minutes=60))
    # A failed send lets another request try again after five minutes, not after an hour.
    later = now + timedelta(minutes=60)
    services.release_operator_notice(db.session, "worker_silent", later, timedelta(minutes=5))
    assert not services.claim_operator_notice(db.session, "worker_silent", later + timedelta(minutes=4))
    assert services.claim_operator_notice(db.session, "worker_silent", later + timedelta(minutes=5))


def test_worker_state_reads_the_newest_heartbeat_of_any_consumer(app):
    now = utcnow()
    assert services.worker_state(db.session, now, 120) == services.WorkerState(None, 0, True)
    beat(db.session, "a:1", now - timedelta(seconds=500))
    beat(db.session, "b:2", now - timedelta(seconds=30))
    beat(db.session, "c:3", now - timedelta(seconds=10))
    assert services.worker_state(db.session, now, 120) == services.WorkerState(10, 2, False)
    beat(db.session, "c:3", now + timedelta(seconds=2))  # a machine whose clock runs ahead
    assert services.worker_state(db.session, now, 120).lag_seconds == 0
    assert db.session.scalar(select(db.func.count(WorkerHeartbeat.id))) == 3


def test_the_operator_is_texted_too_when_sms_is_set_up(app, client, smtp_server, sms_provider):
    _mail_setup(app, smtp_server)
    app.config.update(sms_provider.config(), OPERATOR_PHONE="+31612345678")
    _beat(301)
    client.get("/health")
    _wait_for_operator_threads()
    [text] = sms_provider.wait_for(1)
    assert text.to == "+31612345678" and "worker silent" in text.body and "/health" in text.body
    assert len(smtp_server.wait_for(1)) == 1  # and e-mailed, once


def test_the_operator_is_texted_without_a_mail_server(app, client, sms_provider):
    app.config.update(sms_provider.config(), OPERATOR_PHONE="+31612345678", OPERATOR_EMAIL="", SMTP_HOST="")
    _beat(301)
    client.get("/privacy")
    _wait_for_operator_threads()
    assert len(sms_provider.wait_for(1)) == 1
