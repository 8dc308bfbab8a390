"""Danger statements, their safety goals and safety scales, the scores people give, and phase moves."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Phase, _enum

MAX_ACTIVE_STATEMENTS = 4


class DangerStatement(HouseholdScoped, db.Model):
    """Who is worried, what the adults do that causes the worry, the worst that could happen to the child."""
    __tablename__ = "danger_statement"

    priority: Mapped[int]  # 1 = the most urgent of the active ones
    who_is_worried: Mapped[str] = mapped_column(Text, default="")
    what_adults_do: Mapped[str] = mapped_column(Text, default="")
    worst_case: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None]

    goal: Mapped["SafetyGoal"] = relationship(back_populates="statement", cascade="all, delete-orphan",
                                              uselist=False, lazy="joined")
    scale: Mapped["SafetyScale"] = relationship(back_populates="statement", cascade="all, delete-orphan",
                                                uselist=False, lazy="joined")


class SafetyGoal(db.Model):
    """What everyone wants to see instead, concretely."""
    __tablename__ = "safety_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("danger_statement.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")

    statement: Mapped[DangerStatement] = relationship(back_populates="goal")


class SafetyScale(HouseholdScoped, db.Model):
    """0 = the danger statement, 10 = the safety goal."""
    __tablename__ = "safety_scale"

    statement_id: Mapped[int] = mapped_column(ForeignKey("danger_statement.id", ondelete="CASCADE"), unique=True)
    question: Mapped[str] = mapped_column(String(300), default="")

    statement: Mapped[DangerStatement] = relationship(back_populates="scale")
    scores: Mapped[list["ScaleScore"]] = relationship(back_populates="scale", cascade="all, delete-orphan",
                                                      order_by="ScaleScore.scored_at")


class ScaleScore(HouseholdScoped, db.Model):
    """One person's score on one scale, with the concrete behaviour they saw that makes it that number."""
    __tablename__ = "scale_score"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
                      Index("ix_scale_score_history", "scale_id", "scored_at"))

    scale_id: Mapped[int] = mapped_column(ForeignKey("safety_scale.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    score: Mapped[int]
    behaviour: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Given in a network meeting (the meeting's own id once meetings exist).
    meeting_id: Mapped[int | None]

    scale: Mapped[SafetyScale] = relationship(back_populates="scores")
    user: Mapped[User | None] = relationship()


class PhaseMove(HouseholdScoped, db.Model):
    """The chair or a professional moved the household to another phase."""
    __tablename__ = "phase_move"

    from_phase: Mapped[Phase] = mapped_column(_enum(Phase))
    to_phase: Mapped[Phase] = mapped_column(_enum(Phase))
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    moved_by: Mapped[User | None] = relationship()
