"""Routes of Words & Pictures: each child's two books with their pages (made by the household and chair), a preview
and a print booklet, the pictures, and the child's view of a book, one page at a time."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from webapp import plain_language
from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission, may, nav_membership
from webapp.child_lock import child_page
from webapp.children.services import current
from webapp.extensions import db
from webapp.households.models import Child
from webapp import uploads as images
from webapp.words_pictures import services
from webapp.words_pictures.forms import (BOOK_EXPLANATIONS, BOOK_ICONS, BOOK_LABELS, CHILD_BOOK_LABELS, PICTOGRAM_LABELS,
                                         PICTURE_KINDS, PageForm, drawing_data_url, drawing_image)
from webapp.words_pictures.models import BookKind, Page, PictureKind

bp = Blueprint("words_pictures", __name__)
KIND = "<any(story, plan):kind>"


@bp.app_context_processor
def books_for_templates():
    """The home page's Words & Pictures links (each child's two books) and the child view's buttons (the books of
    the child the phone was handed to); each queries only when shown."""
    def home_books(children=None):
        """One link per child: their story (the picture plan is one tap further), with the pages of both.
        `children`: the household's current children, when the page has them already."""
        membership = nav_membership()
        if membership is None or not may("book.read"):
            return []
        children = current(db.session, membership.household) if children is None else children
        counts = services.page_counts(db.session, membership.household_id)
        return [{"child": child, "pages": sum(services.counts_for(counts, child, i == 0).values()),
                 "url": _book_url("words_pictures.book", child, children, kind=BookKind.story.value)}
                for i, child in enumerate(children)]

    def child_books():
        membership = nav_membership()
        child = g.get("child")
        if membership is None or child is None or not may("book.child"):
            return []
        counts = services.page_counts(db.session, membership.household_id)
        first = current(db.session, membership.household)[:1] == [child]
        pages = services.counts_for(counts, child, first)
        return [{"kind": kind.value, "pages": pages[kind]} for kind in BookKind if pages[kind]]

    return {"words_pictures_books": home_books, "child_books": child_books, "book_labels": BOOK_LABELS,
            "child_book_labels": CHILD_BOOK_LABELS, "book_icons": BOOK_ICONS, "book_url": _template_book_url}


def _book_url(endpoint: str, child: Child, children: list[Child], **values) -> str:
    """A grown-up page of this child's book. The household's first child needs no `child` in the address, so
    that a household with one child keeps short addresses."""
    if children[:1] != [child]:
        values["child"] = child.id
    return url_for(endpoint, household_id=child.household_id, **values)


def _template_book_url(endpoint: str, for_child: Child | None = None, **values) -> str:
    """In a book's templates: the book's pages for the child the page is about, or `for_child`'s."""
    return _book_url(endpoint, for_child or g.book_child, g.book_children, **values)


def _book_child() -> Child | None:
    """Whose book a grown-up page is about: `?child=<id>` (404 when not a current child of this household), else the
    household's first child; None when the household has no child yet."""
    children = current(db.session, g.household)
    wanted = request.args.get("child", type=int)
    if wanted is None:
        child = children[0] if children else None
    else:
        child = next((c for c in children if c.id == wanted), None)
        if child is None:
            abort(404)
    g.book_child, g.book_children = child, children
    return child


def _child_of(page: Page) -> Child:
    """The child a page's book belongs to (a book from before children were records: the household's first)."""
    children = current(db.session, g.household)
    child = next((c for c in children if c.id == page.book.child_id), None) if page.book.child_id else (
        children[0] if children else None)
    if child is None:
        abort(404)  # the child was removed: their book waits with them until the undo period ends
    g.book_child, g.book_children = child, children
    return child


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kring-words-pictures-photo")


def _kept_photo(token: str | None) -> tuple[str, int, int] | None:
    """The photo kept from an earlier try of this form, if the token is this household's and the file is there."""
    if not token:
        return None
    try:
        household_id, filename, width, height = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    folder = services.upload_folder(current_app.instance_path, g.household.id)
    if household_id != g.household.id or not (folder / filename).is_file() or services.picture_in_use(db.session, filename):
        return None  # in use: the form was sent twice, and two pages must not share (and delete) one file
    return filename, width, height


def _picture(form: PageForm, page: Page | None):
    """The picture the form asks for: a Picture, None to keep the page's picture, or False (with a message)."""
    kind = form.picture_kind.data
    if kind == "pictogram":
        if form.pictogram.data in services.PICTOGRAMS:
            return services.Picture(PictureKind.pictogram, pictogram=form.pictogram.data)
        form.pictogram.errors.append(_("Pick a pictogram."))
    elif kind == "drawing":
        try:
            if form.drawing.data:
                return services.Picture(PictureKind.drawing, image=drawing_image(form.drawing.data))
            form.picture_kind.errors.append(_("Draw the picture first, or choose another kind of picture."))
        except images.ImageRejected as rejected:
            form.picture_kind.errors.append(rejected.drawing_message)
    elif kind == "photo":
        upload = request.files.get(form.photo.name)
        if upload and upload.filename:
            try:
                return services.Picture(PictureKind.photo, image=images.clean(upload.read(images.MAX_UPLOAD_BYTES + 1)))
            except images.ImageRejected as rejected:
                form.photo.errors.append(rejected.photo_message)
                return False
        if (kept := _kept_photo(form.kept_photo.data)) is not None:
            return services.Picture(PictureKind.photo, stored=kept)
        if page is not None and page.picture_kind == PictureKind.photo:
            return None
        form.photo.errors.append(_("Choose a photo of the drawing."))
    else:
        form.picture_kind.errors.append(_("Choose a picture: a pictogram, a drawing or a photo."))
    return False


def _keep_for_next_try(form: PageForm, picture) -> None:
    """A good new photo on a form that must be sent again: keep it, so that it need not be chosen again."""
    if picture and picture.kind == PictureKind.photo and picture.image is not None:
        stored = services.keep_upload(current_app.instance_path, g.household.id, picture.image)
        form.kept_photo.data = _serializer().dumps([g.household.id, *stored])


def _save(form: PageForm, kind: BookKind, page: Page | None, child: Child):
    """Save the page when the form is right; returns the page, or None (the form shows what to fix)."""
    if not form.is_submitted():
        return None
    valid = form.validate()  # first: validating clears the messages of every field
    picture = _picture(form, page)
    if not valid or picture is False:
        _keep_for_next_try(form, picture)
        return None
    if page is None:
        page = services.add_page(db.session, current_app.instance_path, child, kind, form.text.data, picture)
    else:
        services.edit_page(db.session, current_app.instance_path, page, form.text.data, picture)
    db.session.commit()
    return page


def _after_save(page: Page):
    """Back to the book; or, when the text could be simpler, to the page with tips (saving is never blocked)."""
    if plain_language.check(page.text, str(get_locale()), _audience()):
        flash(_("The page is saved. Below are a few tips to make it easier for a child."), "success")
        return redirect(url_for(".edit_page", household_id=page.household_id, page_id=page.id, tips=1))
    flash(_("The page is saved."), "success")
    return redirect(_template_book_url(".book", kind=page.book.kind.value) + f"#page-{page.id}")


def _audience() -> str:
    """How simply the book must be written: shorter sentences for a child of six or under."""
    return "young_child" if g.book_child.young else "child"


def _form_page(form: PageForm, kind: str, page: Page | None = None, tips=None):
    form.text.render_kw = {**(form.text.render_kw or {}), "data-plain-language": _audience()}
    return render_template("words_pictures/page_form.html", form=form, kind=kind, page=page, tips=tips,
                           picture_kinds=PICTURE_KINDS, pictograms=services.PICTOGRAMS,
                           pictogram_labels=PICTOGRAM_LABELS), (422 if form.is_submitted() else 200)


@bp.route(f"/h/<int:household_id>/books/{KIND}")
@household_permission("book.read")
def book(household_id: int, kind: str):
    child = _book_child()
    if child is None:
        return render_template("words_pictures/no_child.html", kind=kind)
    found = services.book(db.session, child, BookKind(kind))
    return render_template("words_pictures/book.html", kind=kind, pages=found.pages if found else [], child=child,
                           explanation=BOOK_EXPLANATIONS[kind], pictograms=services.PICTOGRAMS,
                           pictogram_labels=PICTOGRAM_LABELS, action_form=EmptyForm())


@bp.route(f"/h/<int:household_id>/books/{KIND}/new", methods=["GET", "POST"])
@household_permission("book.edit")
def add_page(household_id: int, kind: str):
    child = _book_child()
    if child is None:
        return render_template("words_pictures/no_child.html", kind=kind)
    form = PageForm()
    if not form.is_submitted():
        form.picture_kind.data = "pictogram"
    page = _save(form, BookKind(kind), None, child)
    return _after_save(page) if page else _form_page(form, kind)


@bp.route("/h/<int:household_id>/books/pages/<int:page_id>/edit", methods=["GET", "POST"])
@household_permission("book.edit")
def edit_page(household_id: int, page_id: int):
    page = get_in_household_or_404(Page, page_id)
    child = _child_of(page)
    form = PageForm(obj=page)
    if not form.is_submitted():
        form.picture_kind.data = page.picture_kind.value if page.picture_kind else "pictogram"
        path = services.picture_path(current_app.instance_path, page)
        if page.picture_kind == PictureKind.drawing and path and path.is_file():
            form.drawing.data = drawing_data_url(path)
    saved = _save(form, page.book.kind, page, child)
    if saved:
        return _after_save(saved)
    audience = _audience()
    tips = [plain_language.message(hint, audience) for hint in plain_language.check(page.text, str(get_locale()), audience)
            ] if request.args.get("tips") else None
    return _form_page(form, page.book.kind.value, page, tips)


@bp.route("/h/<int:household_id>/books/pages/<int:page_id>/delete", methods=["GET", "POST"])
@household_permission("book.edit")
def delete_page(household_id: int, page_id: int):
    page = get_in_household_or_404(Page, page_id)
    _child_of(page)
    kind = page.book.kind.value
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_page(db.session, current_app.instance_path, page)
        db.session.commit()
        flash(_("The page is deleted."), "success")
        return redirect(_template_book_url(".book", kind=kind))
    return render_template("words_pictures/delete.html", page=page, kind=kind, form=form,
                           pictograms=services.PICTOGRAMS), (400 if form.is_submitted() else 200)


@bp.route("/h/<int:household_id>/books/pages/<int:page_id>/move", methods=["POST"])
@household_permission("book.edit")
def move_page(household_id: int, page_id: int):
    page = get_in_household_or_404(Page, page_id)
    _child_of(page)
    if not EmptyForm().validate_on_submit() or request.form.get("direction") not in ("up", "down"):
        abort(400)
    services.move_page(db.session, page, -1 if request.form["direction"] == "up" else 1)
    db.session.commit()
    return redirect(_template_book_url(".book", kind=page.book.kind.value) + f"#page-{page.id}")


@bp.route("/h/<int:household_id>/books/pages/<int:page_id>/picture")
@household_permission("book.read")
def picture(household_id: int, page_id: int):
    page = get_in_household_or_404(Page, page_id)
    path = services.picture_path(current_app.instance_path, page)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=services.picture_mimetype(page), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _book_page(child: Child | None, kind: str, number: int):
    found = services.page_at(db.session, child, BookKind(kind), number) if child is not None else None
    if found is None:
        abort(404)
    return found


@bp.route(f"/h/<int:household_id>/books/{KIND}/preview/<int:page_number>")
@household_permission("book.read")
def preview(household_id: int, kind: str, page_number: int):
    book_, page = _book_page(_book_child(), kind, page_number)
    return render_template("words_pictures/child_page.html", kind=kind, book=book_, page=page, number=page_number,
                           preview=True, pictograms=services.PICTOGRAMS)


@bp.route(f"/h/<int:household_id>/books/{KIND}/print")
@household_permission("book.read")
def print_book(household_id: int, kind: str):
    child = _book_child()
    if child is None:
        return render_template("words_pictures/no_child.html", kind=kind)
    found = services.book(db.session, child, BookKind(kind))
    return render_template("words_pictures/print.html", kind=kind, pages=found.pages if found else [], child=child,
                           pictograms=services.PICTOGRAMS)


@bp.route(f"/h/<int:household_id>/child/books/{KIND}/<int:page_number>")
@child_page("book.child")
def child_book(household_id: int, kind: str, page_number: int):
    book_, page = _book_page(g.child, kind, page_number)
    # Every page and picture of this book, for the phone to keep: the child can read it without a connection.
    offline = [url_for(".child_book", household_id=household_id, kind=kind, page_number=n)
               for n in range(1, len(book_.pages) + 1)]
    offline += [picture_url(p) for p in book_.pages if p.picture]
    return render_template("words_pictures/child_page.html", kind=kind, book=book_, page=page, number=page_number,
                           preview=False, offline_urls=offline, pictograms=services.PICTOGRAMS)


def picture_url(page: Page) -> str:
    # The file name changes with every new picture: a phone that kept the old one asks for the new one.
    return url_for("words_pictures.picture", household_id=page.household_id, page_id=page.id, v=page.picture[:8])


bp.add_app_template_global(picture_url, "book_picture_url")
