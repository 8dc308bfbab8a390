"""The one place that answers "may this person do this in this household?".

Every view declares its policy with one of the decorators below; the route x role test walks the
URL map and fails on any view without one. Household data is read through `in_household`, so a
query that forgets the household is hard to write.
"""
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, abort, current_app, g, session
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db, login
from webapp.households.models import Household, Membership, Role

R = Role
ADULTS_WITH_SIGN_IN = frozenset(
    {R.household_member, R.safety_person, R.network_member, R.chair, R.professional}
)
EDITORS = frozenset({R.household_member, R.chair})
NETWORK = frozenset({R.household_member, R.safety_person, R.network_member, R.chair})

# permission -> roles that hold it. Professionals only ever read.
POLICY: dict[str, frozenset[Role]] = {
    "household.view": ADULTS_WITH_SIGN_IN,
    "household.edit": EDITORS,
    "members.invite": EDITORS,
    "members.manage": EDITORS,
    "child.view": frozenset({R.household_member, R.safety_person}),
    # The household's children are records, not people with a sign-in: the network sees them, the people who
    # manage the household add, change and remove them.
    "children.read": NETWORK,
    "children.manage": EDITORS,
    # The safety log is the network's own record; professionals see it summarised, not entry by entry.
    "log.read": frozenset({R.household_member, R.safety_person, R.network_member, R.chair}),
    "log.write": frozenset({R.household_member, R.safety_person, R.network_member, R.chair}),
    # A child writes on the phone of a parent or of their safety person.
    "log.child_message": frozenset({R.household_member, R.safety_person}),
    # The household's own records, all of them, as a file: only for the people who live there.
    "household.export": frozenset({R.household_member}),
    # A professional's access is ended by the household (a grant), not by leaving.
    "household.close": frozenset({R.household_member}),
    "household.leave": ADULTS_WITH_SIGN_IN - {R.professional},
    # Whether what a former member wrote is removed or kept as evidence: the household's own records, so
    # only the people who live there decide.
    "log.decide_removal": frozenset({R.household_member}),
    "calendar.read": frozenset({R.household_member, R.safety_person, R.network_member, R.chair}),
    "calendar.write": frozenset({R.household_member, R.safety_person, R.network_member, R.chair}),
    "calendar.child": frozenset({R.household_member, R.safety_person}),
    # Signals: the network raises, reads, answers and closes them; a child signals from the child view.
    "signal.raise": NETWORK,
    "signal.child": frozenset({R.household_member, R.safety_person}),
    "signal.read": NETWORK,
    "signal.respond": NETWORK,
    "alerts.manage": EDITORS,
    # Safety plan, danger statements and scales: the chair and household members write them, the network
    # reads them and every member scores. Professionals see them in their own read-only summary.
    "plan.read": NETWORK,
    "plan.edit": EDITORS,
    "scales.read": NETWORK,
    "scales.edit": EDITORS,
    "scales.score": NETWORK,
    "phase.move": frozenset({R.chair}),
    # Words & Pictures: made by the household with the network; the child sees them in the child view.
    "book.read": NETWORK,
    "book.edit": EDITORS,
    "book.child": frozenset({R.household_member, R.safety_person}),
    # Network meetings: the network reads them, replies and asks questions beforehand; only the chair plans,
    # records and shares the minutes. Professionals see meetings in their own read-only summary.
    "meeting.read": NETWORK,
    "meeting.respond": NETWORK,
    "meeting.manage": frozenset({R.chair}),
    # Professionals: the read-only summary (the household sees exactly what they see); the household decides
    # who has access and until when, and sees every view.
    "summary.read": EDITORS | {R.professional},
    # The safety circle is the network page: the network sees it, the household and the chair place people on it.
    # Professionals see it in their summary.
    "circle.read": NETWORK,
    "circle.edit": EDITORS,
    # The road so far: phases, meetings, plan versions and the scales' trend, for the network (professionals have
    # their summary).
    "road.read": NETWORK,
    # The family tree: for the first network meeting, made by the household and the chair, read by the network.
    "genogram.read": NETWORK,
    "genogram.edit": EDITORS,
    # Practice drills: the network sees them and takes part; the household and the chair plan and start them. Under
    # "signal." so that a member hidden from signals finds no drill either.
    "signal.drill_read": NETWORK,
    "signal.drill_manage": EDITORS,
    # The child's Three Houses: filled in by the child in the child view; each grown-up of the network sees what the
    # child chose to show them (never the house of worries for someone hidden from signals).
    "houses.read": NETWORK,
    "access.manage": EDITORS,
}
# A member named as "hidden from signals" (the worries may be about them) gets 404 for all of these, as
# if no signal ever existed.
HIDDEN_WHEN_SIGNALS_HIDDEN = ("signal.", "alerts.")

# Roles an inviter may hand out. Nobody can invite someone as a child with a sign-in of their own.
INVITABLE_ROLES = (R.household_member, R.safety_person, R.network_member, R.chair, R.professional)


@dataclass(frozen=True)
class Admission:
    """The extra rule for memberships that hold `role`, registered by the capability that owns the role (a
    professional counts only while a grant is active: `webapp.professionals.access`).

    `admits` says whether the membership counts now (if not: 404, as for anyone outside); `gate` runs once the
    permission holds and may answer instead of the view (a second factor first, another page as home), else None.
    """
    role: Role | None
    admits: Callable[[Membership], bool]
    gate: Callable[[Membership, str], Response | None]


# A membership holding one of these roles counts only through the admission registered for it. Without one it
# counts for nothing: a capability that failed to register fails closed.
GUARDED_ROLES = frozenset({R.professional})
_EVERYONE = Admission(role=None, admits=lambda membership: True, gate=lambda membership, permission: None)
_NOBODY = Admission(role=None, admits=lambda membership: False, gate=lambda membership, permission: None)


def register_admission(app: Flask, admission: Admission) -> None:
    app.extensions.setdefault("kring_admissions", {})[admission.role] = admission


def _admission_for(membership: Membership | None) -> Admission:
    if membership is None:
        return _EVERYONE
    guarded = GUARDED_ROLES & membership.roles
    if not guarded:
        return _EVERYONE
    registered = current_app.extensions.get("kring_admissions", {})
    if len(guarded) > 1 or (role := next(iter(guarded))) not in registered:
        return _NOBODY
    return registered[role]


def allows(roles: set[Role], permission: str) -> bool:
    return bool(POLICY[permission] & roles)


def _hidden_from(permission: str) -> bool:
    """Is `permission` one that a member hidden from signals does not hold?"""
    return permission.startswith(HIDDEN_WHEN_SIGNALS_HIDDEN)


def _hidden(membership: Membership, permission: str) -> bool:
    return membership.signals_hidden and _hidden_from(permission)


def holds(roles: frozenset[Role] | set[Role], signals_hidden: bool, permission: str) -> bool:
    """The rule `may` applies, for a membership's effective roles and whether it is hidden from signals (the main
    menu asks it for the menu it keeps)."""
    return allows(roles, permission) and not (signals_hidden and _hidden_from(permission))


def _roles(membership: Membership) -> set[Role]:
    """A professional's membership holds the professional's permissions only, whatever else it says."""
    return {R.professional} if R.professional in membership.roles else membership.roles


def effective_roles(membership: Membership) -> frozenset[Role]:
    """The roles whose permissions the membership holds (see _roles)."""
    return frozenset(_roles(membership))


def _mark(view, policy: str):
    view.kring_policy = policy
    return view


def public(view):
    """Anyone, signed in or not (sign-in page, joining by link, the app shell)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return _mark(wrapper, "public")


def signed_in(view):
    """Any signed-in person; the view only touches that person's own data."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login.unauthorized()
        return view(*args, **kwargs)
    return _mark(wrapper, "signed_in")


def household_permission(permission: str):
    """A member of the household in the URL holding `permission`.

    Someone outside the household gets 404, as if it did not exist; a member without the
    permission gets 403.
    """
    if permission not in POLICY:
        raise KeyError(permission)

    def decorator(view):
        @wraps(view)
        def wrapper(household_id: int, *args, **kwargs):
            user = current_user._get_current_object()
            if not user.is_authenticated:
                return login.unauthorized()
            membership = Membership.lookup(db.session, household_id, user.id)
            admission = _admission_for(membership)
            if membership is None or not admission.admits(membership) or _hidden(membership, permission):
                abort(404)
            if not allows(_roles(membership), permission):
                abort(403)
            g.household = membership.household
            g.membership = membership
            refused = admission.gate(membership, permission)
            if refused is not None:
                return refused
            return view(household_id, *args, **kwargs)
        return _mark(wrapper, f"household:{permission}")
    return decorator


def nav_membership() -> Membership | None:
    """The membership the menu is about: this page's household, else the one the person last opened.

    Only for showing or hiding menu items; every route still checks its own permission.
    """
    request_g = g._get_current_object()  # a page asks dozens of times: one look-up through the proxy, not three
    membership = getattr(request_g, "membership", None)
    if membership is not None:
        return membership
    if "nav_membership" not in request_g:
        request_g.nav_membership = None
        household_id = session.get("household_id")
        user = current_user._get_current_object()
        if user.is_authenticated and household_id:
            request_g.nav_membership = Membership.lookup(db.session, household_id, user.id)
    return request_g.nav_membership


def may(permission: str) -> bool:
    """For templates: does the person hold `permission` in the household the menu is about? Answered once per
    permission in a request (a page asks up to fifty times: a link or button per row); only for showing links."""
    membership = nav_membership()
    request_g = g._get_current_object()
    answers = getattr(request_g, "kring_may", None)
    if answers is None or answers[0] is not membership:
        answers = request_g.kring_may = (membership, {})
    known = answers[1].get(permission)
    if known is None:
        known = answers[1][permission] = membership is not None and holds(
            _roles(membership), membership.signals_hidden, permission)
    return known


def in_household(model):
    """A SELECT of `model` limited to the household of the current request."""
    household: Household = g.household
    return select(model).where(model.household_id == household.id)


def get_in_household_or_404(model, object_id: int):
    obj = db.session.scalar(in_household(model).where(model.id == object_id))
    if obj is None:
        abort(404)
    return obj
