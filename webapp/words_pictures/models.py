"""Words & Pictures: the story (who is worried, what happened, what happens now) and the picture plan,
each a book of pages: a picture and one to three short sentences."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import _enum


class BookKind(enum.StrEnum):
    story = "story"
    plan = "plan"


class PictureKind(enum.StrEnum):
    drawing = "drawing"  # drawn in the app
    photo = "photo"  # a photo of a paper drawing, metadata stripped
    pictogram = "pictogram"  # an emoji / pictogram


class WordsPictures(HouseholdScoped, db.Model):
    """One book of one child. `child_id` is empty only for a book made before the household had a child record
    (Kring before children were records): the household's first child takes it over when their book is written."""
    __tablename__ = "words_pictures"
    __table_args__ = (UniqueConstraint("child_id", "kind"),)

    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BookKind] = mapped_column(_enum(BookKind))
    title: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    pages: Mapped[list["Page"]] = relationship(back_populates="book", cascade="all, delete-orphan",
                                               order_by="Page.position")


class Page(HouseholdScoped, db.Model):
    __tablename__ = "words_pictures_page"

    book_id: Mapped[int] = mapped_column(ForeignKey("words_pictures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    picture_kind: Mapped[PictureKind | None] = mapped_column(_enum(PictureKind))
    picture: Mapped[str | None] = mapped_column(String(80))  # file name in the household's upload folder
    # The picture's size, so that the page does not jump when it loads.
    picture_width: Mapped[int | None]
    picture_height: Mapped[int | None]
    pictogram: Mapped[str | None] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)  # one to three short sentences
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    book: Mapped[WordsPictures] = relationship(back_populates="pages")
