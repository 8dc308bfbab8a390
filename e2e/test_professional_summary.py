"""A professional's read-only summary, as people use it on a phone in Dutch: the household member invites a
professional with an end date, the professional joins with the link and sets up a code app (the code computed here
with pyotp), reads the summary with the household's own figures, the household member ends the access, the
professional's open page is refused on its next load, and the household member sees when the professional looked.
"""
import re
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Household
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, write_entry
from webapp.signals.models import AckKind, SignalSource
from webapp.signals.services import acknowledge, raise_signal

pytestmark = pytest.mark.e2e


def seed_records(live_server, household_id: int, user_id: int) -> None:
    """Three log entries and one signal answered after 6 minutes, in the last weeks."""
    app = live_server.app
    with app.app_context():
        household, user = db.session.get(Household, household_id), db.session.get(User, user_id)
        now = utcnow()
        for n, (kind, days) in enumerate([(EntryKind.went_well, 3), (EntryKind.went_well, 9),
                                          (EntryKind.nearly_wrong, 5)]):
            write_entry(db.session, app.instance_path, household, user, f"e2e-pro-{n}",
                        NewEntry(kind=kind, occurred_at=now - timedelta(days=days), what_happened="Rustige dag"))
        signal, _ = raise_signal(db.session, household, user, "e2e-pro-signal", SignalSource.safe_object, "",
                                 now - timedelta(days=4), 0)
        acknowledge(db.session, signal, user, AckKind.going, signal.send_at + timedelta(minutes=6))
        db.session.commit()
        db.session.remove()


def card(page, title_id: str):
    return page.locator(f"section[aria-labelledby='{title_id}']")


def test_household_grants_professional_reads_summary_then_access_ends_and_is_audited(live_server, factory, page,
                                                                                     new_context):
    t, base = live_server.t, live_server.url
    family = factory.household("Familie Jansen", "Petra Jansen")
    petra = family.people["creator"]
    seed_records(live_server, family.id, petra.id)

    # Petra invites a professional: the end date is asked only for that role, three months ahead by default.
    sign_in(page, base, petra.username)
    page.goto(f"{base}/h/{family.id}/invitations")
    expect(page.locator(".access-until")).to_be_hidden()
    page.fill("#invitee_name", "Jeroen Bakker")
    page.locator("input[name=role][value=professional]").check()
    expect(page.locator("#access_until")).to_be_visible()
    assert page.locator("#access_until").input_value() != ""
    check_axe(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/invitations/\d+$"))
    link = page.locator("input#invite-link").input_value()

    # Jeroen joins on his own phone and must set up a code app before anything of the household shows.
    pro = new_context().new_page()
    pro.goto(link)
    pro.fill("#display_name", "Jeroen Bakker")
    pro.fill("#username", factory.username("jeroen"))
    pro.fill("#password", "een lange zin als wachtwoord")
    pro.locator("main form button[type=submit]").click()
    expect(pro).to_have_url(re.compile(r"/settings/two-step\?next="))
    expect(pro.locator(".qr svg")).to_be_visible()
    check_axe(pro)
    secret = pro.locator(".secret code").inner_text().replace(" ", "")
    pro.fill("#code", pyotp.TOTP(secret).now())
    pro.locator("main form button[type=submit]").click()

    # The summary, with the household's own figures.
    expect(pro).to_have_url(re.compile(rf"/h/{family.id}/summary$"))
    expect(pro.locator("h1")).to_contain_text("Familie Jansen")
    expect(card(pro, "log-title").locator(".summary-figure")).to_contain_text("3")
    went_well = card(pro, "log-title").locator("tr").filter(has_text=t("Went well"))
    expect(went_well.locator("td")).to_have_text("2")
    expect(card(pro, "signals-title").locator(".summary-figure")).to_contain_text("1")
    expect(card(pro, "signals-title").locator("dd").nth(1)).to_contain_text("6")
    expect(pro.locator("form[method=post]").filter(has=pro.locator("textarea"))).to_have_count(0)  # read only
    check_axe(pro)

    # Petra ends the access, after a confirmation.
    page.goto(f"{base}/h/{family.id}/access")
    expect(page.locator(".access-grant")).to_contain_text("Jeroen Bakker")
    check_axe(page)
    page.locator(".access-grant a.button--warning").click()
    check_axe(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice--success")).to_be_visible()
    expect(page.locator(".access-grant")).to_have_count(0)

    # Jeroen's open page is refused at once.
    response = pro.reload()
    assert response.status == 404

    # Petra sees when Jeroen looked.
    rows = page.locator("tr.audit__row")
    expect(rows.first).to_contain_text("Jeroen Bakker")
    expect(rows.filter(has_text=t("The summary"))).not_to_have_count(0)
    check_axe(page)
