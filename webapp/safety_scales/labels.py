"""Words for the phases' exit conditions that the scores do not measure, and for a month's state."""

from webapp.i18n import lazy_gettext as _l
from webapp.safety_scales.services import RISK_DRIVEN_MINIMUM

# Shown beside the computed criterion: the rest of what the method asks before moving on (Kring does not check it).
OTHER_CONDITIONS = {
    "alignment": [
        _l("The professionals agree who works with your household."),
        _l("The people who will help are invited to Kring."),
    ],
    "direct_safety": [
        _l("There is a first safety plan, a safety person for the child and a safety log."),
        _l("The network confirms there has been no new violence."),
    ],
    "risk_driven": [
        _l("A stress test of the plan went well."),
        _l("There is a stable safety plan, and the child knows it through Words and Pictures."),
    ],
    "recovery": [
        _l("Someone from the network holds the plan and calls the network together regularly."),
        _l("The child still has a safety person."),
    ],
}

MONTH_STATE_TEXT = {
    "met": _l("done"),
    "below": _l("a score under %(n)s", n=RISK_DRIVEN_MINIMUM),
    "missing": _l("not every scale scored"),
}
