"""The child lock. A child uses the child view on a grown-up's phone; once the grown-up has handed the phone over,
every other page of Kring asks for that grown-up's password (or passkey) first, so the child cannot wander into
the grown-ups' parts.

Handing over is one deliberate step: a child page asks "Are you giving the phone to Mila?" and only the grown-up's
confirming tap (a POST) locks. Nothing else sets the lock: not opening a child page, not a child page refreshing
itself, so a curious tap never locks a safety person out and a child's page on a shared phone never re-locks the
tab where the mother follows a signal.

Where the lock is kept, and why. "Keep me signed in" brings a person back from Flask-Login's remember cookie after
the browser was closed or the server restarted, with a new, empty session. So the lock is also kept in a cookie of
its own that lives as long as the remember cookie (`REMEMBER_COOKIE_DURATION`), signed with the app's SECRET_KEY
(itsdangerous), HttpOnly, SameSite=Lax, and Secure with the `__Host-` prefix under HTTPS. It names the person and the
household, and locks only that person. `locked_household()` reads it on every request but the app shell's, whoever
signed the person in (the password, a passkey, or the remember cookie), so every grown-up page and every download
asks for the password again. The session keeps a copy, and each copy restores the other.
Only two things remove it: unlocking with the password or a passkey, and a real sign-in (password, code or passkey,
`user_logged_in`), which proves who the grown-up is. A remember-cookie restore is not a sign-in and keeps the lock.
Signing out leaves the cookie in place: it locks only the person it names, and their next sign-in clears it.
Whoever signs in next on the browser has proved who they are, so the lock ends for them too.
A cookie rather than a table: no schema change, and a row per phone would need a cookie to find it anyway. What a
cookie cannot stop: someone who deletes exactly this cookie, with the browser's developer tools, and keeps the
remember cookie. That is beyond a child's tap, and a row on the server found through the remember cookie would
close the gap.
"""
from functools import wraps

from babel.lists import format_list
from flask import (Blueprint, Flask, current_app, g, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user, user_logged_in
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import PasswordField
from wtforms.validators import DataRequired

from webapp.auth.forms import EmptyForm
from webapp.auth.services import authenticate
from webapp.auth.views import safe_next
from webapp.authz import household_permission, signed_in
from webapp.children.services import current, current_child
from webapp.extensions import db, limiter
from webapp.forms import KringForm
from webapp.i18n import lazy_gettext as _l

KEY = "child_lock"  # in the session: {"user": id, "household": id, "child": id}
SALT = "kring.child-lock"
# Sent by the pages that refresh themselves (signals.js): a refresh is never a visit, and is refused with JSON.
REFRESH_HEADER = "X-Kring-Refresh"

# Reachable while locked, without being child pages: what child pages load or post to, and the hand-over step.
SAME_HOUSEHOLD = frozenset({"words_pictures.picture", "three_houses.drawing", "signals.undo", "child_lock.confirm"})
# Reachable while locked, whatever the household: the app shell, signing out, and the lock itself.
ALWAYS = frozenset({
    "static", "shell.service_worker", "shell.manifest", "shell.offline", "shell.csrf_token", "auth.sign_out",
    "auth.passkey_sign_in_options", "auth.passkey_sign_in", "child_lock.unlock", "plain_language.lists_json",
})


def child_page(permission: str):
    """Declares a page of the child view, for the members holding `permission`: the one mark that makes a page a
    child page. It stays open while the phone is locked for its household, shows none of the grown-ups' notices
    (base.html asks `for_the_child`), and a visit while the phone is not locked for its household first asks the
    grown-up to hand the phone over. After the permission check, so that whoever may not see it is told so."""
    def decorator(view):
        @wraps(view)
        def wrapper(household_id: int, *args, **kwargs):
            if request.method in ("GET", "HEAD") and not is_refresh() and locked_household() != household_id:
                here = request.full_path.rstrip("?")
                return redirect(url_for("child_lock.confirm", household_id=household_id, next=here), 303)
            g.child = _the_child(household_id)
            return view(household_id, *args, **kwargs)
        wrapper.kring_child_page = True
        return household_permission(permission)(wrapper)  # functools.wraps carries the mark to the outer view
    return decorator


def _the_child(household_id: int):
    """The child this child page is for: the one the phone was handed to, so a child never sees a sibling's view.
    Without a lock naming a child (a page refreshing itself, a lock from before), the household's only child."""
    if locked_household() == household_id and locked_child() is not None:
        return current_child(db.session, g.household, locked_child())
    children = current(db.session, g.household)
    return children[0] if len(children) == 1 or (children and locked_household() == household_id) else None


def is_child_page(endpoint: str | None = None) -> bool:
    """Is `endpoint` (by default this request's) a page of the child view?"""
    endpoint = request._get_current_object().endpoint if endpoint is None else endpoint
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return bool(getattr(view, "kring_child_page", False))


def for_the_child() -> bool:
    """Is this page for the child's eyes: a child page, or any page while the phone is locked (the unlock page
    is what a child sees who taps their way out)? Such pages show none of the grown-ups' notices."""
    return is_child_page() or locked_household() is not None


def is_refresh() -> bool:
    return request.headers.get(REFRESH_HEADER) == "1"


# --- where the lock is kept ---------------------------------------------------------------------------------------

def cookie_name() -> str:
    return "__Host-kring-child-lock" if current_app.config["HTTPS"] else "kring_child_lock"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _valid(lock) -> dict | None:
    if isinstance(lock, dict) and isinstance(lock.get("user"), int) and isinstance(lock.get("household"), int) \
            and isinstance(lock.get("child", 0), int):
        return lock
    return None


def _from_cookie() -> dict | None:
    raw = request.cookies.get(cookie_name())
    try:
        return _valid(_serializer().loads(raw)) if raw else None
    except BadSignature:
        return None


def locked_household() -> int | None:
    """The household whose child view the signed-in person handed over on this browser, or None."""
    user = current_user._get_current_object()  # the real objects: every page asks a dozen times
    if not user.is_authenticated:
        return None
    request_g = g._get_current_object()
    if "child_lock_household" not in request_g:
        stored, kept = session.get(KEY), _from_cookie()
        if isinstance(stored, int):  # a session locked before the lock named its person: the signed-in one
            stored = {"user": user.id, "household": stored}
        stored = _valid(stored)
        mine = [lock for lock in (stored, kept) if lock and lock["user"] == user.id]
        request_g.child_lock_household = mine[0]["household"] if mine else None
        request_g.child_lock_child = mine[0].get("child") if mine else None
        if mine:  # each copy restores the other: the session after a closed browser, the cookie once it expired
            _keep(mine[0], in_session=stored != mine[0], in_cookie=kept != mine[0])
    return request_g.child_lock_household


def locked_child() -> int | None:
    """The child whose view the phone was handed over for (None for a lock from before a household had children
    of its own: then the household's first child)."""
    return g.get("child_lock_child") if locked_household() is not None else None


def _keep(lock: dict, in_session: bool = True, in_cookie: bool = True) -> None:
    g.child_lock_household = lock["household"]
    g.child_lock_child = lock.get("child")
    if in_session:
        session[KEY] = lock
    if in_cookie:
        g.child_lock_cookie = lock


def set_lock(household_id: int, child_id: int | None = None) -> None:
    lock = {"user": current_user.id, "household": household_id}
    if child_id is not None:
        lock["child"] = child_id
    _keep(lock)


def clear_lock() -> None:
    session.pop(KEY, None)
    g.child_lock_household = None
    g.child_lock_child = None
    g.child_lock_cookie = None  # None: delete it


def _write_cookie(response):
    if "child_lock_cookie" not in g:
        return response
    lock_ = g.pop("child_lock_cookie")
    https = current_app.config["HTTPS"]
    if lock_ is None:
        response.delete_cookie(cookie_name(), path="/", secure=https, httponly=True, samesite="Lax")
    else:
        response.set_cookie(cookie_name(), _serializer().dumps(lock_), path="/", secure=https, httponly=True,
                            samesite="Lax", max_age=current_app.config["REMEMBER_COOKIE_DURATION"])
    return response


# --- what the lock lets through -----------------------------------------------------------------------------------

def allowed(endpoint: str | None, view_args: dict | None, form, household_id: int) -> bool:
    """May this request go ahead while the phone is locked for the child view of `household_id`?"""
    if endpoint is None or endpoint in ALWAYS:
        return True  # None: no such page, the 404 says so
    same_household = (view_args or {}).get("household_id") == household_id
    if endpoint == "signals.undo":
        return same_household and form.get("from") == "child"
    return same_household and (is_child_page(endpoint) or endpoint in SAME_HOUSEHOLD)


def _guard():
    if KEY not in session and cookie_name() not in request.cookies:
        return None  # not locked: no need to load the person
    if request.endpoint in ALWAYS:
        return None  # the app shell, signing out and the lock's own page: no need to load the person either
    household_id = locked_household()
    if household_id is None:
        return None
    if allowed(request.endpoint, request.view_args, request.form if request.method == "POST" else {}, household_id):
        return None
    if is_refresh() or request.accept_mimetypes.best == "application/json":
        return jsonify(error="child_lock", unlock=url_for("child_lock.unlock")), 403
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("child_lock.unlock", next=target.rstrip("?") if target else None), 303)


def _unlock_on_sign_in(sender, user, **extra) -> None:
    clear_lock()  # signing in is a grown-up proving who they are


# --- the pages ----------------------------------------------------------------------------------------------------

class UnlockForm(KringForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


bp = Blueprint("child_lock", __name__)


@bp.route("/h/<int:household_id>/child/start", methods=["GET", "POST"])
@household_permission("child.view")
def confirm(household_id: int):
    """Handing the phone to the child: the grown-up's one tap that locks it, for one child. With several children
    the grown-up taps the child's name, so the lock names whose view it is."""
    back = safe_next(request.args.get("next")) if request.args.get("next") else \
        url_for("households.child", household_id=household_id)
    if locked_household() == household_id:
        return redirect(back, 303)
    children = current(db.session, g.household)
    form = EmptyForm()
    if form.validate_on_submit() and children:
        chosen = next((c for c in children if str(c.id) == request.form.get("child_id")), None)
        if chosen is None and len(children) == 1:
            chosen = children[0]
        if chosen is not None:
            set_lock(household_id, chosen.id)
            return redirect(back, 303)
    return render_template("child_lock/confirm.html", form=form, children=children,
                           names=format_list([c.first_name for c in children], locale=str(get_locale())),
                           has_password=current_user.password_hash is not None)


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
            clear_lock()
            return redirect(back)
        form.password.errors.append(_("This password is not right. Try again."))
    return render_template("child_lock/unlock.html", form=form, household_id=household_id,
                           next=request.args.get("next")), (401 if form.password.errors else 200)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_guard)
    app.after_request(_write_cookie)
    app.add_template_global(is_child_page)
    app.add_template_global(for_the_child)
    user_logged_in.connect(_unlock_on_sign_in, app)
