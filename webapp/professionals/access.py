"""The access rule for professionals, which `webapp.authz.household_permission` asks on every household route of a
professional (registered as their admission by `create_app`).

A professional's membership counts only while one of the household's grants is active: once the household ends
it (or its end date passes) the next request gets 404, as for anyone outside, also in a session that is already
open. While it counts, the person must have proved a second factor in this session, every request is recorded
for the household, and the household's own home page leads to the summary.
"""
from flask import Response, g, redirect, request, url_for
from flask_login import current_user

from webapp.auth import two_step
from webapp.auth.models import utcnow
from webapp.authz import Admission
from webapp.extensions import db
from webapp.grants.services import active_grant
from webapp.households.models import Membership, Role
from webapp.professionals.services import record_view

# What a professional's request for the household's home (or the welcome page after joining) shows instead.
SUMMARY_INSTEAD = "household.view"


def admits(membership: Membership) -> bool:
    """Does the professional's membership count now? Not once their access has ended (treated as not a member)."""
    return active_grant(db.session, membership.household_id, membership.user_id, utcnow()) is not None


def _second_factor_page() -> Response:
    target = request.full_path.rstrip("?")
    if two_step.has_code_app(current_user):
        return redirect(url_for("auth.sign_in_code", next=target))
    return redirect(url_for("auth.two_step_setup", next=target))


def gate(membership: Membership, permission: str) -> Response | None:
    """For a professional who may see this page: a redirect when they must prove a second factor first, or to the
    summary instead of the household's home; else None. Every request that gets this far is recorded."""
    if not two_step.has_second_factor():
        return _second_factor_page()
    view = record_view(db.session, membership.household_id, membership.user_id, request.endpoint or "",
                       request.query_string.decode("utf-8", "replace"), utcnow())
    db.session.commit()  # recorded even when the page itself fails later
    g.professional_view_id = view.id
    if permission == SUMMARY_INSTEAD:
        return redirect(url_for("professionals.summary", household_id=membership.household_id))
    return None


def second_factor_needed() -> Response | None:
    """For pages outside a household that show households' data (the caseload): the same second factor."""
    if two_step.has_second_factor():
        return None
    return _second_factor_page()


ADMISSION = Admission(Role.professional, admits, gate)
