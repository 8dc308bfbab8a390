"""The audit of what a professional viewed in a household (their grants are in `webapp.grants`)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db


class ProfessionalView(HouseholdScoped, db.Model):
    """One request by a professional to one of the household's pages: who, when, which page and period."""
    __tablename__ = "professional_view"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    page: Mapped[str] = mapped_column(String(80))  # the endpoint, e.g. "professionals.summary"
    query: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[datetime | None]  # the period the summary showed (naive UTC)
    period_end: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
