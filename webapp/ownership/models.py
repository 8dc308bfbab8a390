"""A former member's request that the household remove what they wrote, and the household's decision."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import _enum


class RemovalDecision(enum.StrEnum):
    removed = "removed"
    kept = "kept"


class RemovalRequest(HouseholdScoped, db.Model):
    """Asked when someone leaves; until the household decides, the entries stay, signed "former member"."""

    __tablename__ = "removal_request"

    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The name as it was when they left: the entries no longer point to them, and the account may be gone.
    former_member_name: Mapped[str] = mapped_column(String(80))
    # How many entries the request covered; the entry rows go with the entries when they are removed.
    entry_count: Mapped[int]
    # Of those, how many were written when a signal was closed: not counted for a member hidden from signals.
    signal_entry_count: Mapped[int] = mapped_column(default=0, server_default="0")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[RemovalDecision | None] = mapped_column(_enum(RemovalDecision))

    decided_by: Mapped[User | None] = relationship()
    entries: Mapped[list["RemovalRequestEntry"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RemovalRequestEntry.entry_id"
    )

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def count_for(self, hide_signals: bool) -> int:
        return self.entry_count - self.signal_entry_count if hide_signals else self.entry_count


class RemovalRequestEntry(db.Model):
    """One log entry a removal request covers."""

    __tablename__ = "removal_request_entry"
    __table_args__ = (UniqueConstraint("request_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("removal_request.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"), index=True)

    request: Mapped[RemovalRequest] = relationship(back_populates="entries")
