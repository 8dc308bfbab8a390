"""Routes for signing in and out, passkeys and personal settings. Thin: the work is in services."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.auth import passkeys, services
from webapp.auth.forms import EmptyForm, LanguageForm, PasswordForm, SettingsForm, SignInForm
from webapp.auth.models import Passkey
from webapp.authz import public, signed_in
from webapp.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_key() -> str:
    return "login:" + (request.form.get("login") or "").strip().lower()


def safe_next(target: str | None) -> str:
    """Only ever redirect within Kring after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("households.index")


def _rp() -> tuple[str, str]:
    return passkeys.relying_party(current_app.config["WEBAUTHN_RP_ID"], request.host_url)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;50/hour", methods=["POST"])
@limiter.limit("20/hour", key_func=_login_key, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.login.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
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
    return jsonify(redirect=safe_next(request.args.get("next")))


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


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
def settings():
    form = SettingsForm(obj=current_user)
    if not form.locale.data:
        form.locale.data = str(request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "nl")
    if form.validate_on_submit():
        if services.email_taken(db.session, current_user, form.email.data):
            form.email.errors.append(_("This e-mail address is already used by another account."))
        else:
            form.populate_obj(current_user)
            current_user.email = (form.email.data or "").strip().lower() or None
            current_user.phone = (form.phone.data or "").strip() or None
            session["locale"] = form.locale.data
            db.session.commit()
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form, passkey_list=current_user.passkeys)


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
