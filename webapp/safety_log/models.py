"""Log entries, their earlier versions, photos and drawings, and highlights for the next meeting."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Child, _enum


class EntryKind(enum.StrEnum):
    went_well = "went_well"
    nearly_wrong = "nearly_wrong"
    went_wrong = "went_wrong"
    calm_moment = "calm_moment"
    child_wellbeing = "child_wellbeing"
    child_message = "child_message"


class LogEntry(db.Model):
    __tablename__ = "log_entry"
    __table_args__ = (
        UniqueConstraint("household_id", "client_id"),
        # The timeline reads newest first per household; keyset paging walks this index.
        Index("ix_log_entry_timeline", "household_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    # Made on the phone (or in the form) so that sending the same entry twice saves it once.
    client_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # Who held the phone, when it differs from the author (a child writing on a parent's phone).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # A child's message: which child (the author is the grown-up whose phone it was, recorded_by too).
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"), index=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    what_happened: Mapped[str] = mapped_column(Text, default="")
    what_was_done: Mapped[str] = mapped_column(Text, default="")
    child_mood: Mapped[int | None]  # 1 (very bad) to 5 (very good)
    pictogram: Mapped[str | None] = mapped_column(String(24))
    # The agreement of the safety plan this is about; a foreign key once the plan exists.
    agreement_id: Mapped[int | None] = mapped_column(index=True)
    # Written when a signal was closed: never shown to a member who is hidden from signals.
    from_signal: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    child: Mapped[Child | None] = relationship()
    attachments: Mapped[list["LogAttachment"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="LogAttachment.id"
    )
    versions: Mapped[list["LogEntryVersion"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="LogEntryVersion.version"
    )
    highlights: Mapped[list["LogHighlight"]] = relationship(cascade="all, delete-orphan")

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class LogEntryVersion(db.Model):
    """An earlier text of an entry, kept when its author corrects or withdraws it."""

    __tablename__ = "log_entry_version"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    occurred_at: Mapped[datetime]
    what_happened: Mapped[str] = mapped_column(Text, default="")
    what_was_done: Mapped[str] = mapped_column(Text, default="")
    child_mood: Mapped[int | None]
    # When this text stopped being the current one, and who replaced it.
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    entry: Mapped[LogEntry] = relationship(back_populates="versions")
    replaced_by: Mapped[User | None] = relationship()


class AttachmentKind(enum.StrEnum):
    photo = "photo"
    drawing = "drawing"


class LogAttachment(db.Model):
    """A photo or drawing, re-encoded without metadata, stored in the instance folder."""

    __tablename__ = "log_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AttachmentKind] = mapped_column(_enum(AttachmentKind))
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[LogEntry] = relationship(back_populates="attachments")


class LogHighlight(db.Model):
    """Someone marked this entry to discuss at the next network meeting."""

    __tablename__ = "log_highlight"
    __table_args__ = (UniqueConstraint("entry_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
