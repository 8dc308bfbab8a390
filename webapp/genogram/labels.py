"""What the genogram's choices are called on screen."""
from webapp.i18n import lazy_gettext as _l

KIN_LABELS = {
    "grandparent": _l("A grandparent"),
    "parent": _l("A parent"),
    "partner": _l("A parent's new partner"),
    "aunt_uncle": _l("An aunt or uncle (a parent's brother or sister)"),
    "child": _l("A child, or a brother or sister of the child"),
}
KIN_NAMES = {
    "grandparent": _l("Grandparents"),
    "parent": _l("Parents, their partners, aunts and uncles"),
    "partner": _l("Parents, their partners, aunts and uncles"),
    "aunt_uncle": _l("Parents, their partners, aunts and uncles"),
    "child": _l("Children"),
}
SHAPE_LABELS = {
    "square": _l("Man or boy (a square)"),
    "circle": _l("Woman or girl (a circle)"),
    "diamond": _l("Other, or not said (a diamond)"),
}
BOND_LABELS = {
    "together": _l("Together"),
    "separated": _l("Separated"),
    "no_contact": _l("No contact"),
}
