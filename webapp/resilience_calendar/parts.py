"""Parts of the calendar's week page rendered on their own from plain values, and kept per process where they are
the same for everyone who sees the same values (as the safety log's parts, safety_log/parts.py).

A week page is seven day sections with their activities and element tags: two thirds of its work. A day is kept
under exactly what it is made of: the household, the date, whether it is today and the day asked for, whether the
reader may change the calendar, every activity as the page shows it (time, words, who with, its elements), the
page's language and the folder Kring is served under. An activity added, changed or removed makes a new key, never
a stale day; a new day (midnight) does too.
"""
from datetime import date
from functools import lru_cache

from markupsafe import Markup, escape

from webapp.i18n import locale_name
from webapp.kept_parts import page_key, render
from webapp.pictograms import picto_use
from webapp.resilience_calendar import services
from webapp.resilience_calendar.forms import ELEMENT_LABELS, PART_LABELS

PARTS_KEPT = 1024  # per process: a few kilobytes each, seven a household's week and language
ELEMENT_ORDER = tuple(e.value for e in services.ELEMENTS)


def element_tags(elements, class_: str = "") -> Markup:
    """The elements as tags, each with its drawing and its word (never by colour alone), in the calendar's order;
    the page holds the drawings once (the element_symbols macro). A week shows dozens of tags and a few sets of
    elements: each set is written once per process and language (_element_tags)."""
    return _element_tags(frozenset(str(e) for e in elements), class_, locale_name())


@lru_cache(maxsize=1024)
def _element_tags(elements: frozenset[str], class_: str, locale: str) -> Markup:  # locale: ELEMENT_LABELS' language
    items = "".join(f'<li class="element element--{e}"><span aria-hidden="true">{picto_use("element-" + e)}</span> '
                    f'{escape(ELEMENT_LABELS[e])}</li>' for e in ELEMENT_ORDER if e in elements)
    return Markup(f'<ul class="elements {escape(class_)}">{items}</ul>')


def day_section(day: services.Day, household_id: int, shown: date, today: date, may_write: bool) -> Markup:
    """A day of the week page with its activities, what it still misses and its links, from what is kept."""
    return _day_section(household_id, day.day, tuple(day.activities), day.day == shown, day.day == today, may_write,
                        *page_key())


@lru_cache(maxsize=PARTS_KEPT)
def _day_section(household_id: int, day: date, activities: tuple[services.Planned, ...], is_shown: bool,
                 is_today: bool, may_write: bool, _language: str, _folder: str) -> Markup:
    return render("resilience_calendar/_day.html", d=services.Day(day, list(activities)), household_id=household_id,
                  is_shown=is_shown, is_today=is_today, may_write=may_write, element_tags=element_tags,
                  part_labels={key: str(label) for key, label in PART_LABELS.items()})
