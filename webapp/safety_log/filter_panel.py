"""The timeline's "Show only…" panel: its form rendered from a few plain values, and kept when nothing is filtered.

The panel is a third of the timeline's work (its fields, their options and labels through WTForms and the form
macros: 6 of 24 million instructions), the timeline is the page people open most, and unfiltered the panel is the
same for everyone who sees the same choices. So an unfiltered panel is kept per process under exactly what it is
made of: the household, the names in "who wrote it", the agreements of the plan in force, the page's language and
the folder Kring is served under. A new member, a renamed one or a new plan makes a new key, never a stale panel.
A filtered panel (it shows the filters chosen, and any error in them) is made every time.
"""
from functools import lru_cache

from flask import current_app, request
from markupsafe import Markup

from webapp.i18n import locale_name
from webapp.safety_log.forms import FilterForm

PANELS_KEPT = 1024  # unfiltered panels kept per process: a few kilobytes each, one per household and language
TEMPLATE = "safety_log/_filter_panel.html"


def render(form: FilterForm, household_id: int, filter_args: dict) -> Markup:
    """The panel for this form: unfiltered from what is kept, else made now."""
    if any(filter_args.values()):
        return _render(form, household_id, filter_args, filtered=True)
    return _unfiltered(household_id, tuple(form.author.choices), tuple(form.agreement.choices), locale_name(),
                       request._get_current_object().script_root)


@lru_cache(maxsize=PANELS_KEPT)
def _unfiltered(household_id: int, authors: tuple, agreements: tuple, _language: str, _script_root: str) -> Markup:
    """The language and folder are in the key only: the rendering reads them from the request, as every page does."""
    form = FilterForm(formdata=None)
    form.author.choices, form.agreement.choices = list(authors), list(agreements)
    return _render(form, household_id, {}, filtered=False)


def _render(form: FilterForm, household_id: int, filter_args: dict, filtered: bool) -> Markup:
    # From the template's own values and the environment's globals (_, url_for), not the page's context.
    template = current_app.jinja_env.get_template(TEMPLATE)
    return Markup(template.render(form=form, household_id=household_id, filter_args=filter_args, filtered=filtered))
