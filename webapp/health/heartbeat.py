"""The consumer's side of the watched worker: a small thread in each consumer process writes that process's row
in `worker_heartbeat` every few seconds.

Why a thread, started from huey's start-up hook, and not a task:
- a periodic task runs at most once a minute in huey, and only while a worker thread is free; a long fan-out to
  a slow push service would make a live worker look dead, and a minute is too coarse for "about two minutes";
- a task that re-schedules itself multiplies with every restart (the dead consumer's chain stays in the queue);
- a thread lives exactly as long as its process: killed, crashed or never started, the beats stop, which is
  what the web side must notice. Before each beat it asks the queue how many tasks wait, so a consumer that
  cannot reach its queue (Redis down, a full disk) stops beating too.
huey runs start-up hooks once per worker (thread or process), so the thread is started once per process.
"""
import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.health.models import WorkerHeartbeat

log = logging.getLogger(__name__)
# Rows of consumers gone this long are forgotten, so that the count of consumers stays true.
FORGET_AFTER = timedelta(days=1)

_lock = threading.Lock()
_started_in: set[int] = set()  # the process ids that run a heartbeat thread (a forked worker is a new process)


def consumer_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(session: Session, name: str, now: datetime) -> None:
    """Write that consumer `name` is alive now. Does not commit."""
    if session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.name == name).values(beat_at=now)).rowcount:
        return
    try:
        with session.begin_nested():
            session.add(WorkerHeartbeat(name=name, started_at=now, beat_at=now))
    except IntegrityError:  # written at the same moment by another thread of the same process
        session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.name == name).values(beat_at=now))


def forget_gone(session: Session, now: datetime) -> None:
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER))


def start(app_factory, huey) -> bool:
    """Start this process's heartbeat thread, once. Returns whether it was started now."""
    with _lock:
        if os.getpid() in _started_in:
            return False
        _started_in.add(os.getpid())
    threading.Thread(target=_beat_forever, args=(app_factory, huey), daemon=True, name="kring-heartbeat").start()
    return True


def _beat_forever(app_factory, huey) -> None:
    app = app_factory()
    name = consumer_name()
    interval = app.config["WORKER_HEARTBEAT_SECONDS"]
    with app.app_context():
        forget_gone(db.session, utcnow())
        db.session.commit()
    while True:
        try:
            huey.pending_count()  # the queue answers: otherwise this consumer cannot take any work
            with app.app_context():
                beat(db.session, name, utcnow())
                db.session.commit()
                db.session.remove()
        except Exception:  # noqa: BLE001 — the thread must outlive a database or queue restart; a missed beat is the signal
            log.exception("heartbeat not written")
        time.sleep(interval)
