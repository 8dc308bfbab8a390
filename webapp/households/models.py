"""Households, the people in them and their roles."""
import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.extensions import db


class Role(enum.StrEnum):
    household_member = "household_member"
    child = "child"
    safety_person = "safety_person"
    network_member = "network_member"
    chair = "chair"
    professional = "professional"


class Phase(enum.StrEnum):
    alignment = "alignment"
    direct_safety = "direct_safety"
    risk_driven = "risk_driven"
    recovery = "recovery"


def _enum(cls):
    return Enum(cls, native_enum=False, length=24, validate_strings=True)


class Household(db.Model):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.alignment)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Closing: everything is erased at erase_at unless someone undoes it before then.
    erase_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # A signal nobody answers within this time goes to the next ring of the alert plan.
    escalate_after_minutes: Mapped[int] = mapped_column(default=3, server_default="3")

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="household", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("household_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The person the worries may be about: never alerted, never shown signals or who responded.
    signals_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A push every Sunday evening: "plan next week in the resilience calendar".
    calendar_reminder: Mapped[bool] = mapped_column(default=False, server_default=false())

    household: Mapped[Household] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    role_rows: Mapped[list["MembershipRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles: set[Role]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [MembershipRole(role=r) for r in sorted(roles - have)]


class MembershipRole(db.Model):
    __tablename__ = "membership_role"
    __table_args__ = (UniqueConstraint("membership_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
