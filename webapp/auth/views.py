"""Routes for signing in and out, passkeys and personal settings. Thin: the work is in services."""
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import segno
from flask import (Blueprint, after_this_request, current_app, flash, g, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user, user_logged_in, user_logged_out
from markupsafe import Markup

from webapp.auth import email_address, known_device, passkeys, services, tasks as auth_tasks, two_step
from webapp.auth.forms import CodeForm, EmptyForm, LanguageForm, PasswordForm, SettingsForm, SignInForm
from webapp.auth.models import Passkey, User, utcnow
from webapp.authz import public, signed_in
from webapp.extensions import db, limiter
from webapp.grants.services import has_active_grants, is_professional

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)
# In the session between the password and the code: who signed in, their session epoch, "keep me signed in", and
# until when the code may follow.
PENDING_KEY = "two_step_pending"
PENDING_MINUTES = 10


def _typed_login() -> str:
    return (request.form.get("login") or "").strip().lower()


def known_browser_for_login() -> str | None:
    """This browser's id when it signed in before as the account typed in the form; None otherwise."""
    if "known_device" not in g:
        user = services.find_by_login(db.session, _typed_login())
        g.known_device = None if user is None else known_device.device_for(
            current_app.config["SECRET_KEY"], request.cookies.get(known_device.COOKIE), user.id)
    return g.known_device


def login_key() -> str:
    """Failed tries for a username: from unknown browsers together (a stranger guessing), from each browser that
    signed in as that person before on its own, so that the guessing cannot lock the person out on their phone."""
    device = known_browser_for_login()
    return f"login:{_typed_login()}" + (f":known:{device}" if device else "")


def is_known_browser() -> bool:
    """The per-address limits do not hold back a browser the person signed in on before: at home the person and
    whoever guesses may share one internet address."""
    return known_browser_for_login() is not None


def remember_browser(user: User) -> None:
    """After a successful sign-in: this browser is now known for this person (see webapp.auth.known_device)."""
    value = known_device.remember(current_app.config["SECRET_KEY"], request.cookies.get(known_device.COOKIE), user.id)

    @after_this_request
    def _set(response):
        response.set_cookie(known_device.COOKIE, value, max_age=known_device.MAX_AGE_DAYS * 24 * 3600,
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), httponly=True,
                            samesite="Lax")
        return response


def safe_next(target: str | None) -> str:
    """Only ever redirect within Kring after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("households.index")


def _rp() -> tuple[str, str]:
    return passkeys.relying_party(current_app.config["WEBAUTHN_RP_ID"], request.host_url)


def landing(user: User) -> str:
    """Where a person goes after signing in: where they were going, else a professional's caseload, else home."""
    if request.args.get("next"):
        return safe_next(request.args.get("next"))
    if has_active_grants(db.session, user.id, utcnow()):
        return url_for("professionals.caseload")
    return url_for("households.index")


def _forget_second_factor(sender, user, **extra) -> None:
    """A new sign-in or a sign-out starts without the mark; the sign-in that proves it sets it again."""
    two_step.forget_second_factor()
    session.pop(PENDING_KEY, None)


@bp.record_once
def _connect_signals(state) -> None:
    user_logged_in.connect(_forget_second_factor)
    user_logged_out.connect(_forget_second_factor)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"], exempt_when=is_known_browser)
@limiter.limit("20/hour", key_func=login_key, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.login.data, form.password.data)
        if user is not None:
            db.session.commit()
            if two_step.has_code_app(user):
                _await_code(user, form.remember.data)
                return redirect(url_for("auth.sign_in_code", next=request.args.get("next")))
            login_user(user, remember=form.remember.data)
            remember_browser(user)
            return redirect(landing(user))
        failed = True
        form.password.errors.append(_("The username or password is not right. Check both and try again."))
    return render_template("auth/sign_in.html", form=form), (401 if failed else 200)


@bp.route("/sign-in/passkey/options", methods=["POST"])
@public
@limiter.limit("20/minute")
def passkey_sign_in_options():
    options, challenge = passkeys.authentication_options(_rp()[0])
    session["passkey_auth_challenge"] = challenge
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/sign-in/passkey", methods=["POST"])
@public
@limiter.limit("10/minute;50/hour")
def passkey_sign_in():
    challenge = session.pop("passkey_auth_challenge", None)
    rp_id, origin = _rp()
    try:
        if challenge is None:
            raise passkeys.PasskeyError("no challenge")
        user = passkeys.authenticate(db.session, request.get_data(as_text=True), challenge, rp_id, origin)
    except passkeys.PasskeyError:
        return jsonify(error=_("This passkey did not work. Try again, or sign in with your password.")), 400
    db.session.commit()
    login_user(user, remember=True)
    remember_browser(user)
    two_step.mark_second_factor()  # a passkey is something you have and something you are (or know): two factors
    return jsonify(redirect=landing(user))


def _await_code(user: User, remember: bool) -> None:
    """The password was right; the person is signed in once the code is right too."""
    until = utcnow() + timedelta(minutes=PENDING_MINUTES)
    session[PENDING_KEY] = {"user": user.id, "epoch": user.session_epoch, "remember": bool(remember),
                            "until": until.isoformat()}


def _code_user() -> tuple[User | None, dict | None]:
    """Who the code is for: the signed-in person (asked again for a code), or the one whose password was right."""
    if current_user.is_authenticated:
        return current_user, None
    pending = session.get(PENDING_KEY)
    if not pending or datetime.fromisoformat(pending["until"]) < utcnow():
        session.pop(PENDING_KEY, None)
        return None, None
    user = db.session.get(User, pending["user"])
    if user is None or user.session_epoch != pending["epoch"] or not user.can_sign_in:
        return None, None
    return user, pending


def _code_key() -> str:
    pending = session.get(PENDING_KEY) or {}
    who = current_user.get_id() if current_user.is_authenticated else pending.get("user")
    return f"code:{who}"


def _code_is_right(user: User, code: str) -> bool:
    try:
        return two_step.check_code(db.session, user.totp, code, current_app.config["SECRET_KEY"], utcnow())
    except two_step.CodeAppUnreadable:
        log.warning("the code app secret of user %s cannot be read: was the secret key changed?", user.id)
        return False


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"])
@limiter.limit("10/hour;30/day", key_func=_code_key, methods=["POST"])
def sign_in_code():
    user, pending = _code_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if not two_step.has_code_app(user):
        return redirect(url_for("auth.two_step_setup", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        if _code_is_right(user, form.code.data):
            db.session.commit()
            if pending is not None:
                login_user(user, remember=pending["remember"])
                remember_browser(user)
            two_step.mark_second_factor()
            return redirect(landing(user))
        form.code.errors.append(_("This code is not right. Type the code your code app shows now."))
    return render_template("auth/sign_in_code.html", form=form, signed_in=pending is None), \
        (401 if form.code.errors else 200)


def _qr_svg(uri: str) -> Markup:
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=2, omitsize=True,
                                                        title=_("QR code for your code app")))


@bp.route("/settings/two-step", methods=["GET", "POST"])
@signed_in
@limiter.limit("10/minute;50/hour", methods=["POST"])
def two_step_setup():
    if two_step.has_code_app(current_user):
        return render_template("auth/two_step_on.html", confirmed=two_step.has_second_factor())
    secret_key = current_app.config["SECRET_KEY"]
    secret = two_step.start_set_up(db.session, current_user, secret_key)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        if two_step.confirm(db.session, current_user, form.code.data, secret_key, utcnow()):
            db.session.commit()
            two_step.mark_second_factor()
            flash(_("Your code app is set up. From now on Kring asks for a code after your password."), "success")
            return redirect(landing(current_user))
        form.code.errors.append(_("This code is not right. Type the code your code app shows now."))
    return render_template("auth/two_step_setup.html", form=form, secret=two_step.grouped(secret),
                           qr=_qr_svg(two_step.provisioning_uri(current_user, secret))), \
        (422 if form.code.errors else 200)


@bp.route("/settings/two-step/remove", methods=["POST"])
@signed_in
def two_step_remove():
    """Set up a new code app (a new phone): only in a session that proved a second factor."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("auth.two_step_setup"))
    if not two_step.has_second_factor():
        return redirect(url_for("auth.sign_in_code", next=url_for("auth.two_step_setup")))
    two_step.remove(db.session, current_user)
    db.session.commit()
    two_step.forget_second_factor()
    return redirect(url_for("auth.two_step_setup"))


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out-everywhere", methods=["POST"])
@signed_in
def sign_out_everywhere():
    if EmptyForm().validate_on_submit():
        services.sign_out_everywhere(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are signed out on every phone and computer. Sign in again here."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


def _user_key() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
@limiter.limit("30/hour", key_func=_user_key, methods=["POST"])  # each new address sends an e-mail
def settings():
    form = SettingsForm(obj=current_user)
    mail_on = email_address.mail_is_set_up(current_app.config)
    if not mail_on:
        form.email.description = _("This server does not send e-mail, so a new address cannot be added.")
    if not form.locale.data:
        form.locale.data = str(request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "nl")
    if form.validate_on_submit():
        # A new address is never stored from the form, and never said to be taken: it goes in once its owner opens
        # the link sent to it (webapp.auth.email_address).
        asked = email_address.asked_for(current_user, form.email.data)
        if asked and not mail_on:
            form.email.errors.append(_("This server does not send e-mail, so a new address cannot be added. Leave "
                                       "the address as it was, or empty the field."))
        else:
            _save_settings(form, keep_email=bool(asked))
            db.session.commit()
            if asked:
                auth_tasks.send_check(current_user, asked)
                flash(email_address.sent_message(asked), "success")
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form, passkey_list=current_user.passkeys,
                           show_code_app=_shows_code_app(current_user))


def _save_settings(form: SettingsForm, keep_email: bool) -> None:
    kept = current_user.email
    form.populate_obj(current_user)
    current_user.email = kept if keep_email else email_address.normalise(form.email.data) or None
    current_user.phone = (form.phone.data or "").strip() or None
    session["locale"] = form.locale.data


@bp.route("/settings/email/<token>", methods=["GET", "POST"])
@signed_in
def confirm_email(token: str):
    """The link from the e-mail: one tap adds the address (a GET alone changes nothing, for mail scanners)."""
    claim = email_address.read_token(current_app.config["SECRET_KEY"], token)
    if claim is None or claim.user_id != current_user.id:
        return render_template("auth/email_link.html", problem="other" if claim else "old",
                               days=email_address.LINK_DAYS), 400
    form = EmptyForm()
    if form.validate_on_submit():
        if not email_address.add_confirmed(db.session, current_user, claim.address):
            return render_template("auth/email_link.html", problem="taken", address=claim.address), 409
        db.session.commit()
        flash(_("%(address)s is added to your account.", address=claim.address), "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/email_link.html", address=claim.address, form=form)


def _shows_code_app(user: User) -> bool:
    """A code app is offered to professionals (who must have a second factor) and to whoever has one."""
    return two_step.has_code_app(user) or is_professional(db.session, user.id)


@bp.route("/settings/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        has_password = current_user.password_hash is not None
        if has_password and services.authenticate(db.session, current_user.username, form.current_password.data or "") is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.set_password(current_user, form.new_password.data)
            db.session.commit()
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/password.html", form=form)


@bp.route("/settings/passkeys/options", methods=["POST"])
@signed_in
def passkey_register_options():
    options, challenge = passkeys.registration_options(current_user, _rp()[0], current_app.config["WEBAUTHN_RP_NAME"])
    session["passkey_reg_challenge"] = challenge
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/settings/passkeys", methods=["POST"])
@signed_in
def passkey_register():
    challenge = session.pop("passkey_reg_challenge", None)
    rp_id, origin = _rp()
    name = request.args.get("name") or _("Passkey")
    try:
        if challenge is None:
            raise passkeys.PasskeyError("no challenge")
        passkeys.register(db.session, current_user, request.get_data(as_text=True), challenge, rp_id, origin, name)
    except passkeys.PasskeyError:
        return jsonify(error=_("The passkey could not be added. Try again.")), 400
    db.session.commit()
    flash(_("Your passkey is added. Next time you can sign in with it."), "success")
    return jsonify(redirect=url_for("auth.settings"))


@bp.route("/settings/passkeys/<int:passkey_id>/delete", methods=["POST"])
@signed_in
def passkey_delete(passkey_id: int):
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != current_user.id:
        return render_template("errors/error.html", code=404), 404
    if EmptyForm().validate_on_submit():
        db.session.delete(passkey)
        db.session.commit()
        flash(_("The passkey is removed."), "success")
    return redirect(url_for("auth.settings"))
