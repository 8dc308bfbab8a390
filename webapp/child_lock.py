"""The child lock. A child uses the child view on a grown-up's phone; once a child page is open, every other
page of Kring asks for that grown-up's password (or passkey) first, so the child cannot wander into the
grown-ups' parts. Signing in again, or the password on the unlock page, opens the lock.
"""
from flask import Blueprint, Flask, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, user_logged_in
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from webapp.auth.services import authenticate
from webapp.auth.views import safe_next
from webapp.authz import signed_in
from webapp.extensions import db, limiter

KEY = "child_lock"  # in the session: the id of the household whose child view is open

# Opening one of these pages locks: the child view and the pages reached from it.
CHILD_ENDPOINTS = frozenset({
    "households.child", "safety_log.child_message", "resilience_calendar.child_add",
    "signals.child_worried", "signals.child_status", "words_pictures.child_book",
})
# Reachable while locked, without locking by themselves: what child pages load or post to.
SAME_HOUSEHOLD = frozenset({"words_pictures.picture", "signals.undo"})
# Reachable while locked, whatever the household: the app shell, signing out, and the lock itself.
ALWAYS = frozenset({
    "static", "shell.service_worker", "shell.manifest", "shell.offline", "auth.sign_out",
    "auth.passkey_sign_in_options", "auth.passkey_sign_in", "child_lock.unlock", "plain_language.lists_json",
})


def locked_household() -> int | None:
    return session.get(KEY)


def allowed(endpoint: str | None, view_args: dict | None, form) -> bool:
    """May this request go ahead while the child view of household `locked_household()` is open?"""
    if endpoint is None or endpoint in ALWAYS:
        return True  # None: no such page, the 404 says so
    same_household = (view_args or {}).get("household_id") == locked_household()
    if endpoint == "signals.undo":
        return same_household and form.get("from") == "child"
    return same_household and (endpoint in CHILD_ENDPOINTS or endpoint in SAME_HOUSEHOLD)


def _guard():
    if KEY not in session or not current_user.is_authenticated:
        return None
    if allowed(request.endpoint, request.view_args, request.form if request.method == "POST" else {}):
        return None
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error="child_lock", unlock=url_for("child_lock.unlock")), 403
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("child_lock.unlock", next=target.rstrip("?") if target else None), 303)


def _lock(response):
    if (request.endpoint in CHILD_ENDPOINTS and response.status_code < 400 and current_user.is_authenticated
            and (request.view_args or {}).get("household_id")):
        session[KEY] = request.view_args["household_id"]
    return response


def _unlock_on_sign_in(sender, user, **extra) -> None:
    session.pop(KEY, None)  # signing in is the grown-up proving who they are


class UnlockForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


bp = Blueprint("child_lock", __name__)


def _unlock_key() -> str:
    return f"unlock:{current_user.get_id()}"


@bp.route("/unlock", methods=["GET", "POST"])
@signed_in
@limiter.limit("10/minute;30/hour", key_func=_unlock_key, methods=["POST"])
def unlock():
    household_id = locked_household()
    back = safe_next(request.args.get("next")) if request.args.get("next") else (
        url_for("households.home", household_id=household_id) if household_id else url_for("households.index"))
    if household_id is None:
        return redirect(back)
    form = UnlockForm()
    if form.validate_on_submit():
        login_name = current_user.username or current_user.email or ""
        if authenticate(db.session, login_name, form.password.data) is not None:
            db.session.commit()  # a rehashed password
            session.pop(KEY, None)
            return redirect(back)
        form.password.errors.append(_("This password is not right. Try again."))
    return render_template("child_lock/unlock.html", form=form, household_id=household_id,
                           next=request.args.get("next")), (401 if form.password.errors else 200)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_guard)
    app.after_request(_lock)
    user_logged_in.connect(_unlock_on_sign_in, app)
