"""A professional's access to a household: until when, ended by whom.

Grants are the household's history and stay after the access ended; the membership that goes with a grant is
removed once the grant has ended."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db


class AccessGrant(HouseholdScoped, db.Model):
    __tablename__ = "access_grant"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]  # naive UTC: the end of the last local day of access
    ended_at: Mapped[datetime | None]  # ended early by the household ("End access now")
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    def active(self, now: datetime) -> bool:
        return self.ended_at is None and self.ends_at > now

    def finished_at(self) -> datetime:
        """When the access stopped or will stop."""
        return self.ended_at or self.ends_at
