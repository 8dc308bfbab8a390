"""The household home's list of its people, rendered on its own from plain values and kept per process, as the
log's, the calendar's and the scales' parts are.

It is kept under exactly what it shows: the household, who reads it (the list says "you"), whether they may manage
the members, every person as listed (membership, name, phone, roles), the page's language and the folder Kring is
served under. A new, renamed or departed person, a new phone number or role makes a new key, never a stale list.
"""
from functools import lru_cache

from markupsafe import Markup

from webapp.households.models import Membership
from webapp.households.services import sorted_roles
from webapp.i18n import ROLE_LABELS
from webapp.kept_parts import page_key, render

PARTS_KEPT = 1024  # per process: a few kilobytes each, one per household, reader and language


def people_list(people: list[Membership], household_id: int, reader_id: int, may_manage: bool) -> Markup:
    """The home's list of the household's people (households.services.people, in its order), from what is kept."""
    listed = tuple((m.id, m.user_id, m.user.display_name, m.user.first_name, m.user.phone,
                    tuple(r.value for r in sorted_roles(m.roles))) for m in people)
    return _people_list(household_id, listed, reader_id, may_manage, *page_key())


@lru_cache(maxsize=PARTS_KEPT)
def _people_list(household_id: int, listed: tuple, reader_id: int, may_manage: bool, _language: str,
                 _folder: str) -> Markup:
    return render("households/_people.html", household_id=household_id, listed=listed, reader_id=reader_id,
                  may_manage=may_manage, role_labels=ROLE_LABELS)
