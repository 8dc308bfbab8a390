"""Routes of the road so far: the page, and its print version for A4."""
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template
from flask_babel import get_timezone

from webapp.authz import household_permission
from webapp.child_lock import child_page
from webapp.database import utcnow
from webapp.extensions import db
from webapp.trajectory import services

bp = Blueprint("trajectory", __name__, url_prefix="/h/<int:household_id>")


def _road() -> services.Road:
    return services.road(db.session, g.household, utcnow(), ZoneInfo(str(get_timezone())),
                         with_drills=not g.membership.signals_hidden)


@bp.route("/road")
@household_permission("road.read")
def road(household_id: int):
    return render_template("trajectory/road.html", road=_road())


@bp.route("/road/print")
@household_permission("road.read")
def print_road(household_id: int):
    return render_template("trajectory/road_print.html", road=_road(), printed_at=utcnow())


@bp.route("/child/road")
@child_page("child.view")
def child_road(household_id: int):
    """The child's version: the four steps in pictures and a few words, and where we are now."""
    return render_template("trajectory/child_road.html", phases=services.PHASES_FOR_THE_CHILD,
                           current=g.household.phase.value)
