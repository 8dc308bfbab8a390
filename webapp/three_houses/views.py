"""Routes of the Three Houses: in the child view, the three houses and what is in each, and putting something in
one; for the grown-ups, what the child chose to let them see, its drawings, taking something away, and the child's
own page to print."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import uploads as images
from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission
from webapp.child_lock import child_page
from webapp.children.services import current as current_children
from webapp.extensions import db
from webapp.three_houses import services
from webapp.three_houses.forms import (HOUSE_LABELS, HOUSE_QUESTIONS, HOUSE_SHORT, PICTURE_LABELS, SHARE_LABELS,
                                       HouseItemForm)
from webapp.three_houses.models import House, HouseItem, ShareWith

bp = Blueprint("three_houses", __name__, url_prefix="/h/<int:household_id>")
HOUSES = "<any(worries, good, dreams):house>"


def _labels() -> dict:
    return {"house_labels": HOUSE_LABELS, "house_icons": services.HOUSE_ICONS, "share_labels": SHARE_LABELS}


@bp.app_context_processor
def house_words() -> dict:
    """For the houses' items wherever they show (the meeting pack and the summary too)."""
    return {"house_pictograms": services.PICTOGRAMS, "house_picture_labels": PICTURE_LABELS,
            "house_short": HOUSE_SHORT}


def _mine(children) -> dict[int, list[HouseItem]]:
    return services.items_for(db.session, g.household, g.membership, children)


@bp.route("/child/houses")
@child_page("child.view")
def child_houses(household_id: int):
    items = _mine([g.child]).get(g.child.id, []) if g.child else []
    return render_template("three_houses/child_houses.html", counts={h.value: sum(1 for i in items if i.house == h)
                                                                     for h in House}, **_labels())


@bp.route(f"/child/houses/{HOUSES}", methods=["GET", "POST"])
@child_page("child.view")
def child_house(household_id: int, house: str):
    if g.child is None:
        return redirect(url_for("households.child", household_id=household_id))
    form = HouseItemForm()
    if form.validate_on_submit():
        drawing, upload = None, request.files.get(form.photo.name)
        try:
            drawing = images.from_data_url(form.drawing.data) if form.drawing.data else None
        except images.ImageRejected as rejected:
            form.drawing.errors.append(rejected.drawing_message)
        if upload and upload.filename and not form.drawing.errors:
            try:  # checked by its content, scaled and written again without its metadata, like every photo
                drawing = images.clean(upload.read(images.MAX_UPLOAD_BYTES + 1))
            except images.ImageRejected as rejected:
                form.drawing.errors.append(rejected.photo_message)
        if not form.drawing.errors and not (drawing or form.pictogram.data or (form.words.data or "").strip()):
            form.words.errors.append(_("Draw something, pick a picture or say a few words."))
        if not form.drawing.errors and not form.words.errors:
            services.add(db.session, current_app.instance_path, g.child, current_user, House(house),
                         form.words.data or "", form.pictogram.data or None, drawing,
                         ShareWith(form.share_with.data or "helper"))
            db.session.commit()
            flash(_("It is in your house."), "success")
            return redirect(url_for("three_houses.child_house", household_id=household_id, house=house))
    items = [i for i in _mine([g.child])[g.child.id] if i.house.value == house]
    return render_template("three_houses/child_house.html", house=house, form=form, items=items,
                           question=HOUSE_QUESTIONS[house], **_labels())


@bp.route("/houses")
@household_permission("houses.read")
def houses(household_id: int):
    children = current_children(db.session, g.household)
    return render_template("three_houses/houses.html", children=children,
                           items=services.items_for(db.session, g.household, g.membership, children, with_removed=True),
                           printing=False, **_labels())


@bp.route("/houses/print")
@household_permission("houses.read")
def print_houses(household_id: int):
    children = current_children(db.session, g.household)
    chosen = [c for c in children if str(c.id) == request.args.get("child")] or children
    return render_template("three_houses/houses_print.html", children=chosen,
                           items=services.items_for(db.session, g.household, g.membership, chosen), printing=True,
                           **_labels())


def _visible(item_id: int) -> HouseItem:
    """The item, to someone who may see it; 404 to anyone else, as if it did not exist."""
    item = get_in_household_or_404(HouseItem, item_id)
    children = [item.child]
    if item not in services.items_for(db.session, g.household, g.membership, children, with_removed=True)[item.child_id]:
        abort(404)
    return item


@bp.route("/houses/items/<int:item_id>/drawing")
@household_permission("houses.read")
def drawing(household_id: int, item_id: int):
    path = services.picture_path(current_app.instance_path, _visible(item_id))
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png" if path.suffix == ".png" else "image/jpeg", max_age=0)


@bp.route("/houses/items/<int:item_id>/remove", methods=["POST"])
@household_permission("child.view")  # the grown-ups who sit with the child in the child view
def remove(household_id: int, item_id: int):
    """Only the grown-up who helped make it takes something out of a house (with the child); it is kept."""
    item = _visible(item_id)
    if item.helper_id != current_user.id:
        flash(_("Only the grown-up who helped put it in can take it out, with the child."), "error")
    elif EmptyForm().validate_on_submit():
        services.take_away(item)
        db.session.commit()
        flash(_("Taken out of the house. It is kept under “Taken away”."), "success")
    return redirect(url_for("three_houses.houses", household_id=household_id))
