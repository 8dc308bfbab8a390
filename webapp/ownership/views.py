"""Routes for downloading one's own data and a household's records."""
from flask import Blueprint, Response, current_app, g
from flask_login import current_user

from webapp.auth.models import utcnow
from webapp.authz import household_permission, signed_in
from webapp.extensions import db
from webapp.ownership import services

bp = Blueprint("ownership", __name__)


def _download(data: bytes, stem: str) -> Response:
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{utcnow():%Y%m%d}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings/export")
@signed_in
def export_me():
    return _download(services.export_person(db.session, current_app.instance_path, current_user), "kring-my-data")


@bp.route("/h/<int:household_id>/export")
@household_permission("household.export")
def export_household(household_id: int):
    return _download(services.export_household(db.session, current_app.instance_path, g.household),
                     f"kring-household-{household_id}")
