"""The books' domain logic: pages in order, one to three sentences, pictures stored clean and removed with
their page."""
import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.safety_log.test_images import jpeg_with_gps
from webapp.extensions import db
from webapp.uploads import clean
from webapp.words_pictures import services
from webapp.households.models import Child
from webapp.words_pictures.models import BookKind, Page, PictureKind, WordsPictures
from webapp.words_pictures.services import Picture, TextProblem

PLAN = BookKind.plan


def drawing_png() -> bytes:
    image = Image.new("RGBA", (600, 450), (255, 255, 255, 255))
    for x in range(100, 500):
        image.putpixel((x, 225), (29, 79, 145, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def drawing():
    return clean(drawing_png(), keep_transparency=True)


def drawing_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(drawing_png()).decode()


def pictogram(key="teddy") -> Picture:
    return Picture(PictureKind.pictogram, pictogram=key)


def add(app, family, text, picture=None, kind=PLAN):
    return services.add_page(db.session, app.instance_path, family.child, kind, text, picture or pictogram())


def texts(family, kind=PLAN):
    return [p.text for p in services.book(db.session, family.child, kind).pages]


def test_pages_are_added_at_the_end_and_counted_per_book(app, family):
    add(app, family, "Oma Ria helpt jou.")
    add(app, family, "Beer gaat op de vensterbank.")
    add(app, family, "Dit is jouw verhaal.", kind=BookKind.story)
    db.session.commit()
    assert texts(family) == ["Oma Ria helpt jou.", "Beer gaat op de vensterbank."]
    assert services.page_counts(db.session, family.household.id) == {family.child.id: {BookKind.story: 1, BookKind.plan: 2}}
    assert services.page_counts(db.session, family.other_household.id) == {}


@pytest.mark.parametrize("text,reason", [
    ("", "empty"), ("   \n ", "empty"), ("...", "empty"),
    ("Een. Twee. Drie. Vier.", "too_many_sentences"),
    ("Oma komt" + " heel erg snel" * 40, "too_long"),
])
def test_a_page_needs_one_to_three_short_sentences(app, family, text, reason):
    with pytest.raises(TextProblem) as problem:
        add(app, family, text)
    assert problem.value.reason == reason


def test_three_sentences_and_a_text_without_full_stop_are_fine(app, family):
    add(app, family, "Mama is boos. Ze gaat naar de keuken! Is het weer rustig?")
    add(app, family, "Oma Ria")
    assert len(texts(family)) == 2


def test_moving_pages_up_and_down_and_not_past_the_ends(app, family):
    first, second, third = (add(app, family, t) for t in ("Een.", "Twee.", "Drie."))
    assert services.move_page(db.session, third, -1)
    assert texts(family) == ["Een.", "Drie.", "Twee."]
    assert services.move_page(db.session, first, 1)
    assert texts(family) == ["Drie.", "Een.", "Twee."]
    assert not services.move_page(db.session, third, -1)  # already first
    assert not services.move_page(db.session, second, 1)  # already last
    assert [p.position for p in services.book(db.session, family.child, PLAN).pages] == [1, 2, 3]


def test_deleting_a_page_renumbers_the_rest_and_removes_its_picture(app, family):
    add(app, family, "Een.")
    page = add(app, family, "Twee.", Picture(PictureKind.drawing, image=drawing()))
    add(app, family, "Drie.")
    path = services.picture_path(app.instance_path, page)
    assert path.is_file() and path.suffix == ".png"
    services.delete_page(db.session, app.instance_path, page)
    db.session.commit()
    assert texts(family) == ["Een.", "Drie."]
    assert [p.position for p in services.book(db.session, family.child, PLAN).pages] == [1, 2]
    assert not path.exists()


def test_a_new_picture_replaces_the_old_file_and_a_pictogram_needs_no_file(app, family):
    page = add(app, family, "Een.", Picture(PictureKind.photo, image=clean(jpeg_with_gps())))
    old = services.picture_path(app.instance_path, page)
    services.edit_page(db.session, app.instance_path, page, "Een!", Picture(PictureKind.drawing, image=drawing()))
    new = services.picture_path(app.instance_path, page)
    assert not old.exists() and new.is_file() and (page.picture_width, page.picture_height) == (600, 450)
    services.edit_page(db.session, app.instance_path, page, "Een?", None)  # text only: the picture stays
    assert new.is_file() and page.text == "Een?"
    services.edit_page(db.session, app.instance_path, page, "Een.", pictogram("home"))
    assert not new.exists() and page.picture is None and page.pictogram == "home"


def test_a_photo_is_stored_without_its_location(app, family):
    page = add(app, family, "Mijn tekening.", Picture(PictureKind.photo, image=clean(jpeg_with_gps())))
    stored = Path(services.picture_path(app.instance_path, page)).read_bytes()
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert b"PhoneMaker" not in stored
    assert services.picture_mimetype(page) == "image/jpeg"


def test_an_unknown_pictogram_is_refused(app, family):
    with pytest.raises(ValueError):
        add(app, family, "Een.", pictogram("not-a-pictogram"))


def test_page_at_counts_from_one_and_stays_with_the_child(app, family):
    add(app, family, "Een.")
    add(app, family, "Twee.")
    sibling = Child(household_id=family.household.id, first_name="Sam")
    stranger = Child(household_id=family.other_household.id, first_name="Noor")
    db.session.add_all([sibling, stranger])
    db.session.flush()
    book, page = services.page_at(db.session, family.child, PLAN, 2)
    assert page.text == "Twee." and len(book.pages) == 2
    assert services.page_at(db.session, family.child, PLAN, 0) is None
    assert services.page_at(db.session, family.child, PLAN, 3) is None
    assert services.page_at(db.session, sibling, PLAN, 1) is None
    assert services.page_at(db.session, stranger, PLAN, 1) is None


def test_each_child_has_their_own_books_and_an_erased_child_takes_theirs_along(app, family):
    from webapp.children.services import erase_removed
    from webapp.auth.models import utcnow
    from datetime import timedelta
    sibling = Child(household_id=family.household.id, first_name="Sam")
    db.session.add(sibling)
    db.session.flush()
    add(app, family, "Oma Ria helpt jou.")
    drawn = services.add_page(db.session, app.instance_path, sibling, PLAN, "Sam mag bij Kees aanbellen.",
                              Picture(PictureKind.drawing, image=drawing()))
    db.session.commit()
    assert texts(family) == ["Oma Ria helpt jou."]
    assert [p.text for p in services.book(db.session, sibling, PLAN).pages] == ["Sam mag bij Kees aanbellen."]
    assert services.page_counts(db.session, family.household.id) == {
        family.child.id: {BookKind.story: 0, BookKind.plan: 1}, sibling.id: {BookKind.story: 0, BookKind.plan: 1}}
    drawing_file = services.picture_path(app.instance_path, drawn)
    assert drawing_file.is_file()

    sibling.removed_at = utcnow() - timedelta(days=40)
    db.session.commit()
    assert erase_removed(db.session, app.instance_path, grace_days=30) == 1
    db.session.commit()
    assert services.page_counts(db.session, family.household.id) == {family.child.id: {BookKind.story: 0, BookKind.plan: 1}}
    assert not drawing_file.exists()  # the drawing went with the book
    assert texts(family) == ["Oma Ria helpt jou."]


def test_a_book_from_before_children_were_records_becomes_the_first_childs(app, family):
    old = WordsPictures(household_id=family.household.id, child_id=None, kind=PLAN)
    db.session.add(old)
    db.session.flush()
    db.session.add(Page(household_id=family.household.id, book=old, position=1, text="Oude pagina.",
                        picture_kind=PictureKind.pictogram, pictogram="home"))
    db.session.commit()
    assert texts(family) == ["Oude pagina."]  # shown as the child's book before anyone writes in it
    add(app, family, "Nieuwe pagina.")
    db.session.commit()
    assert old.child_id == family.child.id and texts(family) == ["Oude pagina.", "Nieuwe pagina."]
