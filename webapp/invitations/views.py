"""Routes for inviting people and for joining with a link."""
from zoneinfo import ZoneInfo

import segno
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_timezone, gettext as _
from flask_login import current_user, login_user
from markupsafe import Markup

from webapp.auth import email_address, tasks as auth_tasks
from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.auth.recovery_views import JUST_JOINED_KEY
from webapp.auth.views import remember_browser
from webapp.authz import get_in_household_or_404, household_permission, public
from webapp.extensions import db, limiter
from webapp.households.models import Role
from webapp.invitations import services
from webapp.invitations.forms import InvitationForm, JoinForm
from webapp.invitations.models import Invitation
from webapp.grants.services import DEFAULT_MONTHS, add_months, end_of_day, local_today

bp = Blueprint("invitations", __name__)


def _qr_svg(url: str) -> Markup:
    # segno writes plain SVG attributes (no style=), so the strict CSP is kept.
    return Markup(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=2, omitsize=True, title=_("QR code of the invitation link")))


def _access_end(form: InvitationForm):
    """The end of the last day of a professional's access, in the household's time zone; None for other roles."""
    if form.role.data != Role.professional.value:
        return None
    return end_of_day(form.access_until.data, _tz())


def _tz() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))


@bp.route("/h/<int:household_id>/invitations", methods=["GET", "POST"])
@household_permission("members.invite")
def invite(household_id: int):
    form = InvitationForm()
    form.today = local_today(utcnow(), _tz())
    if not form.is_submitted():
        form.days.data = current_app.config["INVITATION_DAYS"]
        # A first step links here with the role it is about ("Invite the safety person").
        if request.args.get("role") in {value for value, _label in form.role.choices}:
            form.role.data = request.args["role"]
        # The safety circle sends someone on it who is not in Kring yet here with their name in the session, so that
        # a name never travels in an address (and so in a server's log).
        if session.get("invitee_name"):
            form.invitee_name.data = str(session.pop("invitee_name"))[:80]
        form.access_until.data = add_months(form.today, DEFAULT_MONTHS)
    if form.validate_on_submit():
        new = services.create_invitation(db.session, g.household, current_user, form.invitee_name.data,
                                         Role(form.role.data), form.days.data, _access_end(form))
        db.session.commit()
        # The token is never stored: hand it to the next page once, through the signed session.
        session["new_invitation"] = {"id": new.invitation.id, "token": new.token}
        return redirect(url_for("invitations.created", household_id=household_id, invitation_id=new.invitation.id))
    return render_template("invitations/invite.html", form=form,
                           invitations=services.open_invitations(db.session, g.household))


@bp.route("/h/<int:household_id>/invitations/<int:invitation_id>")
@household_permission("members.invite")
def created(household_id: int, invitation_id: int):
    invitation = get_in_household_or_404(Invitation, invitation_id)
    fresh = session.pop("new_invitation", None)
    link = qr = None
    if fresh and fresh.get("id") == invitation.id:
        link = url_for("invitations.join", token=fresh["token"], _external=True)
        qr = _qr_svg(link)
    return render_template("invitations/created.html", invitation=invitation, link=link, qr=qr)


@bp.route("/h/<int:household_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@household_permission("members.invite")
def revoke(household_id: int, invitation_id: int):
    invitation = get_in_household_or_404(Invitation, invitation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.revoke(invitation)
    db.session.commit()
    flash(_("The link for %(name)s no longer works.", name=invitation.invitee_name), "success")
    return redirect(url_for("invitations.invite", household_id=household_id))


@bp.route("/join/<token>", methods=["GET", "POST"])
@public
@limiter.limit("20/minute;100/hour", methods=["POST"])
@limiter.limit("60/minute", methods=["GET"])
def join(token: str):
    invitation = services.find_by_token(db.session, token)
    if invitation is None:
        return render_template("invitations/unusable.html", status="unknown"), 404
    if invitation.status != "open":
        return render_template("invitations/unusable.html", status=invitation.status, invitation=invitation), 410
    if current_user.is_authenticated:
        return _join_signed_in(invitation)
    form = JoinForm(display_name=invitation.invitee_name)
    if not email_address.mail_is_set_up(current_app.config):
        del form.email  # an address is added through a link sent to it: without a mail server, not at all
    if form.validate_on_submit():
        # The same answer whether or not the username or the e-mail address already has an account.
        joined = services.join_with_new_account(db.session, invitation, form.display_name.data, form.username.data,
                                                form.password.data, session.get("locale"))
        db.session.commit()
        user = joined.user
        login_user(user, remember=True)
        remember_browser(user)
        flash(_("Welcome, %(name)s! You are now part of %(household)s.",
                name=user.first_name, household=invitation.household.name), "success")
        if user.username != joined.wanted_username:
            flash(_("“%(wanted)s” was already in use, so your username is %(username)s. Write it down: you sign in "
                    "with it.", wanted=joined.wanted_username, username=user.username), "success")
        if "email" in form and email_address.asked_for(user, form.email.data):
            auth_tasks.send_check(user, form.email.data)
            flash(email_address.sent_message(form.email.data), "success")
        if invitation.role == Role.professional:
            return redirect(_after_joining(invitation))
        # "Keep these codes safe", offered once the account exists; then the welcome page.
        session[JUST_JOINED_KEY] = user.id
        return redirect(url_for("recovery.codes", next=_after_joining(invitation)))
    return render_template("invitations/join.html", form=form, invitation=invitation)


def _join_signed_in(invitation: Invitation):
    """Someone with an account already: one button to add this household to theirs."""
    form = EmptyForm()
    if services.role_conflict(db.session, invitation, current_user):
        return render_template("invitations/join_signed_in.html", invitation=invitation, form=form,
                               already=True, conflict=True), 409
    if services.already_member(db.session, invitation, current_user) and not form.is_submitted():
        return render_template("invitations/join_signed_in.html", invitation=invitation, form=form, already=True)
    if form.validate_on_submit():
        services.accept(db.session, invitation, current_user)
        db.session.commit()
        flash(_("You are now part of %(household)s.", household=invitation.household.name), "success")
        if invitation.role == Role.professional:
            return redirect(_after_joining(invitation))
        return redirect(url_for("households.home", household_id=invitation.household_id))
    return render_template("invitations/join_signed_in.html", invitation=invitation, form=form, already=False)


def _after_joining(invitation: Invitation) -> str:
    """A professional goes to the summary (after setting up a second factor, which the access rule asks for);
    everyone else to the welcome page."""
    if invitation.role == Role.professional:
        return url_for("professionals.summary", household_id=invitation.household_id)
    return url_for("invitations.welcome", household_id=invitation.household_id)


@bp.route("/h/<int:household_id>/welcome")
@household_permission("household.view")
def welcome(household_id: int):
    return render_template("invitations/welcome.html")
