"""Printing the safety log for a period: only that period's entries, none split over two pages, and none
of the app around them (menu, quick exit, buttons, footer) on paper."""
import uuid
from datetime import datetime

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User
from webapp.extensions import db
from webapp.households.models import Household
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, toggle_highlight, write_entry

pytestmark = pytest.mark.e2e

# (when, kind, what happened); noon UTC is the same day in Amsterdam
ENTRIES = [
    (datetime(2025, 2, 27, 12), EntryKind.went_wrong, "Voor de periode: ruzie bij het avondeten"),
    (datetime(2025, 3, 3, 12), EntryKind.went_well, "Samen naar de markt, alles bleef rustig"),
    (datetime(2025, 3, 14, 12), EntryKind.nearly_wrong, "Bijna ruzie, oma kwam op tijd langs"),
    (datetime(2025, 3, 31, 12), EntryKind.calm_moment, "Rustige zondag met een spelletje"),
    (datetime(2025, 4, 1, 12), EntryKind.calm_moment, "Na de periode: een wandeling"),
]


def write_entries(live_server, family) -> None:
    with live_server.app.app_context():
        household = db.session.get(Household, family.id)
        author = db.session.get(User, family.people["creator"].id)
        for when, kind, text in ENTRIES:
            entry, _ = write_entry(db.session, live_server.app.instance_path, household, author, str(uuid.uuid4()),
                                   NewEntry(kind=kind, occurred_at=when, what_happened=text,
                                            what_was_done="Ik heb het opgeschreven", child_mood=4))
            if kind == EntryKind.nearly_wrong:
                toggle_highlight(db.session, entry, author)
        db.session.commit()
        db.session.remove()


def test_printing_a_period_shows_only_its_entries_and_none_of_the_app(live_server, factory, page):
    family = factory.household("Familie Smit", "Lotte Smit")
    write_entries(live_server, family)
    sign_in(page, live_server.url, family.people["creator"].username)

    page.goto(f"{live_server.url}/h/{family.id}/log/print?start=2025-03-01&end=2025-03-31")
    check_axe(page)
    expect(page.locator("h1")).to_contain_text(family.name)

    # On screen: the page looks like Kring, with a Print button that opens the browser's print dialog.
    print_button = page.locator("button[data-print]")
    expect(print_button).to_be_visible()
    expect(page.locator("nav.mainnav")).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    print_button.click()
    assert page.evaluate("window.printed === true")

    entries = page.locator("article.entry")
    expect(entries).to_have_count(3)
    for _, _, text in ENTRIES[1:4]:
        expect(page.locator("main")).to_contain_text(text)
    for _, _, text in (ENTRIES[0], ENTRIES[4]):
        expect(page.locator("main")).not_to_contain_text(text)

    page.emulate_media(media="print")
    for hidden in ["header.topbar", "#quick-exit", "nav.mainnav", "footer.footer", "button[data-print]", ".no-print",
                   ".skip-link"]:
        expect(page.locator(hidden)).to_be_hidden()
    assert page.locator("button, .button").evaluate_all("all => all.every(b => !b.checkVisibility())"), \
        "a button would be printed"
    expect(page.locator("h1")).to_be_visible()
    expect(entries).to_have_count(3)
    for i in range(3):
        expect(entries.nth(i)).to_be_visible()
        assert entries.nth(i).evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    expect(page.locator(".entry__flag--highlight")).to_be_visible()  # the star and its words print too

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

    page.emulate_media(media="screen")
    check_axe(page)
