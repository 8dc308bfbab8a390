"""Routes of the genogram: the family tree, adding and changing a relative, how two relatives stand, and the
print version for A4."""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission
from webapp.children.services import current as current_children
from webapp.database import utcnow
from webapp.extensions import db
from webapp.genogram import services
from webapp.genogram.forms import SIDED, BondForm, RelativeForm
from webapp.genogram.labels import BOND_LABELS, KIN_LABELS, KIN_NAMES
from webapp.genogram.models import Bond, Kin, Relationship, Relative, Shape
from webapp.households.services import people as household_people
from webapp.safety_circle.services import people_on_circle

bp = Blueprint("genogram", __name__, url_prefix="/h/<int:household_id>/genogram")


def _page(template: str, **extra):
    people = services.relatives(db.session, g.household.id)
    ties = services.bonds(db.session, g.household.id)
    return render_template(template, people=people, ties=ties, tree=services.layout(people, ties),
                           kin_names=KIN_NAMES, kin_labels=KIN_LABELS, bond_labels=BOND_LABELS, **extra)


@bp.route("/")
@household_permission("genogram.read")
def tree(household_id: int):
    return _page("genogram/tree.html")


@bp.route("/print")
@household_permission("genogram.read")
def print_tree(household_id: int):
    return _page("genogram/tree_print.html", printed_at=utcnow())


def _choices(form: RelativeForm, relative: Relative | None) -> None:
    parents = [p for p in services.parents(services.relatives(db.session, g.household.id)) if p != relative]
    form.of.choices = [("", _("Both parents, or nobody's side"))] + [(str(p.id), p.name) for p in parents]
    form.member.choices = [("", _("Not in Kring"))] + [(str(m.id), m.user.display_name)
                                                       for m in household_people(db.session, g.household)]
    form.child.choices = [("", _("No"))] + [(str(c.id), c.first_name)
                                            for c in current_children(db.session, g.household)]
    form.circle_person.choices = [("", _("Not on the circle"))] + [
        (str(p.id), p.display_name) for p in people_on_circle(db.session, g.household.id)]


def _save(form: RelativeForm, relative: Relative) -> None:
    relative.name, relative.kin, relative.shape = form.name.data.strip(), Kin(form.kin.data), Shape(form.shape.data)
    of = get_in_household_or_404(Relative, int(form.of.data)) if form.of.data and form.kin.data in SIDED | {"child"} else None
    services.check_of(relative, of)
    relative.of = of
    relative.born, relative.deceased, relative.in_household = form.born.data, form.deceased.data, form.in_household.data
    relative.membership_id = int(form.member.data) if form.member.data else None
    relative.child_id = int(form.child.data) if form.child.data and form.kin.data == "child" else None
    relative.circle_person_id = int(form.circle_person.data) if form.circle_person.data else None


@bp.route("/add", methods=["GET", "POST"])
@household_permission("genogram.edit")
def add(household_id: int):
    form = RelativeForm()
    _choices(form, None)
    if form.validate_on_submit():
        relative = Relative(household_id=household_id)
        _save(form, relative)
        db.session.add(relative)
        db.session.commit()
        flash(_("%(name)s is in the family tree.", name=relative.name), "success")
        return redirect(url_for("genogram.tree", household_id=household_id))
    return render_template("genogram/relative.html", form=form, relative=None)


@bp.route("/<int:relative_id>", methods=["GET", "POST"])
@household_permission("genogram.edit")
def relative(household_id: int, relative_id: int):
    person = get_in_household_or_404(Relative, relative_id)
    form = RelativeForm(obj=None)
    _choices(form, person)
    if not form.is_submitted():
        form.name.data, form.kin.data, form.shape.data = person.name, person.kin.value, person.shape.value
        form.of.data = str(person.of_id or "")
        form.born.data, form.deceased.data, form.in_household.data = person.born, person.deceased, person.in_household
        form.member.data, form.child.data = str(person.membership_id or ""), str(person.child_id or "")
        form.circle_person.data = str(person.circle_person_id or "")
    if form.validate_on_submit():
        _save(form, person)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("genogram.tree", household_id=household_id))
    return render_template("genogram/relative.html", form=form, relative=person)


@bp.route("/<int:relative_id>/remove", methods=["POST"])
@household_permission("genogram.edit")
def remove(household_id: int, relative_id: int):
    person = get_in_household_or_404(Relative, relative_id)
    if EmptyForm().validate_on_submit():
        services.remove(db.session, person)
        db.session.commit()
        flash(_("%(name)s is no longer in the family tree.", name=person.name), "success")
    return redirect(url_for("genogram.tree", household_id=household_id))


@bp.route("/bonds", methods=["GET", "POST"])
@household_permission("genogram.edit")
def add_bond(household_id: int):
    form = BondForm()
    people = services.relatives(db.session, household_id)
    form.a.choices = form.b.choices = [("", _("Choose"))] + [(str(r.id), r.name) for r in people]
    if form.validate_on_submit():
        services.add_bond(db.session, household_id, get_in_household_or_404(Relative, int(form.a.data)),
                          get_in_household_or_404(Relative, int(form.b.data)), Bond(form.bond.data))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("genogram.tree", household_id=household_id))
    return render_template("genogram/bond.html", form=form)


@bp.route("/bonds/<int:relationship_id>/remove", methods=["POST"])
@household_permission("genogram.edit")
def remove_bond(household_id: int, relationship_id: int):
    tie = get_in_household_or_404(Relationship, relationship_id)
    if EmptyForm().validate_on_submit():
        db.session.delete(tie)
        db.session.commit()
    return redirect(url_for("genogram.tree", household_id=household_id))
