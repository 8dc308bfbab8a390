"""What the rings are called on screen: a short name, and what standing there means."""
from webapp.i18n import lazy_gettext as _l

RING_LABELS = {
    "inner": _l("Close by: helps keep the child safe now"),
    "middle": _l("A bit further: could help"),
    "outer": _l("Far: not yet, or better not"),
    "professional": _l("Professional: paid to help"),
}
RING_NAMES = {
    "inner": _l("Inner ring"),
    "middle": _l("Middle ring"),
    "outer": _l("Outer ring"),
    "professional": _l("Professionals"),
}
