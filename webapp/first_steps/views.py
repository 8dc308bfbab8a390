"""The first steps' card on the household home. No pages of its own: each step links to where it is done."""
from flask import Blueprint, current_app, g, url_for

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.first_steps.services import NETWORK_AIM, Known, SafeObject, first_steps_on_home
from webapp.notify import sms
from webapp.safety_plan.views import in_force_on_this_page

bp = Blueprint("first_steps", __name__)


@bp.app_context_processor
def inject():
    def first_steps_for_home(people=None, children=None, invitations=None):
        """The card's steps; the home passes what it already loaded."""
        return first_steps_on_home(db.session, g.household, g.membership, utcnow(), sms.enabled(current_app.config),
                                   Known(people, children, invitations, in_force_on_this_page(g.household.id)))
    def first_steps_add_child_url():
        return url_for("children.add", household_id=g.household.id)
    return {"first_steps_add_child_url": first_steps_add_child_url, "first_steps_for_home": first_steps_for_home, "network_aim": NETWORK_AIM, "safe_object_states": SafeObject}
