"""The demo household's two books: pictograms and very simple Dutch for Mila (7)."""
from webapp.extensions import db
from webapp.plain_language import check
from webapp.words_pictures import services
from webapp.words_pictures.demo_data import seed_demo
from webapp.words_pictures.models import BookKind, PictureKind


def test_demo_has_both_books_with_short_simple_pages(app, family):
    seed_demo(db.session, family.child, app.instance_path)
    db.session.commit()
    assert services.page_counts(db.session, family.household.id) == {family.child.id: {BookKind.story: 6, BookKind.plan: 6}}
    for kind in BookKind:
        for page in services.book(db.session, family.child, kind).pages:
            services.check_text(page.text)  # one to three sentences
            assert page.picture_kind == PictureKind.pictogram and page.pictogram in services.PICTOGRAMS
            assert page.picture is None  # nothing from outside, no files
            with app.test_request_context():
                assert check(page.text, "nl", "child") == [], page.text
    plan = [p.text for p in services.book(db.session, family.child, BookKind.plan).pages]
    assert any("Oma Ria" in t for t in plan) and any("Beer" in t for t in plan)  # who to go to, the safe object
