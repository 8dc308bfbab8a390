"""Households, the people in them and their roles."""
import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint, bindparam, false, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped, prepared
from webapp.extensions import db


class Role(enum.StrEnum):
    household_member = "household_member"
    # Only to read rows from before children were household records (migration 0015 moved them): never given.
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


class Membership(HouseholdScoped, db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("household_id", "user_id"),)

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

    @classmethod
    def lookup(cls, session, household_id: int, user_id: int) -> "Membership | None":
        """The person's membership of the household with its roles and household, in one query (every household
        page asks for it)."""
        return session.execute(_lookup(), {"household_id": household_id, "user_id": user_id}).unique().scalar_one_or_none()

    def set_roles(self, roles: set[Role]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [MembershipRole(role=r) for r in sorted(roles - have)]


@prepared
def _lookup():
    return (select(Membership).options(joinedload(Membership.household), joinedload(Membership.role_rows))
            .where(Membership.household_id == bindparam("household_id"), Membership.user_id == bindparam("user_id")))


class MembershipRole(db.Model):
    __tablename__ = "membership_role"
    __table_args__ = (UniqueConstraint("membership_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))


class AgeBand(enum.StrEnum):
    """How old a child is, roughly: it sets how simply the child view and the child's books are written."""
    age_0_3 = "age_0_3"
    age_4_6 = "age_4_6"
    age_7_9 = "age_7_9"
    age_10_12 = "age_10_12"
    age_13_up = "age_13_up"


class ChildColour(enum.StrEnum):
    """The colour behind a child's initial when there is no picture: each dark enough for white letters (AA)."""
    blue = "blue"
    green = "green"
    purple = "purple"
    orange = "orange"
    red = "red"
    teal = "teal"


class Child(HouseholdScoped, db.Model):
    """A child of the household: a record, never a sign-in. Opened through the child view on a grown-up's phone.
    Removing marks it (removed_at, removed_by); the household can undo that during the grace period, after which
    the child and their picture are erased."""
    __tablename__ = "child"

    first_name: Mapped[str] = mapped_column(String(40))
    age_band: Mapped[AgeBand] = mapped_column(_enum(AgeBand), default=AgeBand.age_7_9)
    colour: Mapped[ChildColour] = mapped_column(_enum(ChildColour), default=ChildColour.blue)
    # A cleaned photo in the household's upload folder (metadata stripped), shown instead of the initial.
    picture: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime | None]
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    removed_at: Mapped[datetime | None] = mapped_column(index=True)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
    safety_person_rows: Mapped[list["ChildSafetyPerson"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def initial(self) -> str:
        return self.first_name[:1].upper()

    @property
    def young(self) -> bool:
        """Up to six: larger pictures, and read-aloud offered first."""
        return self.age_band in (AgeBand.age_0_3, AgeBand.age_4_6)


class ChildSafetyPerson(db.Model):
    """A safety person chosen for one child. A child without rows has every safety person of the household."""
    __tablename__ = "child_safety_person"
    __table_args__ = (UniqueConstraint("child_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
