"""Routes for the household's children: the list with its history, adding, changing, removing and undoing, the
child's safety persons, and the child's picture."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission
from webapp.children import services
from webapp.children.forms import AGE_BAND_HINTS, AGE_BAND_LABELS, ChildForm, SafetyPeopleForm
from webapp.extensions import db
from webapp.households.models import AgeBand, Child, ChildColour, Role
from webapp.households.services import people_with_role
from webapp import uploads as images

bp = Blueprint("children", __name__)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kring-child-picture")


def _kept(token: str | None) -> str | None:
    """A photo kept from an earlier try of this form, if the token is this household's and the file is there."""
    try:
        household_id, filename = _serializer().loads(token) if token else (None, None)
    except (BadSignature, ValueError, TypeError):
        return None
    path = services.upload_folder(current_app.instance_path, g.household.id) / str(filename)
    return filename if household_id == g.household.id and path.is_file() else None


def _input(form: ChildForm) -> services.ChildInput | None:
    """What the form says, or None with a message beside the field. A good new photo is kept for the next try."""
    upload, image = request.files.get(form.picture.name), None
    if upload and upload.filename:
        try:
            image = images.clean(upload.read(images.MAX_UPLOAD_BYTES + 1))
        except images.ImageRejected as rejected:
            form.picture.errors.append(rejected.photo_message)
    if image is not None:
        filename = services.keep_picture(current_app.instance_path, g.household.id, image)
        form.kept_picture.data = _serializer().dumps([g.household.id, filename])
    if not form.validate_on_submit() or form.picture.errors:
        return None
    return services.ChildInput(form.first_name.data, AgeBand(form.age_band.data), ChildColour(form.colour.data),
                               kept_picture=_kept(form.kept_picture.data), remove_picture=form.remove_picture.data)


@bp.route("/h/<int:household_id>/children")
@household_permission("children.read")
def index(household_id: int):
    return render_template("children/index.html", children=services.current(db.session, g.household),
                           removed=services.removed(db.session, g.household),
                           grace_days=current_app.config["ERASE_GRACE_DAYS"], erase_at=services.erase_at,
                           safety_people=lambda child: services.safety_people(db.session, child))


@bp.route("/h/<int:household_id>/children/new", methods=["GET", "POST"])
@household_permission("children.manage")
def add(household_id: int):
    form = ChildForm()
    data = _input(form) if form.is_submitted() else None
    if data is not None:
        child = services.add_child(db.session, current_app.instance_path, g.household, current_user, data)
        db.session.commit()
        flash(_("%(name)s is added. Open the child view from the home page.", name=child.first_name), "success")
        return redirect(url_for("children.index", household_id=household_id))
    return render_template("children/form.html", form=form, child=None, age_hints=AGE_BAND_HINTS)


@bp.route("/h/<int:household_id>/children/<int:child_id>", methods=["GET", "POST"])
@household_permission("children.manage")
def edit(household_id: int, child_id: int):
    child = _current_or_404(child_id)
    form = ChildForm(obj=None if request.method == "POST" else child,
                     data={"age_band": child.age_band.value, "colour": child.colour.value})
    data = _input(form) if form.is_submitted() else None
    if data is not None:
        services.edit_child(db.session, current_app.instance_path, child, current_user, data)
        db.session.commit()
        flash(_("The changes for %(name)s are saved.", name=child.first_name), "success")
        return redirect(url_for("children.index", household_id=household_id))
    people_form = SafetyPeopleForm(safety_people=sorted(services.chosen_safety_people(child)))
    _people_choices(people_form)
    return render_template("children/form.html", form=form, child=child, age_hints=AGE_BAND_HINTS,
                           people_form=people_form)


def _people_choices(form: SafetyPeopleForm) -> None:
    form.safety_people.choices = [(m.id, m.user.display_name)
                                  for m in people_with_role(db.session, g.household, Role.safety_person)]


@bp.route("/h/<int:household_id>/children/<int:child_id>/safety-people", methods=["POST"])
@household_permission("children.manage")
def safety_people(household_id: int, child_id: int):
    child = _current_or_404(child_id)
    form = SafetyPeopleForm()
    _people_choices(form)
    if not form.validate_on_submit():
        abort(400)
    services.set_safety_people(db.session, child, set(form.safety_people.data or []))
    db.session.commit()
    flash(_("The safety persons of %(name)s are saved.", name=child.first_name), "success")
    return redirect(url_for("children.index", household_id=household_id))


@bp.route("/h/<int:household_id>/children/<int:child_id>/remove", methods=["POST"])
@household_permission("children.manage")
def remove(household_id: int, child_id: int):
    child = _current_or_404(child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_child(db.session, child, current_user)
    db.session.commit()
    flash(_("%(name)s is removed. You can undo this for %(days)s days.", name=child.first_name,
            days=current_app.config["ERASE_GRACE_DAYS"]), "success")
    return redirect(url_for("children.index", household_id=household_id))


@bp.route("/h/<int:household_id>/children/<int:child_id>/undo", methods=["POST"])
@household_permission("children.manage")
def undo(household_id: int, child_id: int):
    child = get_in_household_or_404(Child, child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.undo_remove(db.session, child)
    db.session.commit()
    flash(_("%(name)s is back.", name=child.first_name), "success")
    return redirect(url_for("children.index", household_id=household_id))


@bp.route("/h/<int:household_id>/children/<int:child_id>/picture")
@household_permission("children.read")
def picture(household_id: int, child_id: int):
    child = get_in_household_or_404(Child, child_id)
    path = services.picture_path(current_app.instance_path, child)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _current_or_404(child_id: int) -> Child:
    child = get_in_household_or_404(Child, child_id)
    if child.removed_at is not None:
        abort(404)
    return child


def picture_url(child: Child) -> str:
    # The file name changes with every new photo: a phone that kept the old one asks for the new one.
    return url_for("children.picture", household_id=child.household_id, child_id=child.id, v=child.picture[:8])


bp.add_app_template_global(picture_url, "child_picture_url")


@bp.app_context_processor
def _labels() -> dict:
    return {"age_band_labels": AGE_BAND_LABELS}
