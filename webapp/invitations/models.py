"""Personal, single-use, expiring invitation links. Only a hash of the token is stored."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Household, Role, _enum


class Invitation(HouseholdScoped, db.Model):
    __tablename__ = "invitation"

    invitee_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(_enum(Role))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    # For a professional: when the access the link gives ends (naive UTC). The grant is made when the link is used.
    access_ends_at: Mapped[datetime | None]

    household: Mapped[Household] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= utcnow() or (self.access_ends_at is not None and self.access_ends_at <= utcnow()):
            return "expired"
        return "open"
