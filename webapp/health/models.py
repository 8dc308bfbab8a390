"""The worker's heartbeat: each consumer process writes its row every few seconds; the web side reads them.
And the operator's notices: when the web side last e-mailed the operator, shared by every web process."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.auth.models import utcnow
from webapp.extensions import db


class WorkerHeartbeat(db.Model):
    __tablename__ = "worker_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    # host and process of one consumer: several may run, on several machines sharing the database
    name: Mapped[str] = mapped_column(String(120), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OperatorNotice(db.Model):
    """When the operator was last told about a problem (one row per kind, e.g. "worker_silent"). In the database,
    not in memory: several web processes, on several machines, must together send it at most once an hour."""
    __tablename__ = "operator_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), unique=True)
    sent_at: Mapped[datetime]
