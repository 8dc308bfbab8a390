"""The people of the genogram and the lines between them. A relative is placed by where they stand from the
household's children (a parent, a grandparent on one parent's side, ...); couples and broken contact are
relationships between two relatives."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Child, Membership, _enum
from webapp.safety_circle.models import CirclePerson


class Kin(enum.StrEnum):
    """Where someone stands from the household's children: the three generations of the drawing."""
    grandparent = "grandparent"  # generation 1, on the side of `of` (a parent)
    parent = "parent"  # generation 2
    partner = "partner"  # generation 2: a parent's new partner (`of`)
    aunt_uncle = "aunt_uncle"  # generation 2: a parent's brother or sister (`of`)
    child = "child"  # generation 3: the household's children and their brothers and sisters (`of`: one parent only)


class Shape(enum.StrEnum):
    square = "square"  # man or boy
    circle = "circle"  # woman or girl
    diamond = "diamond"  # other, or not said


class Bond(enum.StrEnum):
    together = "together"
    separated = "separated"
    no_contact = "no_contact"


class Relative(HouseholdScoped, db.Model):
    __tablename__ = "relative"

    name: Mapped[str] = mapped_column(String(80))
    kin: Mapped[Kin] = mapped_column(_enum(Kin))
    shape: Mapped[Shape] = mapped_column(_enum(Shape), default=Shape.diamond)
    of_id: Mapped[int | None] = mapped_column(ForeignKey("relative.id", ondelete="SET NULL"))  # whose parent, partner, ...
    born: Mapped[int | None]  # the year, when someone wants it shown
    deceased: Mapped[bool] = mapped_column(default=False)
    in_household: Mapped[bool] = mapped_column(default=False)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id", ondelete="SET NULL"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"), index=True)
    # Someone on the safety circle (who may not be in Kring): the tree and the circle then point at one person.
    circle_person_id: Mapped[int | None] = mapped_column(ForeignKey("circle_person.id", ondelete="SET NULL"),
                                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    of: Mapped["Relative | None"] = relationship(remote_side="Relative.id")
    membership: Mapped[Membership | None] = relationship()
    child: Mapped[Child | None] = relationship()
    circle_person: Mapped[CirclePerson | None] = relationship()


class Relationship(HouseholdScoped, db.Model):
    """How two relatives stand: a couple together or separated, or no contact (also between a parent and a child)."""
    __tablename__ = "relative_relationship"

    a_id: Mapped[int] = mapped_column(ForeignKey("relative.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("relative.id", ondelete="CASCADE"), index=True)
    bond: Mapped[Bond] = mapped_column(_enum(Bond))

    a: Mapped[Relative] = relationship(foreign_keys=[a_id])
    b: Mapped[Relative] = relationship(foreign_keys=[b_id])
