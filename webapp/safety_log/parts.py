"""Parts of the log's pages rendered on their own from a few plain values, and kept per process where they are the
same for everyone who sees the same values.

The timeline's "Show only…" panel was a quarter of the timeline's work (its fields, their options and labels through
WTForms and the form macros: 6 of 24 million instructions), and the composer's kinds and moods, each with its drawn
pictogram, were 8 of its 27 million; the timeline and the composer are the pages people open most. An unchanged part
is kept under exactly what it is made of: for the panel the household, the names in "who wrote it", the agreements of
the plan in force; for the composer the kind asked for in the address; for each the page's language and the folder
Kring is served under. A new member, a renamed one or a new plan makes a new key, never a stale part. A part that
shows what someone chose or typed (a filtered panel, a composer sent back with an error) is made every time.
"""
from functools import lru_cache

from markupsafe import Markup

from webapp.kept_parts import page_key, render
from webapp.safety_log.forms import KIND_ICONS, MOODS, EntryForm, FilterForm

PARTS_KEPT = 1024  # per process and kind of part: a few kilobytes each, one per household (or kind) and language


def filter_panel(form: FilterForm, household_id: int, filter_args: dict) -> Markup:
    """The timeline's panel for this form, with what it was asked: made now."""
    return render("safety_log/_filter_panel.html", form=form, household_id=household_id, filter_args=filter_args,
                   filtered=True)


def unfiltered_panel(household_id: int, authors: list, agreements: list) -> Markup:
    """The panel of a timeline that shows everything, with these choices of who wrote it and which agreement: from
    what is kept (the page needs no form for it)."""
    return _unfiltered_panel(household_id, tuple(authors), tuple(agreements), *page_key())


def kind_choices(form: EntryForm) -> Markup:
    """The composer's kinds: a new entry's (none chosen, or the kind in the address) from what is kept."""
    if form.is_submitted():
        return render("safety_log/_kind_choices.html", form=form, kind_icons=KIND_ICONS)
    return _new_kinds(form.kind.data or "", *page_key())


def mood_choices(form: EntryForm) -> Markup:
    """The composer's "how was the child?": a new entry's from what is kept."""
    if form.is_submitted():
        return render("safety_log/_mood_choices.html", form=form, moods=MOODS)
    return _new_moods(*page_key())


@lru_cache(maxsize=PARTS_KEPT)
def _unfiltered_panel(household_id: int, authors: tuple, agreements: tuple, _language: str, _folder: str) -> Markup:
    form = FilterForm(formdata=None)
    form.author.choices, form.agreement.choices = list(authors), list(agreements)
    return render("safety_log/_filter_panel.html", form=form, household_id=household_id, filter_args={},
                   filtered=False)


@lru_cache(maxsize=PARTS_KEPT)
def _new_kinds(kind: str, _language: str, _folder: str) -> Markup:
    form = EntryForm(formdata=None)
    form.kind.data = kind or None
    return render("safety_log/_kind_choices.html", form=form, kind_icons=KIND_ICONS)


@lru_cache(maxsize=PARTS_KEPT)
def _new_moods(_language: str, _folder: str) -> Markup:
    return render("safety_log/_mood_choices.html", form=EntryForm(formdata=None), moods=MOODS)
