"""A network meeting, who is invited and their replies, the questions people want to discuss, and the decisions.

Times are naive UTC. Scores given in a meeting are ordinary scale scores (`ScaleScore.meeting_id` names the
meeting); proposed plan changes go into a draft plan version (`PlanVersion.meeting_id`).
"""
import enum
from datetime import datetime, timedelta

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import _enum
from webapp.safety_scales.models import DangerStatement


class MeetingStatus(enum.StrEnum):
    planned = "planned"
    held = "held"  # the chair recorded the minutes
    cancelled = "cancelled"


class ChairKind(enum.StrEnum):
    """Who chaired: a professional, or someone from the network. Kept as it was then, so that the move from
    professional to network chair stays visible when roles change later."""
    professional = "professional"
    network = "network"


class Reply(enum.StrEnum):
    coming = "coming"
    not_coming = "not_coming"


class PlanChange(enum.StrEnum):
    none = "none"
    add = "add"  # a new agreement
    change = "change"  # new words for an agreement (by lineage)
    remove = "remove"


meeting_topic = Table(
    "network_meeting_topic", db.metadata,
    Column("meeting_id", ForeignKey("network_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", ForeignKey("danger_statement.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(HouseholdScoped, db.Model):
    """One network meeting: planned, then held (with minutes) or cancelled."""
    __tablename__ = "network_meeting"

    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str] = mapped_column(String(200), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.planned)
    planned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised at every change of time or place: calendars replace the event they have (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    # Who chairs (planned) or chaired (recorded), and whether they were a professional then.
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    chair_kind: Mapped[ChairKind | None] = mapped_column(_enum(ChairKind))
    # The minutes, along the method's agenda.
    worries: Mapped[str] = mapped_column(Text, default="")
    going_well: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    minutes_shared_at: Mapped[datetime | None]
    next_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("network_meeting.id", ondelete="SET NULL"))

    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    topics: Mapped[list[DangerStatement]] = relationship(secondary=meeting_topic, order_by=DangerStatement.priority)
    invites: Mapped[list["MeetingInvite"]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                          order_by="MeetingInvite.id")
    questions: Mapped[list["MeetingQuestion"]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                              order_by="MeetingQuestion.created_at")
    decisions: Mapped[list["MeetingDecision"]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                              order_by="MeetingDecision.id")
    next_meeting: Mapped["Meeting | None"] = relationship(remote_side="Meeting.id", foreign_keys=[next_meeting_id])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class MeetingInvite(HouseholdScoped, db.Model):
    """Someone invited, their reply, and whether they were there. `user_id` is None for a former member."""
    __tablename__ = "network_meeting_invite"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("network_meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reply: Mapped[Reply | None] = mapped_column(_enum(Reply))
    replied_at: Mapped[datetime | None]
    attended: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="invites")
    user: Mapped[User | None] = relationship()


class MeetingQuestion(HouseholdScoped, db.Model):
    """"What I want to discuss", added by anyone in the network before the meeting."""
    __tablename__ = "network_meeting_question"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("network_meeting.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="questions")
    author: Mapped[User | None] = relationship()


class MeetingDecision(HouseholdScoped, db.Model):
    """A decision of the meeting, and the change to the safety plan it proposes (if any). The change is put in a
    draft plan version (`version_id`) that the chair agrees on in the plan itself."""
    __tablename__ = "network_meeting_decision"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("network_meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    change: Mapped[PlanChange] = mapped_column(_enum(PlanChange), default=PlanChange.none)
    agreement_lineage_id: Mapped[int | None]  # the agreement changed or removed
    proposed_text: Mapped[str] = mapped_column(Text, default="")  # the new agreement's words
    version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
