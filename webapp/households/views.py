"""Routes for households: the list, the home page, members' roles and the child view."""
from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth import recovery
from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission, may, public, signed_in
from webapp.child_lock import child_page
from webapp.children.services import current as current_children, safety_people
from webapp.extensions import db
from webapp.households import parts, services
from webapp.households.forms import CreateHouseholdForm, RolesForm
from webapp.households.models import Membership, Role
from webapp.i18n import PHASE_EXPLANATIONS
from webapp.invitations.services import open_invitations
from webapp.ownership.services import removal_requests_waiting

bp = Blueprint("households", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    memberships = services.households_of(db.session, current_user)
    ids = [m.household_id for m in memberships]
    last = session.get("household_id")
    if last in ids or len(ids) == 1:
        return redirect(url_for("households.home", household_id=last if last in ids else ids[0]))
    return render_template("households/index.html", memberships=memberships)


@bp.route("/households")
@signed_in
def switch():
    return render_template("households/index.html", memberships=services.households_of(db.session, current_user))


@bp.route("/households/new", methods=["GET", "POST"])
@signed_in
def create():
    form = CreateHouseholdForm()
    if form.validate_on_submit():
        household = services.create_household(db.session, form.name.data, current_user, {Role(form.my_role.data)})
        db.session.commit()
        flash(_("The household is made. Here are its first steps."), "success")
        return redirect(url_for("households.home", household_id=household.id, _anchor="first-steps"))
    return render_template("households/create.html", form=form)


@bp.route("/h/<int:household_id>")
@household_permission("household.view")
def home(household_id: int):
    if session.get("household_id") != household_id:
        session["household_id"] = household_id  # only a change rewrites the session's cookie
    return render_template(
        "households/home.html",
        people=services.people(db.session, g.household),
        phase_explanation=PHASE_EXPLANATIONS[g.household.phase.value],
        # Only who may invite sees the invitations (the first steps, the count waiting): nobody else's page asks.
        invitations=open_invitations(db.session, g.household) if may("members.invite") else [],
        removal_requests=lambda: removal_requests_waiting(db.session, g.household),  # read only for who decides
        has_other_households=services.in_another_household(db.session, current_user, household_id),
        children=current_children(db.session, g.household),
        people_list=parts.people_list,
    )


@bp.route("/h/<int:household_id>/people/<int:membership_id>", methods=["GET", "POST"])
@household_permission("members.manage")
def member(household_id: int, membership_id: int):
    membership = get_in_household_or_404(Membership, membership_id)
    form = RolesForm(roles=[r.value for r in membership.roles])
    if form.validate_on_submit():
        roles = {Role(r) for r in form.roles.data}
        if services.professional_role_changed(membership, roles):
            form.roles.errors.append(_("A professional only reads the summary, for as long as the household allows: "
                                       "invite them as a professional with an end date, or end their access on the "
                                       "professionals' access page."))
        elif services.editors_left_without(db.session, membership, roles) == 0:
            form.roles.errors.append(_("Someone must stay able to manage the household: keep the household member or chair role."))
        else:
            services.set_roles(db.session, membership, roles)
            db.session.commit()
            flash(_("The roles of %(name)s are saved.", name=membership.user.display_name), "success")
            return redirect(url_for("households.home", household_id=household_id))
    return render_template("households/member.html", membership=membership, form=form,
                           recovery_request=recovery.latest_manager_request(db.session, membership.user_id, household_id),
                           now=utcnow())


@bp.route("/h/<int:household_id>/people/<int:membership_id>/remove", methods=["POST"])
@household_permission("members.manage")
def remove_member(household_id: int, membership_id: int):
    membership = get_in_household_or_404(Membership, membership_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.editors_left_without(db.session, membership, set()) == 0:
        flash(_("Someone must stay able to manage the household. First give another person the household member or chair role."), "error")
        return redirect(url_for("households.member", household_id=household_id, membership_id=membership_id))
    name = membership.user.display_name
    services.remove_member(db.session, membership)
    db.session.commit()
    flash(_("%(name)s is no longer part of this household in Kring.", name=name), "success")
    if membership.user_id == current_user.id:
        return redirect(url_for("households.index"))
    return redirect(url_for("households.home", household_id=household_id))


@bp.route("/h/<int:household_id>/child")
@child_page("child.view")
def child(household_id: int):
    return render_template(
        "households/child.html", child=g.child,
        safety_people=safety_people(db.session, g.child) if g.child else
        services.people_with_role(db.session, g.household, Role.safety_person),
    )
