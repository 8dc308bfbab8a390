"""The books through HTTP: making pages with a pictogram, a drawing or a photo; messages that keep what was
typed; order and deleting; the child's view; the home page; and nothing for another household."""
import io
import re

import pytest
from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import BOMB, bomb_data_url, jpeg_with_gps
from tests.test_child_lock import give_phone_to_child
from tests.words_pictures.test_services import add, drawing, drawing_data_url
from webapp.extensions import db
from webapp.households.models import Child
from webapp.words_pictures import services
from webapp.words_pictures.models import BookKind, Page, PictureKind
from webapp.words_pictures.services import Picture


def books(family) -> str:
    return f"/h/{family.household.id}/books"


def pages(family, kind=BookKind.plan):
    found = services.book(db.session, family.child, kind)
    return [(p.text, p.picture_kind.value, p.pictogram) for p in found.pages] if found else []


@pytest.fixture
def editor(client, family):
    sign_in_as(client, family.users["household_member"])
    return client


def test_the_chair_adds_a_pictogram_page(client, family):
    sign_in_as(client, family.users["chair"])
    form = client.get(f"{books(family)}/plan/new").text
    assert 'data-plain-language="child"' in form and 'data-page-form' in form
    response = client.post(f"{books(family)}/plan/new", data={
        "text": "Oma Ria is er altijd voor jou.", "picture_kind": "pictogram", "pictogram": "grandma"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/books/plan#page-%d" % db.session.scalar(select(Page.id)))
    assert pages(family) == [("Oma Ria is er altijd voor jou.", "pictogram", "grandma")]
    book = client.get(f"{books(family)}/plan").text
    assert "Oma Ria is er altijd voor jou." in book and _drawn("👵") in book and "The page is saved." in book


def test_an_empty_page_gets_a_clear_message_and_keeps_the_choice(editor, family):
    response = editor.post(f"{books(family)}/plan/new", data={"text": "  ", "picture_kind": "pictogram",
                                                              "pictogram": "teddy"})
    assert response.status_code == 422
    assert "Write one to three short sentences for this page." in response.text
    assert re.search(r'<input[^>]*checked[^>]*value="teddy"|<input[^>]*value="teddy"[^>]*checked', response.text)
    assert pages(family) == []


def test_four_sentences_are_refused_and_the_text_is_kept(editor, family):
    text = "Mama is boos. Ze gaat weg. Oma komt. Alles is goed."
    response = editor.post(f"{books(family)}/story/new", data={"text": text, "picture_kind": "pictogram",
                                                               "pictogram": "home"})
    assert response.status_code == 422 and "This page has 4 sentences. Keep at most 3" in response.text
    assert text in response.text
    assert pages(family, BookKind.story) == []


def test_a_picture_must_be_chosen(editor, family):
    response = editor.post(f"{books(family)}/plan/new", data={"text": "Oma helpt.", "picture_kind": "pictogram"})
    assert response.status_code == 422 and "Pick a pictogram." in response.text and "Oma helpt." in response.text
    response = editor.post(f"{books(family)}/plan/new", data={"text": "Oma helpt.", "picture_kind": "drawing"})
    assert "Draw the picture first" in response.text
    response = editor.post(f"{books(family)}/plan/new", data={"text": "Oma helpt."})
    assert "Choose a picture: a pictogram, a drawing or a photo." in response.text
    assert pages(family) == []


def test_a_drawing_page_is_stored_as_png_and_served_only_to_the_network(editor, app, client, family):
    editor.post(f"{books(family)}/plan/new", data={"text": "Ik teken.", "picture_kind": "drawing",
                                                   "drawing": drawing_data_url()})
    page = db.session.scalar(select(Page))
    assert page.picture_kind == PictureKind.drawing and page.picture.endswith(".png")
    url = f"{books(family)}/pages/{page.id}/picture"
    for person, status in (("safety_person", 200), ("network_member", 200), ("professional", 403), ("outsider", 404)):
        sign_in_as(client, family.users[person])
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert response.mimetype == "image/png" and "no-store" in response.headers["Cache-Control"]


def test_a_bad_drawing_is_refused_with_a_message(editor, family):
    response = editor.post(f"{books(family)}/plan/new", data={"text": "Ik teken.", "picture_kind": "drawing",
                                                              "drawing": "data:image/png;base64,bm9wZQ=="})
    assert response.status_code == 422 and "The drawing could not be saved. Try again." in response.text


def test_a_photo_or_drawing_declaring_huge_dimensions_is_refused_as_too_big(editor, family):
    photo = editor.post(f"{books(family)}/plan/new", content_type="multipart/form-data", data={
        "text": "Mijn grote tekening.", "picture_kind": "photo", "photo": (io.BytesIO(BOMB), "groot.png")})
    assert photo.status_code == 422
    assert "This photo is too big (too many pixels). Choose a smaller photo and try again." in photo.text
    assert "Mijn grote tekening." in photo.text
    drawn = editor.post(f"{books(family)}/plan/new", data={"text": "Ik teken groot.", "picture_kind": "drawing",
                                                           "drawing": bomb_data_url()})
    assert drawn.status_code == 422
    assert "This drawing is too big to save. Try again with a smaller drawing." in drawn.text
    assert "Ik teken groot." in drawn.text
    assert pages(family) == []


def test_a_photo_keeps_no_location_and_is_kept_when_the_text_needs_fixing(editor, app, family):
    response = editor.post(f"{books(family)}/plan/new", content_type="multipart/form-data", data={
        "text": "", "picture_kind": "photo", "photo": (io.BytesIO(jpeg_with_gps()), "tekening.jpg")})
    assert response.status_code == 422 and "Your photo is kept." in response.text
    kept = re.search(r'name="kept_photo" type="hidden" value="([^"]+)"', response.text).group(1)
    response = editor.post(f"{books(family)}/plan/new", data={"text": "Mijn tekening.", "picture_kind": "photo",
                                                              "kept_photo": kept})
    assert response.status_code == 302
    page = db.session.scalar(select(Page))
    assert page.picture_kind == PictureKind.photo and b"PhoneMaker" not in services.picture_path(
        app.instance_path, page).read_bytes()
    # The same form sent again (Back, then Save): the kept photo is already used and is not shared.
    again = editor.post(f"{books(family)}/plan/new", data={"text": "Nog een.", "picture_kind": "photo", "kept_photo": kept})
    assert again.status_code == 422 and "Choose a photo of the drawing." in again.text


def test_a_kept_photo_token_of_another_household_is_not_accepted(editor, client, family):
    response = editor.post(f"{books(family)}/plan/new", content_type="multipart/form-data", data={
        "text": "", "picture_kind": "photo", "photo": (io.BytesIO(jpeg_with_gps()), "tekening.jpg")})
    kept = re.search(r'name="kept_photo" type="hidden" value="([^"]+)"', response.text).group(1)
    db.session.add(Child(household_id=family.other_household.id, first_name="Noor"))
    db.session.commit()
    sign_in_as(client, family.users["outsider"])
    response = client.post(f"/h/{family.other_household.id}/books/plan/new", data={
        "text": "Gestolen.", "picture_kind": "photo", "kept_photo": kept})
    assert response.status_code == 422 and "Choose a photo of the drawing." in response.text


def test_not_a_photo_gets_a_message(editor, family):
    response = editor.post(f"{books(family)}/plan/new", content_type="multipart/form-data", data={
        "text": "Mijn tekening.", "picture_kind": "photo", "photo": (io.BytesIO(b"not an image"), "x.jpg")})
    assert response.status_code == 422 and "This file is not a photo." in response.text


def test_editing_keeps_the_picture_and_jargon_brings_tips_after_saving(editor, app, family):
    page = add(app, family, "Oma helpt.", Picture(PictureKind.drawing, image=drawing()))
    db.session.commit()
    form = editor.get(f"{books(family)}/pages/{page.id}/edit").text
    assert "data:image/png;base64," in form  # the drawing is back on the canvas, to draw on further
    response = editor.post(f"{books(family)}/pages/{page.id}/edit", data={
        "text": "De casusregie ligt bij Jeroen.", "picture_kind": "photo"})  # a photo page already? no: asks for one
    assert "Choose a photo of the drawing." in response.text
    response = editor.post(f"{books(family)}/pages/{page.id}/edit", data={
        "text": "De casusregie ligt bij Jeroen.", "picture_kind": "pictogram", "pictogram": "helper"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/pages/{page.id}/edit?tips=1")
    tips = editor.get(response.headers["Location"]).text
    assert "Tips to make it easier to read:" in tips and "“casusregie” is a word for professionals." in tips
    assert pages(family) == [("De casusregie ligt bij Jeroen.", "pictogram", "helper")]


def test_pages_move_and_are_deleted_after_asking(editor, app, family):
    first, second = add(app, family, "Een."), add(app, family, "Twee.")
    db.session.commit()
    editor.post(f"{books(family)}/pages/{second.id}/move", data={"direction": "up"})
    assert [t for t, _, _ in pages(family)] == ["Twee.", "Een."]
    assert editor.post(f"{books(family)}/pages/{second.id}/move", data={"direction": "sideways"}).status_code == 400
    assert "Delete this page?" in editor.get(f"{books(family)}/pages/{first.id}/delete").text
    editor.post(f"{books(family)}/pages/{first.id}/delete", data={})
    assert [t for t, _, _ in pages(family)] == ["Twee."]


def test_network_members_read_but_do_not_edit(client, app, family):
    add(app, family, "Oma helpt.")
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    book = client.get(f"{books(family)}/plan").text
    assert "Oma helpt." in book and "/books/plan/new" not in book
    assert client.get(f"{books(family)}/plan/new").status_code == 403


def test_another_households_member_gets_404_on_every_book_route(client, app, family):
    page = add(app, family, "Oma helpt.", Picture(PictureKind.drawing, image=drawing()))
    db.session.commit()
    sign_in_as(client, family.users["outsider"])
    base, other = books(family), f"/h/{family.other_household.id}/books"
    urls = [f"{base}/plan", f"{base}/story", f"{base}/plan/new", f"{base}/pages/{page.id}/edit",
            f"{base}/pages/{page.id}/delete", f"{base}/pages/{page.id}/picture", f"{base}/plan/preview/1",
            f"{base}/plan/print", f"/h/{family.household.id}/child/books/plan/1",
            # through their own household, where the page does not belong
            f"{other}/pages/{page.id}/edit", f"{other}/pages/{page.id}/picture", f"{other}/pages/{page.id}/delete"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/plan/new", f"{base}/pages/{page.id}/edit", f"{base}/pages/{page.id}/delete",
                f"{base}/pages/{page.id}/move", f"{other}/pages/{page.id}/move", f"{other}/pages/{page.id}/delete"):
        assert client.post(url, data={"direction": "up"}).status_code == 404, url
    assert pages(family) == [("Oma helpt.", "drawing", None)]


def test_the_child_view_offers_only_books_with_pages(editor, app, family):
    give_phone_to_child(editor, family.household.id)
    child_view = editor.get(f"/h/{family.household.id}/child").text
    assert "My plan" not in child_view and "My story" not in child_view
    add(app, family, "Oma helpt.")
    db.session.commit()
    child_view = editor.get(f"/h/{family.household.id}/child").text
    assert f'href="/h/{family.household.id}/child/books/plan/1"' in child_view and "My story" not in child_view


def test_the_child_reads_one_page_at_a_time(editor, app, family):
    add(app, family, "Oma helpt.")
    add(app, family, "Beer op de vensterbank.", Picture(PictureKind.drawing, image=drawing()))
    db.session.commit()
    base = f"/h/{family.household.id}/child/books/plan"
    give_phone_to_child(editor, family.household.id)
    first = editor.get(f"{base}/1").text
    assert "Oma helpt." in first and "Page 1 of 2" in first and f'href="{base}/2"' in first
    assert 'rel="prev"' not in first and "Read to me" in first and "data-offline-urls" in first
    last = editor.get(f"{base}/2").text
    assert "Beer op de vensterbank." in last and f'href="{base}/1"' in last and "The end" in last
    assert re.search(rf'<img class="book-page__image" src="/h/{family.household.id}/books/pages/\d+/picture\?v=', last)
    assert editor.get(f"{base}/3").status_code == 404
    assert editor.get(f"/h/{family.household.id}/child/books/story/1").status_code == 404


def test_chair_previews_and_prints_but_has_no_child_view(client, app, family):
    add(app, family, "Oma helpt.")
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    preview = client.get(f"{books(family)}/plan/preview/1").text
    assert "This is how the child sees the book." in preview and "data-offline-urls" not in preview
    printed = client.get(f"{books(family)}/plan/print").text
    assert printed.count('class="book-sheet"') == 1 and "Oma helpt." in printed
    assert client.get(f"/h/{family.household.id}/child/books/plan/1").status_code == 403
    assert client.get(f"/h/{family.household.id}").status_code == 200  # previewing does not lock


def test_the_home_page_shows_the_childs_books_to_the_network_only(client, app, family):
    add(app, family, "Oma helpt.")
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    home = client.get(f"/h/{family.household.id}").text
    assert f'href="/h/{family.household.id}/books/story"' in home and "Words & Pictures</span>" in home
    assert "1 page</span>" in home
    story = client.get(f"/h/{family.household.id}/books/story").text
    assert f'href="/h/{family.household.id}/books/plan"' in story  # the picture plan is one tap further
    sign_in_as(client, family.users["professional"])
    assert "/books/" not in client.get(f"/h/{family.household.id}").text


def test_with_two_children_each_has_their_own_books_on_the_home_the_pages_and_the_child_view(app, client, family):
    """Kim's books at the household's short address, Sam's behind ?child=; the home names whose book each link is;
    the phone handed to Sam opens only Sam's book."""
    sam = Child(household_id=family.household.id, first_name="Sam")
    db.session.add(sam)
    db.session.commit()
    add(app, family, "Kim mag oma Ria bellen.")
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    home = f"/h/{family.household.id}"
    links = client.get(home).text
    assert f'href="{home}/books/story"' in links and f'href="{home}/books/story?child={sam.id}"' in links
    assert "Words & Pictures of Kim" in links and "Words & Pictures of Sam" in links

    sams = client.get(f"{home}/books/plan?child={sam.id}").text
    assert "For Sam" in sams and "This book has no pages yet." in sams and "Kim mag oma Ria bellen." not in sams
    assert f'href="{home}/books/plan"' in sams  # to Kim's book of the same kind
    saved = client.post(f"{home}/books/plan/new?child={sam.id}", data={
        "text": "Sam mag bij Kees aanbellen.", "picture_kind": "pictogram", "pictogram": "home"})
    assert saved.status_code == 302 and f"/books/plan?child={sam.id}#page-" in saved.headers["Location"]
    assert pages(family) == [("Kim mag oma Ria bellen.", "pictogram", "teddy")]
    assert [p.text for p in services.book(db.session, sam, BookKind.plan).pages] == ["Sam mag bij Kees aanbellen."]
    kims = client.get(f"{home}/books/plan").text
    assert "For Kim" in kims and "Sam mag bij Kees aanbellen." not in kims
    assert "Sam mag" in client.get(f"{home}/books/plan/print?child={sam.id}").text
    assert "Sam mag" in client.get(f"{home}/books/plan/preview/1?child={sam.id}").text

    # Another household's child, or a made-up one, is not a way into this household's books.
    stranger = Child(household_id=family.other_household.id, first_name="Noor")
    db.session.add(stranger)
    db.session.commit()
    assert client.get(f"{home}/books/plan?child={stranger.id}").status_code == 404
    assert client.get(f"{home}/books/plan/new?child=999999").status_code == 404

    client.post(f"{home}/child/start", data={"child_id": str(sam.id)})
    view = client.get(f"{home}/child").text
    assert "Hello Sam!" in view and f"{home}/child/books/plan/1" in view and "My story" not in view
    assert "Sam mag bij Kees aanbellen." in client.get(f"{home}/child/books/plan/1").text


def test_a_household_without_a_child_is_asked_to_add_the_child_first(client, family):
    db.session.delete(family.child)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"{books(family)}/plan")
    assert page.status_code == 200 and "Each child has their own books. Add the child first." in page.text
    assert f"/h/{family.household.id}/children/new" in page.text
    assert client.get(f"{books(family)}/plan/new").status_code == 200
    assert client.get(f"{books(family)}/plan/preview/1").status_code == 404


def _drawn(emoji: str) -> str:
    """A piece of Kring's drawing of `emoji`, as a page shows it inline."""
    from webapp.pictograms import FOLDER, file_name
    return (FOLDER / file_name(emoji)).read_text().split(">", 1)[1][:80]
