"""The main menu: at most four items in one row, the rest under "More", chosen per role so that each person's
daily pages are one tap away (the chair's network meeting in hers, a professional's summary in theirs).

Only for showing links: every route still checks its own permission."""
from dataclasses import dataclass

from flask import request, url_for

from webapp.authz import may, nav_membership
from webapp.i18n import lazy_gettext as _l

PRIMARY_SIZE = 4


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    url: str
    current: bool


# (key, label, endpoint, permission or None, endpoint prefixes that make it the current item)
_HOUSEHOLD_ITEMS = (
    ("home", _l("Home"), "households.home", "household.view", ("households.home",)),
    ("log", _l("Log"), "safety_log.timeline", "log.read", ("safety_log.",)),
    ("plan", _l("Plan"), "safety_plan.plan", "plan.read", ("safety_plan.",)),
    ("signals", _l("Signals"), "signals.history", "signal.read", ("signals.history", "signals.signal", "signals.raise_signal", "signals.alert_plan")),
    ("meetings", _l("Meetings"), "meetings.index", "meeting.read", ("meetings.",)),
    ("circle", _l("Safety circle"), "safety_circle.circle", "circle.read", ("safety_circle.",)),
    ("road", _l("Where are we?"), "trajectory.road", "road.read", ("trajectory.",)),
    ("genogram", _l("Family tree"), "genogram.tree", "genogram.read", ("genogram.",)),
    ("drills", _l("Practice drills"), "drills.index", "signal.drill_read", ("drills.",)),
    ("houses", _l("Three houses"), "three_houses.houses", "houses.read", ("three_houses.",)),
    ("calendar", _l("Calendar"), "resilience_calendar.week", "calendar.read", ("resilience_calendar.",)),
    ("scales", _l("Scales"), "safety_scales.overview", "scales.read", ("safety_scales.",)),
    ("invite", _l("Invite"), "invitations.invite", "members.invite", ("invitations.",)),
)

# Each person's four: the first of these lists whose items they may all open, filled up in this order.
_PRIMARY_BY_ROLE = {
    "chair": ("home", "log", "plan", "meetings"),
    "default": ("home", "log", "plan", "signals"),
}


def _is_current(prefixes: tuple[str, ...]) -> bool:
    endpoint = request.endpoint or ""
    return any(endpoint == p or (p.endswith(".") and endpoint.startswith(p)) for p in prefixes)


def _professional_items(membership) -> list[Item]:
    household_id = membership.household_id
    return [Item("caseload", str(_l("Your households")), url_for("professionals.caseload"),
                 request.endpoint == "professionals.caseload"),
            Item("summary", str(_l("Summary")), url_for("professionals.summary", household_id=household_id),
                 request.endpoint == "professionals.summary")]


def menu(professional_here: bool) -> tuple[list[Item], list[Item]]:
    """(the items in the row, the items under "More") for the signed-in person on this page."""
    membership = nav_membership()
    settings = Item("settings", str(_l("Settings")), url_for("auth.settings"),
                    (request.endpoint or "").startswith("auth.") or (request.endpoint or "").startswith("signals.devices"))
    if membership is None:
        return [Item("home", str(_l("Home")), url_for("households.index"), False)], [settings]
    if professional_here:
        return _professional_items(membership), [settings]
    items = {key: Item(key, str(label), url_for(endpoint, household_id=membership.household_id), _is_current(prefixes))
             for key, label, endpoint, permission, prefixes in _HOUSEHOLD_ITEMS if may(permission)}
    wanted = _PRIMARY_BY_ROLE["chair" if may("meeting.manage") else "default"]
    order = [k for k in wanted if k in items] + [k for k in items if k not in wanted]
    primary = order[:PRIMARY_SIZE]
    return [items[k] for k in primary], [items[k] for k in order[PRIMARY_SIZE:]] + [settings]
