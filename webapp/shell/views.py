"""Routes of the app shell. The manifest follows the person's discreet-name setting."""
from flask import Blueprint, jsonify, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import static_files
from webapp.authz import public

bp = Blueprint("shell", __name__)


def discreet() -> bool:
    return bool(current_user.is_authenticated and current_user.discreet)


@bp.app_context_processor
def inject_app_name():
    return {"app_name": _("Notes") if discreet() else "Kring", "discreet": discreet()}


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
