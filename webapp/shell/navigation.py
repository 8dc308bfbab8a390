"""The main menu: at most four items in one row, the rest under "More", chosen per role so that each person's
daily pages are one tap away (the chair's network meeting in hers, a professional's summary in theirs).

Only for showing links: every route still checks its own permission."""
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from webapp.authz import effective_roles, holds, nav_membership
from webapp.households.models import Role
from webapp.i18n import lazy_gettext as _l

PRIMARY_SIZE = 4
MENUS_KEPT = 2048  # per process: a few hundred households' people on their daily pages


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class MenuFor:
    """Everything a menu depends on, and nothing else: the menu of one MenuFor is the same for every person and
    request it stands for."""
    household_id: int | None  # None: the person is in no household (yet)
    roles: frozenset[Role]
    signals_hidden: bool
    professional: bool
    endpoint: str


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


def _is_current(endpoint: str, prefixes: tuple[str, ...]) -> bool:
    return any(endpoint == p or (p.endswith(".") and endpoint.startswith(p)) for p in prefixes)


def _professional_items(of: MenuFor) -> list[Item]:
    return [Item("caseload", str(_l("Your households")), url_for("professionals.caseload"),
                 of.endpoint == "professionals.caseload"),
            Item("summary", str(_l("Summary")), url_for("professionals.summary", household_id=of.household_id),
                 of.endpoint == "professionals.summary")]


def menu_for(of: MenuFor) -> tuple[list[Item], list[Item]]:
    """(the items in the row, the items under "More") of that menu."""
    settings = Item("settings", str(_l("Settings")), url_for("auth.settings"),
                    of.endpoint.startswith("auth.") or of.endpoint.startswith("signals.devices"))
    if of.household_id is None:
        return [Item("home", str(_l("Home")), url_for("households.index"), False)], [settings]
    if of.professional:
        return _professional_items(of), [settings]

    def may(permission: str) -> bool:
        return holds(of.roles, of.signals_hidden, permission)

    items = {key: Item(key, str(label), url_for(endpoint, household_id=of.household_id), _is_current(of.endpoint, prefixes))
             for key, label, endpoint, permission, prefixes in _HOUSEHOLD_ITEMS if may(permission)}
    wanted = _PRIMARY_BY_ROLE["chair" if may("meeting.manage") else "default"]
    order = [k for k in wanted if k in items] + [k for k in items if k not in wanted]
    primary = order[:PRIMARY_SIZE]
    return [items[k] for k in primary], [items[k] for k in order[PRIMARY_SIZE:]] + [settings]


def this_menu(professional_here: bool) -> MenuFor:
    """The menu of the signed-in person on this page."""
    membership = nav_membership()
    endpoint = request.endpoint or ""
    if membership is None:
        return MenuFor(None, frozenset(), False, False, endpoint)
    return MenuFor(membership.household_id, effective_roles(membership), membership.signals_hidden, professional_here,
                   endpoint)


def main_menu(professional_here: bool) -> Markup:
    """The main menu's HTML for the signed-in person on this page. Every page shows it, and the same one over and
    over: each process keeps the last couple of thousand it made, by what the menu depends on (MenuFor), the
    language and the address the app is served under. It holds labels and links only, nothing personal."""
    rendered = current_app.extensions.get("kring_main_menus")
    if rendered is None:
        rendered = current_app.extensions["kring_main_menus"] = lru_cache(maxsize=MENUS_KEPT)(_render)
    return rendered(this_menu(professional_here), str(get_locale()), request.script_root)


def _render(of: MenuFor, locale: str, script_root: str) -> Markup:
    """The language and the address the app is served under are only the kept menu's key: the labels and the links
    are made in this request, which has both."""
    row, more = menu_for(of)
    return Markup(render_template("components/_main_menu.html", row=row, more=more))
