"""Calendar activities and the resilience elements they bring."""
import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Child, _enum


class ResilienceElement(enum.StrEnum):
    loving_contact = "loving_contact"
    sleep = "sleep"
    exercise = "exercise"
    outdoors = "outdoors"
    mindfulness = "mindfulness"
    healthy_food = "healthy_food"


class PartOfDay(enum.StrEnum):
    morning = "morning"
    afternoon = "afternoon"
    evening = "evening"
    night = "night"


class CalendarActivity(db.Model):
    __tablename__ = "calendar_activity"
    __table_args__ = (Index("ix_calendar_activity_week", "household_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    day: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    part_of_day: Mapped[PartOfDay | None] = mapped_column(_enum(PartOfDay))
    description: Mapped[str] = mapped_column(String(200))
    with_whom: Mapped[str] = mapped_column(String(120), default="")
    # Activities repeated weekly share a series id; each week holds its own copy, so one week can differ.
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    by_child: Mapped[bool] = mapped_column(default=False)
    # A sticker a child added from the child view: which child.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Removed activities stay, marked, so that a removal leaves a trace and can be undone.
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
    child: Mapped[Child | None] = relationship()
    element_rows: Mapped[list["ActivityElement"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def elements(self) -> set[ResilienceElement]:
        return {row.element for row in self.element_rows}

    def set_elements(self, elements: set[ResilienceElement]) -> None:
        keep = [row for row in self.element_rows if row.element in elements]
        have = {row.element for row in keep}
        self.element_rows = keep + [ActivityElement(element=e) for e in sorted(elements - have)]


class ActivityElement(db.Model):
    __tablename__ = "calendar_activity_element"
    __table_args__ = (UniqueConstraint("activity_id", "element"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("calendar_activity.id", ondelete="CASCADE"), index=True)
    element: Mapped[ResilienceElement] = mapped_column(_enum(ResilienceElement))
