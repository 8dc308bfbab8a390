"""What a child put in one of their three houses: a drawing, a picture from Kring's set and a few words, and who
the child said may see it. Nothing is changed in place: taking something away keeps it, with when."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Child, _enum


class House(enum.StrEnum):
    worries = "worries"
    good = "good"
    dreams = "dreams"


class ShareWith(enum.StrEnum):
    """Who may see an item, as the child chose; the first is the default, the most private."""
    helper = "helper"  # only me and the grown-up helping me now
    safety_people = "safety_people"  # my safety person(s), and the grown-up helping me
    network = "network"  # everyone in my network


class HouseItem(HouseholdScoped, db.Model):
    __tablename__ = "house_item"

    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    house: Mapped[House] = mapped_column(_enum(House))
    words: Mapped[str] = mapped_column(Text, default="")
    pictogram: Mapped[str | None] = mapped_column(String(24))
    drawing: Mapped[str | None] = mapped_column(String(64))  # a drawing or a cleaned photo in the upload folder
    share_with: Mapped[ShareWith] = mapped_column(_enum(ShareWith), default=ShareWith.helper)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))  # whose phone
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    child: Mapped[Child] = relationship()
    helper: Mapped[User | None] = relationship()
