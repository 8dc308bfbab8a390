"""What the web side reads from the worker's heartbeat and the queue: is the worker alive, how late, how much waits,
and whether alerts can go out now. Plus telling the operator, at most once an hour, when the worker went silent.

Plain functions on a session; they never commit (the operator's claim commits in its own thread, see views)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from webapp.health.models import OperatorNotice, WorkerHeartbeat
from webapp.signals.models import Delivery, DeliveryStatus, Purpose, Signal, SignalStatus

WORKER_SILENT = "worker_silent"
NOTICE_EVERY = timedelta(hours=1)


@dataclass
class WorkerState:
    lag_seconds: int | None  # since the newest heartbeat of any consumer; None: no consumer ever beat
    consumers: int  # consumers that beat within the silent time
    silent: bool


def worker_state(session: Session, now: datetime, silent_seconds: int) -> WorkerState:
    """Whether any consumer (on any machine) wrote a heartbeat within `silent_seconds`."""
    newest = session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    if newest is None:
        return WorkerState(None, 0, True)
    cutoff = now - timedelta(seconds=silent_seconds)
    consumers = session.scalar(select(func.count(WorkerHeartbeat.id)).where(WorkerHeartbeat.beat_at >= cutoff)) or 0
    # Another machine's clock may run a little ahead: never a negative lag.
    lag = max(0, int((now - newest).total_seconds()))
    return WorkerState(lag, consumers, lag > silent_seconds)


def oldest_undelivered_seconds(session: Session, now: datetime) -> int | None:
    """How long the oldest alert that should have gone out by now has been waiting (queued or being sent, its
    undo window over, its signal still open). None when nothing waits."""
    row = session.execute(
        select(Delivery.created_at, Signal.send_at).join(Signal, Delivery.signal_id == Signal.id)
        .where(Delivery.purpose == Purpose.alert, Signal.status == SignalStatus.open, Signal.send_at <= now,
               Delivery.status.in_((DeliveryStatus.queued, DeliveryStatus.sending)))
        .order_by(Delivery.created_at, Delivery.id).limit(1)).first()
    if row is None:
        return None
    return max(0, int((now - max(row.created_at, row.send_at)).total_seconds()))


def overdue_alerts(session: Session, now: datetime, silent_seconds: int) -> int:
    """Alerts due to be sent (not waiting for a retry) for longer than the silent time: a worker that beats but
    takes no work (all its threads stuck) shows here."""
    cutoff = now - timedelta(seconds=silent_seconds)
    return session.scalar(
        select(func.count(Delivery.id)).join(Signal, Delivery.signal_id == Signal.id)
        .where(Delivery.purpose == Purpose.alert, Delivery.status == DeliveryStatus.queued,
               Signal.status == SignalStatus.open, Signal.send_at <= cutoff, Delivery.created_at <= cutoff,
               or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= cutoff))) or 0


@dataclass
class Health:
    database: bool
    worker: WorkerState | None
    queue_depth: int | None  # None: the queue does not answer
    oldest_undelivered_seconds: int | None
    overdue_alerts: int

    @property
    def alerts_can_go_out(self) -> bool:
        return (self.database and self.worker is not None and not self.worker.silent
                and self.queue_depth is not None and not self.overdue_alerts)

    def details(self) -> dict:
        """For monitoring: counts and seconds only, never a name, a household or a text."""
        worker = self.worker
        return {
            "status": "ok" if self.alerts_can_go_out else "unavailable",
            "database": {"reachable": self.database},
            "worker": None if worker is None else {
                "lag_seconds": worker.lag_seconds, "consumers": worker.consumers, "silent": worker.silent},
            "queue": {"depth": self.queue_depth},
            "alerts": {"oldest_undelivered_seconds": self.oldest_undelivered_seconds,
                       "overdue": self.overdue_alerts},
        }


def health(session: Session, now: datetime, silent_seconds: int, queue) -> Health:
    """Everything /health reports. `queue` is the huey instance (its pending count is the queue depth)."""
    try:
        session.execute(text("SELECT 1"))
        worker = worker_state(session, now, silent_seconds)
        oldest = oldest_undelivered_seconds(session, now)
        overdue = overdue_alerts(session, now, silent_seconds)
        database = True
    except SQLAlchemyError:
        session.rollback()
        database, worker, oldest, overdue = False, None, None, 0
    try:
        depth = queue.pending_count()
    except Exception:  # noqa: BLE001 — Redis or the queue file may fail in many ways; all mean "no queue"
        depth = None
    return Health(database, worker, depth, oldest, overdue)


# --- telling the operator --------------------------------------------------------------------------------

def claim_operator_notice(session: Session, kind: str, now: datetime, every: timedelta = NOTICE_EVERY) -> bool:
    """Whether this process may send the operator notice `kind` now: at most once per `every`, across every web
    process, decided by one compare-and-set in the database. Does not commit."""
    try:
        with session.begin_nested():
            session.add(OperatorNotice(kind=kind, sent_at=now))
        return True
    except IntegrityError:
        pass
    return bool(session.execute(update(OperatorNotice).where(
        OperatorNotice.kind == kind, OperatorNotice.sent_at <= now - every).values(sent_at=now)).rowcount)


def release_operator_notice(session: Session, kind: str, now: datetime, retry_after: timedelta) -> None:
    """The notice could not be sent: let a later request try again after `retry_after`, not after an hour."""
    session.execute(update(OperatorNotice).where(OperatorNotice.kind == kind)
                    .values(sent_at=now - NOTICE_EVERY + retry_after))


def operator_sms_text(state: WorkerState, base_url: str) -> str:
    """The operator's text: short, plain characters (one part)."""
    since = "never" if state.lag_seconds is None else f"{state.lag_seconds // 60} min"
    return f"Kring {base_url.rstrip('/')}: background worker silent ({since}), alerts are not sent. See /health."


def operator_mail_text(state: WorkerState, base_url: str) -> tuple[str, str]:
    """The operator's e-mail (English: it goes to whoever runs the server, not to a family)."""
    since = "never" if state.lag_seconds is None else f"{state.lag_seconds // 60} minutes ago"
    subject = "Kring: the background worker is silent, alerts are not being sent"
    body = (f"Kring at {base_url} has had no heartbeat from its background worker (huey consumer); last one: {since}.\n"
            "Signals are stored, but no push, e-mail or escalation goes out until the worker runs again.\n"
            "People who raise a signal are told to call instead.\n\n"
            "Start the worker (`huey_consumer webapp.worker.huey`, or restart `make run` / the service), then check\n"
            f"{base_url.rstrip('/')}/health and `flask --app webapp check-config`.\n"
            "You get this e-mail at most once an hour while the worker stays silent.\n")
    return subject, body
