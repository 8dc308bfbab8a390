"""Routes of the safety circle: the network page (the circle now or on an earlier day), putting someone on it, and
changing where someone stands."""
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_timezone, gettext as _
from flask_login import current_user

from webapp.authz import get_in_household_or_404, household_permission
from webapp.children.services import current as current_children
from webapp.database import utcnow
from webapp.extensions import db
from webapp.grants.services import end_of_day, local_today
from webapp.households.services import people
from webapp.safety_circle import services
from webapp.safety_circle.forms import OFF, AddPersonForm, EarlierForm, MoveForm, PlaceForm
from webapp.safety_circle.labels import RING_LABELS, RING_NAMES
from webapp.safety_circle.models import CirclePerson, Ring

bp = Blueprint("safety_circle", __name__)


def _tz() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))


@bp.route("/h/<int:household_id>/circle")
@household_permission("circle.read")
def circle(household_id: int):
    earlier = EarlierForm(request.args)
    today = local_today(utcnow(), _tz())
    on = None
    if request.args.get("on"):
        if not earlier.validate() or earlier.on.data is None:
            earlier.on.errors = [_("Write the date as day, month and year, for example 1 March 2026.")]
        elif earlier.on.data >= today:
            earlier.on.errors = [_("Choose a day before today. Today's circle is shown below.")]
        else:
            on = earlier.on.data
    when = end_of_day(on, _tz()) if on else None
    shown = services.circle_on(db.session, household_id, when)
    history = services.inner_ring_over_time(db.session, household_id)
    return render_template(
        "safety_circle/circle.html", circle=shown, on=on, earlier=earlier,
        picture=services.drawing(shown, current_children(db.session, g.household)), history=history,
        growth=services.growth_chart(history, utcnow()) if history else None, ring_names=RING_NAMES,
        ring_labels=RING_LABELS, rings=services.RINGS, aim=services.AIM)


def _member_choices(form, members) -> None:
    form.member.choices = [("", _("Someone not in Kring"))] + [(str(m.id), m.user.display_name) for m in members]


@bp.route("/h/<int:household_id>/circle/add", methods=["GET", "POST"])
@household_permission("circle.edit")
def add(household_id: int):
    form = AddPersonForm()
    members = services.members_not_on_circle(db.session, g.household, people(db.session, g.household))
    _member_choices(form, members)
    if form.validate_on_submit():
        membership = next((m for m in members if str(m.id) == form.member.data), None)
        person = services.place(db.session, g.household, current_user, Ring(form.ring.data), form.name.data or "",
                                form.relation.data or "", membership)
        db.session.commit()
        flash(_("%(name)s is on the circle.", name=person.display_name), "success")
        return redirect(url_for("safety_circle.circle", household_id=household_id))
    return render_template("safety_circle/add.html", form=form, has_members=bool(members))


@bp.route("/h/<int:household_id>/circle/<int:circle_person_id>", methods=["GET", "POST"])
@household_permission("circle.edit")
def person(household_id: int, circle_person_id: int):
    person = get_in_household_or_404(CirclePerson, circle_person_id)
    form = PlaceForm()
    members = [] if person.membership is not None else services.members_not_on_circle(
        db.session, g.household, people(db.session, g.household))
    _member_choices(form, members)
    form.member.choices[0] = ("", _("Not in Kring (yet)"))
    if not form.is_submitted():
        form.ring.data = person.current.ring.value if person.current else OFF
        form.relation.data = person.relation
    if form.validate_on_submit():
        services.save_place(db.session, person, form.ring.data, form.relation.data or "",
                            next((m for m in members if str(m.id) == form.member.data), None), current_user)
        db.session.commit()
        flash(_("Saved where %(name)s stands.", name=person.display_name), "success")
        return redirect(url_for("safety_circle.circle", household_id=household_id))
    return render_template("safety_circle/person.html", form=form, person=person, ring_labels=RING_LABELS)


@bp.route("/h/<int:household_id>/circle/<int:circle_person_id>/move", methods=["POST"])
@household_permission("circle.edit")
def move(household_id: int, circle_person_id: int):
    """Where a drag on the drawing ends: another ring, or apart with the professionals."""
    person = get_in_household_or_404(CirclePerson, circle_person_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _("Choose where this person stands."), 400
    if services.move(db.session, person, Ring(form.ring.data), current_user):
        db.session.commit()
        flash(_("Saved where %(name)s stands.", name=person.display_name), "success")
    return redirect(url_for("safety_circle.circle", household_id=household_id))


@bp.route("/h/<int:household_id>/circle/<int:circle_person_id>/invite", methods=["POST"])
@household_permission("members.invite")
def invite(household_id: int, circle_person_id: int):
    """To the invitation for someone on the circle who is not in Kring yet, with their name filled in and the role
    that fits their place (a professional's, or a network member's); the name goes in the session, not the address."""
    person = get_in_household_or_404(CirclePerson, circle_person_id)
    session["invitee_name"] = person.name
    role = "professional" if person.current is not None and person.current.ring == Ring.professional else "network_member"
    return redirect(url_for("invitations.invite", household_id=household_id, role=role))
