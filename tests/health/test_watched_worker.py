"""The watched worker with a real consumer process: stop it, raise a signal, and the person who raised it is told to
call and /health says 503; start it again and both clear, and the alert goes out."""
import time
from collections.abc import Callable

from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.signals.conftest import add_device
from tests.worker_process import start_worker
from webapp.extensions import db
from webapp.health.models import WorkerHeartbeat

WORKER_ENV = {"KRING_WORKER_HEARTBEAT_SECONDS": "0.3"}
SILENT = 2  # seconds without a heartbeat before Kring says it cannot send
WARNING = "Kring cannot send alerts right now."


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def test_a_stopped_worker_is_seen_at_once_and_a_started_one_clears_it(app, client, family, push_service):
    app.config.update(WORKER_SILENT_SECONDS=SILENT, SIGNAL_UNDO_SECONDS=0)
    family.users["safety_person"].phone = "06 1234 5678"
    add_device(family.users["safety_person"], push_service)
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    raise_url = f"/h/{family.household.id}/signals/new"

    worker = start_worker(**WORKER_ENV)
    try:
        _wait_until(lambda: client.get("/health").status_code == 200, 15, "the running worker's heartbeat is seen")
        assert WARNING not in client.get(raise_url).text
        names = list(db.session.scalars(select(WorkerHeartbeat.name)))
        db.session.commit()
        assert len(names) == 1  # one row per consumer process, however many worker threads it runs

        worker.stop()
        _wait_until(lambda: client.get("/health").status_code == 503, SILENT + 5, "/health says the worker is silent")
        raise_page = client.get(raise_url).text
        assert WARNING in raise_page and 'href="tel:0612345678"' in raise_page
        signal_url = client.post(raise_url, data={"client_id": "stopped-worker-1"}).headers["Location"]
        page = client.get(signal_url).text
        assert WARNING in page and "Push on Android – Chrome: not sent yet" in page
        time.sleep(1)
        assert push_service.received == []  # really nothing went out

        worker = start_worker(fresh_queue=False, **WORKER_ENV)
        push_service.wait_for(1, timeout=15)
        _wait_until(lambda: client.get("/health").status_code == 200, 15, "/health clears")
        _wait_until(lambda: "Reached</strong>" in client.get(signal_url).text, 10, "the signal page shows who was reached")
        page = client.get(signal_url).text
        assert WARNING not in page and "not sent yet" not in page
        assert "Push on Android – Chrome · " in page
        assert WARNING not in client.get(raise_url).text
    finally:
        worker.stop()
