"""Form hints whose examples fit the household: its own child's and people's first names, or neutral words
when it has none, so that no household ever sees another's (or the demo's) names as an example."""
from flask import g, has_request_context
from flask_babel import LazyString
from markupsafe import Markup

from webapp.extensions import db
from webapp.households.services import ExampleNames, example_names

NONE = ExampleNames(child=None, adults=())


def _names() -> ExampleNames:
    household = g.get("household") if has_request_context() else None
    if household is None:
        return NONE
    if g.get("example_names_for") != household.id:
        g.example_names, g.example_names_for = example_names(db.session, household), household.id
    return g.example_names


def _text(named, neutral) -> Markup:
    names = _names()
    needs_child, needs_adult = "%(child)s" in str(named), "%(adult)s" in str(named)
    if (needs_child and not names.child) or (needs_adult and not names.adults):
        return Markup.escape(str(neutral))
    # The message is trusted, the names are not: Markup's % escapes them (the hint is printed as it is).
    return Markup(str(named)) % {"child": names.child or "", "adult": names.adults[0] if names.adults else ""}


def example(named, neutral) -> LazyString:
    """A hint for a form field: `named` (a lazy message with %(child)s and/or %(adult)s) filled with this
    household's first names when it has them, else `neutral`; worked out when the form is shown."""
    return LazyString(_text, named, neutral)
