"""A drill the network plans, who takes part, and what came of it. A signal drill keeps the practice signal it
raised (`webapp.signals`, with `Signal.drill` set): its answers are the drill's result."""
import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Membership, _enum
from webapp.safety_plan.models import Agreement
from webapp.signals.models import Signal


class DrillKind(enum.StrEnum):
    signal = "signal"  # practise the safe-object signal: the real alert path, marked as practice
    scenario = "scenario"  # rehearse a situation that once went wrong, or an agreement


drill_participant = Table(
    "drill_participant", db.metadata,
    Column("drill_id", ForeignKey("drill.id", ondelete="CASCADE"), primary_key=True),
    Column("membership_id", ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True),
)


class Drill(HouseholdScoped, db.Model):
    __tablename__ = "drill"

    kind: Mapped[DrillKind] = mapped_column(_enum(DrillKind))
    scenario: Mapped[str] = mapped_column(Text)  # in plain words: what happens, what we practise
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="SET NULL"))
    planned_at: Mapped[datetime]
    planned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id", ondelete="SET NULL"))
    started_at: Mapped[datetime | None]
    learned: Mapped[str] = mapped_column(Text, default="")  # what the network learned, and what changes
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement | None] = relationship()
    planned_by: Mapped[User | None] = relationship()
    signal: Mapped[Signal | None] = relationship()
    participants: Mapped[list[Membership]] = relationship(secondary=drill_participant)

    @property
    def held_at(self) -> datetime | None:
        """When the drill took place: its practice signal started, or the network wrote down what it learned."""
        return self.started_at or self.done_at
