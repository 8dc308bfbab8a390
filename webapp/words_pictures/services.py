"""Words & Pictures' domain logic: each child's two books, their pages in order, and the picture on
each page (a pictogram, a drawing made in Kring, or a cleaned photo of a drawing on paper)."""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from webapp.auth.models import utcnow
from webapp.database import prepared
from webapp.hooks import child_erasing
from webapp.households.models import Child
from webapp.plain_language import sentences
from webapp import uploads as images
from webapp.uploads import upload_folder
from webapp.words_pictures.models import BookKind, Page, PictureKind, WordsPictures

MAX_SENTENCES = 3
MAX_TEXT = 400  # letters on one page: three short sentences fit easily
# What an author can put on a page as its picture: key -> emoji. The labels are in forms.py.
PICTOGRAMS = {
    "child": "🧒", "mum": "👩", "dad": "👨", "grandma": "👵", "grandpa": "👴", "family": "👪", "helper": "🤝",
    "happy": "😊", "sad": "😢", "angry": "😠", "scared": "😨", "worried": "😟", "calm": "😌", "love": "❤️",
    "hug": "🤗", "talk": "💬", "phone": "📱", "bell": "🔔", "teddy": "🧸", "home": "🏠", "school": "🏫",
    "bed": "🛏️", "food": "🍽️", "play": "⚽", "sun": "☀️", "star": "⭐", "stop": "✋", "calendar": "📅",
}


class TextProblem(ValueError):
    """`reason` is 'empty', 'too_many_sentences' or 'too_long'; `count` is the number of sentences."""

    def __init__(self, reason: str, count: int = 0):
        super().__init__(reason)
        self.reason, self.count = reason, count


def check_text(text: str) -> None:
    """Raise TextProblem unless `text` is one to three short sentences."""
    text = (text or "").strip()
    found = sentences(text)
    if not found:
        raise TextProblem("empty")
    if len(found) > MAX_SENTENCES:
        raise TextProblem("too_many_sentences", len(found))
    if len(text) > MAX_TEXT:
        raise TextProblem("too_long")


@dataclass
class Picture:
    """The picture chosen for a page. For a drawing or photo: a new, cleaned image or a file already stored."""
    kind: PictureKind
    pictogram: str | None = None
    image: images.CleanImage | None = None
    stored: tuple[str, int, int] | None = None  # (file name, width, height) in the household's folder


def book(session: Session, child: Child, kind: BookKind) -> WordsPictures | None:
    """The child's book of this kind; for the household's first child, a book made before children were records."""
    found = session.scalar(select(WordsPictures).where(WordsPictures.child_id == child.id, WordsPictures.kind == kind))
    if found is None:
        found = session.scalar(select(WordsPictures).where(
            WordsPictures.household_id == child.household_id, WordsPictures.child_id.is_(None),
            WordsPictures.kind == kind))
    return found


def book_or_new(session: Session, child: Child, kind: BookKind) -> WordsPictures:
    found = book(session, child, kind)
    if found is None:
        found = WordsPictures(household_id=child.household_id, child_id=child.id, kind=kind)
        session.add(found)
        session.flush()
    elif found.child_id is None:  # a book from before children were records: this child takes it over
        found.child_id = child.id
    return found


@prepared
def _page_counts():
    book, page = WordsPictures.__table__.c, Page.__table__.c  # the tables' columns: without the ORM's handling of rows
    return (select(book.child_id, book.kind, func.count(page.id))
            .select_from(WordsPictures.__table__.outerjoin(Page.__table__, page.book_id == book.id))
            .where(book.household_id == bindparam("household_id"))
            .group_by(book.child_id, book.kind))


def page_counts(session: Session, household_id: int) -> dict[int | None, dict[BookKind, int]]:
    """Pages per child and book (0 for a book without pages or not made yet); the key None holds the books made
    before children were records. One query: it runs on the home page."""
    rows = session.execute(_page_counts(), {"household_id": household_id})
    counts: dict[int | None, dict[BookKind, int]] = {}
    for child_id, kind, count in rows:
        counts.setdefault(child_id, {k: 0 for k in BookKind})[kind] = count
    return counts


def counts_for(counts: dict[int | None, dict[BookKind, int]], child: Child, first: bool) -> dict[BookKind, int]:
    """One child's page counts from `page_counts`; the household's first child also sees the old, child-less books."""
    own = counts.get(child.id, {k: 0 for k in BookKind})
    legacy = counts.get(None, {}) if first else {}
    return {kind: own[kind] or legacy.get(kind, 0) for kind in BookKind}


def page_at(session: Session, child: Child, kind: BookKind, number: int) -> tuple[WordsPictures, Page] | None:
    """(book, page) for the page numbered `number` (1 = the first page) of the child's book, or None."""
    found = book(session, child, kind)
    if found is None or not 1 <= number <= len(found.pages):
        return None
    return found, found.pages[number - 1]


def _folder(instance_path: str, household_id: int) -> Path:
    return upload_folder(instance_path, household_id)


def _remove_file(instance_path: str, household_id: int, filename: str | None) -> None:
    if filename:
        (_folder(instance_path, household_id) / Path(filename).name).unlink(missing_ok=True)


def keep_upload(instance_path: str, household_id: int, image: images.CleanImage) -> tuple[str, int, int]:
    """Store a cleaned photo before its page is saved (the form had another problem); returns its stored form."""
    filename, _ = images.store(_folder(instance_path, household_id), image)
    return filename, image.width, image.height


def _set_picture(instance_path: str, page: Page, picture: Picture) -> None:
    old = page.picture
    page.picture_kind, page.pictogram = picture.kind, None
    page.picture = page.picture_width = page.picture_height = None
    if picture.kind == PictureKind.pictogram:
        if picture.pictogram not in PICTOGRAMS:
            raise ValueError(f"unknown pictogram {picture.pictogram!r}")
        page.pictogram = picture.pictogram
    elif picture.image is not None:
        page.picture, page.picture_width, page.picture_height = keep_upload(instance_path, page.household_id,
                                                                            picture.image)
    elif picture.stored is not None:
        page.picture, page.picture_width, page.picture_height = picture.stored
    else:
        raise ValueError("a drawing or photo page needs an image")
    if old and old != page.picture:
        _remove_file(instance_path, page.household_id, old)


def add_page(session: Session, instance_path: str, child: Child, kind: BookKind, text: str,
             picture: Picture) -> Page:
    check_text(text)
    target = book_or_new(session, child, kind)
    page = Page(household_id=child.household_id, book=target, position=len(target.pages) + 1, text=text.strip())
    _set_picture(instance_path, page, picture)
    target.updated_at = utcnow()
    session.add(page)
    session.flush()
    return page


def edit_page(session: Session, instance_path: str, page: Page, text: str, picture: Picture | None) -> None:
    """Change the page's text and, unless `picture` is None, its picture (the old file is removed)."""
    check_text(text)
    page.text = text.strip()
    if picture is not None:
        _set_picture(instance_path, page, picture)
    page.updated_at = page.book.updated_at = utcnow()
    session.flush()


def _renumber(target: WordsPictures) -> None:
    for number, page in enumerate(sorted(target.pages, key=lambda p: (p.position, p.id)), start=1):
        page.position = number


def delete_page(session: Session, instance_path: str, page: Page) -> None:
    target = page.book
    filename, household_id = page.picture, page.household_id
    target.pages.remove(page)
    _renumber(target)
    target.updated_at = utcnow()
    session.flush()
    _remove_file(instance_path, household_id, filename)


def move_page(session: Session, page: Page, step: int) -> bool:
    """Move the page one place earlier (step -1) or later (+1); False when it is already at that end."""
    target = page.book
    ordered = sorted(target.pages, key=lambda p: (p.position, p.id))
    index = ordered.index(page)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, item in enumerate(ordered, start=1):
        item.position = number
    target.updated_at = utcnow()
    session.flush()
    session.expire(target, ["pages"])
    return True


def picture_in_use(session: Session, filename: str) -> bool:
    return session.scalar(select(Page.id).where(Page.picture == filename).limit(1)) is not None


def picture_path(instance_path: str, page: Page) -> Path | None:
    if not page.picture:
        return None
    return _folder(instance_path, page.household_id) / Path(page.picture).name


def picture_mimetype(page: Page) -> str:
    return "image/png" if (page.picture or "").endswith(".png") else "image/jpeg"


def erase_child_books(session: Session, instance_path: str, child: Child) -> None:
    """A child's books, their pages and the pages' pictures: the child is being erased."""
    books = list(session.scalars(select(WordsPictures).where(WordsPictures.child_id == child.id)))
    files = [p.picture for b in books for p in b.pages if p.picture]
    for found in books:
        session.delete(found)
    session.flush()
    for filename in files:
        _remove_file(instance_path, child.household_id, filename)


def _on_child_erasing(session: Session, child: Child, instance_path: str, **_) -> None:
    erase_child_books(session, instance_path, child)


def connect_hooks() -> None:
    child_erasing.connect(_on_child_erasing, weak=False)  # connecting again (another app in the tests) is a no-op


def erase_household_books(session: Session, household_id: int) -> None:
    """Both books and their pages (SQLite does not carry out ON DELETE); the pictures go with the upload folder."""
    from sqlalchemy import delete
    session.execute(delete(Page).where(Page.household_id == household_id), execution_options={"synchronize_session": False})
    session.execute(delete(WordsPictures).where(WordsPictures.household_id == household_id),
                    execution_options={"synchronize_session": False})
