"""Who is on a household's safety circle and where. A person on the circle is a Kring member or someone who is not
(yet) in Kring; each placement is kept with when it began and ended, so the circle of any earlier day can be drawn."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Membership, _enum


class Ring(enum.StrEnum):
    inner = "inner"  # involved in the child's safety now and knows the worries
    middle = "middle"  # could be involved
    outer = "outer"  # not yet, or not to be involved
    professional = "professional"  # paid helpers, shown apart from the rings


class CirclePerson(HouseholdScoped, db.Model):
    """Someone placed on the circle. `name` is what was written (or the member's name when placed), so the history
    still reads after a member left; while they are in Kring their own name shows."""
    __tablename__ = "circle_person"

    name: Mapped[str] = mapped_column(String(80))
    relation: Mapped[str] = mapped_column(String(80), default="")  # to the child: "oma", "buurman", "juf"
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    membership: Mapped[Membership | None] = relationship(lazy="joined")
    placements: Mapped[list["CirclePlacement"]] = relationship(
        back_populates="person", order_by="CirclePlacement.placed_at", cascade="all, delete-orphan",
        passive_deletes=True)

    @property
    def display_name(self) -> str:
        return self.membership.user.display_name if self.membership is not None else self.name

    @property
    def current(self) -> "CirclePlacement | None":
        return next((p for p in self.placements if p.ended_at is None), None)


class CirclePlacement(HouseholdScoped, db.Model):
    """One stretch of time a person stood in one ring. Moving ends it and begins another; taking someone off the
    circle ends it without a next one."""
    __tablename__ = "circle_placement"

    person_id: Mapped[int] = mapped_column(ForeignKey("circle_person.id", ondelete="CASCADE"), index=True)
    ring: Mapped[Ring] = mapped_column(_enum(Ring))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    person: Mapped[CirclePerson] = relationship(back_populates="placements")
    placed_by: Mapped[User | None] = relationship()
