"""Routes for getting back in: "forgot your password?", recovery codes, reset links, and a household manager's new
sign-in for a person (with the person's banner and Cancel). Thin: the work is in webapp.auth.recovery."""
import logging
from datetime import datetime, timedelta

import segno
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp.auth import email_address, recovery, tasks, two_step
from webapp.auth.forms import EmptyForm, ForgotForm, MakeCodesForm, NewPasswordForm, RecoveryCodeForm
from webapp.auth.models import User, utcnow
from webapp.auth.services import authenticate
from webapp.auth.views import is_known_browser, login_key, safe_next
from webapp.authz import get_in_household_or_404, household_permission, public, signed_in
from webapp.extensions import db, limiter
from webapp.grants.services import is_professional
from webapp.households.models import Membership

bp = Blueprint("recovery", __name__)
log = logging.getLogger(__name__)
# In the session between a right recovery code and the new password: whose code, which one, until when.
GRANT_KEY = "recovery_grant"
GRANT_MINUTES = 15
# In the session right after joining: the new account may make its first codes without typing its password again.
JUST_JOINED_KEY = "just_joined"


@bp.app_context_processor
def _inject():
    return {"open_recovery_for_me": open_recovery_for_me}


def open_recovery_for_me():
    """The manager's request for the signed-in person that is still open: every page shows it, with Cancel."""
    user, request_g = current_user._get_current_object(), g._get_current_object()
    if not user.is_authenticated:
        return None
    if "open_recovery" not in request_g:
        request_g.open_recovery = recovery.open_manager_request(db.session, user.id)
    return request_g.open_recovery


# --- forgot your password? ---------------------------------------------------------------------------------------

@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;30/hour", methods=["POST"])
@limiter.limit("5/hour", key_func=login_key, methods=["POST"])
def forgot():
    form = ForgotForm()
    mail_on = email_address.mail_is_set_up(current_app.config)
    if form.validate_on_submit() and mail_on:
        # The same page whether or not the account or an address exists; the worker looks the account up.
        tasks.send_reset_link(form.login.data)
        return render_template("auth/forgot.html", form=form, sent=True, mail_on=mail_on,
                               minutes=recovery.EMAIL_LINK_MINUTES)
    return render_template("auth/forgot.html", form=form, sent=False, mail_on=mail_on)


@bp.route("/recover/code", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"], exempt_when=is_known_browser)
@limiter.limit("10/hour", key_func=login_key, methods=["POST"])
def use_code():
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        code = recovery.find_code(db.session, form.login.data, form.code.data, current_app.config["SECRET_KEY"])
        if code is not None:
            until = utcnow() + timedelta(minutes=GRANT_MINUTES)
            session[GRANT_KEY] = {"code": code.id, "user": code.user_id, "until": until.isoformat()}
            return redirect(url_for("recovery.new_password"))
        form.code.errors.append(_("This code does not work. Check the username and the code. Each code works "
                                  "only once."))
    return render_template("auth/recover_code.html", form=form), (401 if form.code.errors else 200)


def _granted() -> tuple[User | None, int | None]:
    grant = session.get(GRANT_KEY)
    if not grant or datetime.fromisoformat(grant["until"]) < utcnow():
        session.pop(GRANT_KEY, None)
        return None, None
    return db.session.get(User, grant["user"]), grant["code"]


def _second_factor_ok(user: User, form: NewPasswordForm) -> bool:
    """A person with a code app gives its code too: a reset never goes around their second factor."""
    if not two_step.has_code_app(user):
        return True
    try:
        if two_step.check_code(db.session, user.totp, form.code.data, current_app.config["SECRET_KEY"], utcnow()):
            return True
    except two_step.CodeAppUnreadable:
        log.warning("the code app secret of user %s cannot be read", user.id)
    form.code.errors.append(_("This code is not right. Type the code your code app shows now."))
    return False


def _password_set(user: User):
    """After the new password is saved: tell every device and mailbox of the person, and say what happened."""
    db.session.commit()
    tasks.send_account_notice(user.id, "password_changed")
    flash(_("Your new password is saved. You are signed out on all your other phones and computers. Sign in "
            "with your new password."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/recover/new-password", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"])
def new_password():
    user, code_id = _granted()
    if user is None:
        return redirect(url_for("recovery.use_code"))
    form = NewPasswordForm()
    if form.validate_on_submit() and _second_factor_ok(user, form):
        if recovery.use_code(db.session, code_id, utcnow()):
            recovery.set_new_password(db.session, user, form.new_password.data, utcnow())
            session.pop(GRANT_KEY, None)
            return _password_set(user)
        db.session.rollback()
        session.pop(GRANT_KEY, None)
        flash(_("This code was used just now. Use another one."), "error")
        return redirect(url_for("recovery.use_code"))
    return render_template("auth/recover.html", form=form, person=user, needs_code=two_step.has_code_app(user)), \
        (422 if form.errors else 200)


@bp.route("/recover/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"])
@limiter.limit("60/minute", methods=["GET"])
def link(token: str):
    """A reset link from the e-mail, or the one-time link a household manager hands over: opening it changes
    nothing; the new password does."""
    found = recovery.find_link(db.session, token, current_app.config["SECRET_KEY"], utcnow())
    if found is None:
        return render_template("auth/recover_link_unusable.html"), 410
    user = found.user
    form = NewPasswordForm()
    if form.validate_on_submit() and _second_factor_ok(user, form):
        if recovery.use_link(db.session, found, utcnow()):
            recovery.set_new_password(db.session, user, form.new_password.data, utcnow())
            return _password_set(user)
        db.session.rollback()
        return render_template("auth/recover_link_unusable.html"), 410
    return render_template("auth/recover.html", form=form, person=user, needs_code=two_step.has_code_app(user)), \
        (422 if form.errors else 200)


# --- the person's own page: codes, and the record of new sign-ins -------------------------------------------------

@bp.route("/settings/recovery")
@signed_in
def settings():
    return render_template("auth/recovery_settings.html", left=recovery.codes_left(db.session, current_user),
                           history=recovery.history(db.session, current_user), cancel_form=EmptyForm())


@bp.route("/settings/recovery/codes", methods=["GET", "POST"])
@signed_in
@limiter.limit("10/hour", key_func=lambda: f"codes:{current_user.get_id()}", methods=["POST"])
def codes():
    """"Keep these codes safe": the explanation and a button, then the new codes once (old ones stop working)."""
    form = MakeCodesForm()
    just_joined = session.get(JUST_JOINED_KEY) == current_user.id
    needs_password = current_user.password_hash is not None and not just_joined
    next_url = safe_next(request.args.get("next") or url_for("recovery.settings"))
    if form.validate_on_submit():
        if needs_password and authenticate(db.session, current_user.username, form.current_password.data or "") is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            new_codes = recovery.make_codes(db.session, current_user, current_app.config["SECRET_KEY"], utcnow())
            db.session.commit()
            session.pop(JUST_JOINED_KEY, None)
            return render_template("auth/recovery_codes.html", codes=new_codes, next_url=next_url)
    return render_template("auth/recovery_offer.html", form=form, needs_password=needs_password,
                           left=recovery.codes_left(db.session, current_user), next_url=next_url), \
        (422 if form.errors else 200)


@bp.route("/settings/recovery/cancel", methods=["POST"])
@signed_in
def cancel():
    """The owner's Cancel on the banner: the manager's new sign-in stops for good."""
    found = recovery.open_manager_request(db.session, current_user.id)
    if EmptyForm().validate_on_submit() and found is not None \
            and recovery.cancel(db.session, found, current_user, utcnow()):
        db.session.commit()
        if found.started_by_id is not None:
            tasks.send_account_notice(found.started_by_id, "recovery_cancelled", current_user.display_name)
        flash(_("The new sign-in is cancelled. Nobody can use it. Your password stays the same."), "success")
    return redirect(url_for("recovery.settings"))


# --- a household manager's new sign-in for a person ---------------------------------------------------------------

REFUSALS = {
    "self": lambda: _("You cannot do this for yourself. Use a recovery code, or the link in your e-mail."),
    "professional": lambda: _("A professional's account cannot get a new sign-in from the household."),
    "no_sign_in": lambda: _("This person does not sign in themselves."),
    "open": lambda: _("A new sign-in for this person is already waiting."),
}


def _qr_svg(url: str) -> Markup:
    return Markup(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", border=2, omitsize=True,
                                                       title=_("QR code of the link")))


def _person_key() -> str:
    return f"recovery-start:{request.view_args['household_id']}:{request.view_args['membership_id']}"


@bp.route("/h/<int:household_id>/people/<int:membership_id>/recovery", methods=["POST"])
@household_permission("members.manage")
@limiter.limit("3/day", key_func=_person_key)  # each start messages the person: starting again is no way to nag
def start(household_id: int, membership_id: int):
    membership = get_in_household_or_404(Membership, membership_id)
    back = redirect(url_for("households.member", household_id=household_id, membership_id=membership_id))
    if not EmptyForm().validate_on_submit():
        return back
    wait = timedelta(hours=current_app.config["RECOVERY_WAIT_HOURS"])
    try:
        started = recovery.start_manager_request(db.session, household_id, current_user, membership.user,
                                                 is_professional(db.session, membership.user_id), wait, utcnow())
    except recovery.RecoveryRefused as refused:
        flash(REFUSALS[refused.reason](), "error")
        return back
    db.session.commit()
    tasks.send_account_notice(membership.user_id, "recovery_started")
    flash(_("Started. %(name)s gets a message on their phone and can cancel it. You can make the link from "
            "%(moment)s.", name=membership.user.first_name, moment=_moment(started.ready_at)), "success")
    return back


def _moment(when: datetime) -> str:
    return format_datetime(when, "short")  # naive UTC, shown in the household's time zone


@bp.route("/h/<int:household_id>/people/<int:membership_id>/recovery/link", methods=["POST"])
@household_permission("members.manage")
def make_link(household_id: int, membership_id: int):
    """After the waiting period: the one-time link, shown once, to hand over in person."""
    membership = get_in_household_or_404(Membership, membership_id)
    found = recovery.latest_manager_request(db.session, membership.user_id, household_id)
    token = None
    if EmptyForm().validate_on_submit() and found is not None:
        token = recovery.make_manager_link(db.session, found, current_app.config["SECRET_KEY"], utcnow())
    if token is None:
        flash(_("There is no new sign-in ready for this person."), "error")
        return redirect(url_for("households.member", household_id=household_id, membership_id=membership_id))
    db.session.commit()
    url = url_for("recovery.link", token=token, _external=True)  # as invitation links: the address in use
    return render_template("auth/recovery_link.html", membership=membership, url=url, qr=_qr_svg(url),
                           hours=recovery.MANAGER_LINK_HOURS)
