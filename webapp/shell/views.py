"""Routes of the app shell. The manifest follows the person's discreet-name setting."""
import hashlib
import hmac

from flask import Blueprint, Response, current_app, jsonify, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp import static_files
from webapp.authz import public, signed_in
from webapp.child_lock import locked_household
from webapp.shell.footer import page_footer
from webapp.shell.navigation import main_menu

bp = Blueprint("shell", __name__)


def discreet() -> bool:
    user = current_user._get_current_object()
    return bool(user.is_authenticated and user.discreet)


@bp.app_context_processor
def inject_app_name():
    return {"app_name": _("Notes") if discreet() else "Kring", "discreet": discreet(), "main_menu": main_menu,
            "page_footer": page_footer}


@bp.route("/manifest.webmanifest")
@public
def manifest():
    hidden = discreet()
    icon = "notes" if hidden else "kring"
    data = {
        "id": "/",
        "name": _("Notes") if hidden else _("Kring – safety network"),
        "short_name": _("Notes") if hidden else "Kring",
        "start_url": url_for("households.index") + "?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#6b7280" if hidden else "#1d4f91",
        "description": _("A notebook.") if hidden else _("Together we keep the child safe."),
        "icons": [
            {"src": url_for("static", filename=f"icons/{icon}-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=f"icons/{icon}-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=f"icons/{icon}-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sw.js")
@public
def service_worker():
    # Served from the root so that its scope is the whole app; the built copy lists the fingerprinted names.
    path = static_files.built_path("js/sw.js")
    response = send_from_directory(path.parent, path.name, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


# Told to the service worker by every page, so that it keeps the pages one person may write in offline (the log
# composer, the child's message) for that person only, and keeps the child lock offline too (sw.js).
PERSON_HEADER = "X-Kring-Person"
CHILD_LOCK_HEADER = "X-Kring-Child-Lock"


def offline_person() -> str:
    """The signed-in person, as a name that means nothing outside this server: the same on each of their pages."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"kring.offline-person:{current_user.known_id}".encode(), hashlib.sha256).hexdigest()[:32]


@bp.after_app_request
def tell_the_service_worker(response: Response) -> Response:
    if response.mimetype != "text/html" or not current_user.is_authenticated:
        return response  # signed out: the service worker lets go of every kept page
    response.headers[PERSON_HEADER] = offline_person()
    if (household_id := locked_household()) is not None:
        response.headers[CHILD_LOCK_HEADER] = str(household_id)
    return response


@bp.route("/csrf-token")
@signed_in
def csrf_token():
    """A fresh form token for this session, for the outbox: an entry kept on the phone, or a page the service worker
    kept, may carry the token of an earlier session. Only this site's own scripts can read the answer."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("shell/offline.html")


@bp.route("/install")
@public
def install():
    return render_template("shell/install.html")


@bp.route("/privacy")
@public
def privacy():
    """What Kring keeps, who sees it and for how long, in plain words (with this server's own settings)."""
    return render_template("shell/privacy.html")
