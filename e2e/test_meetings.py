"""Network meetings as people use them on a phone, in Dutch: the chair plans a meeting and downloads its calendar file,
two members reply and add questions (one of them, without the chair role, cannot plan or record), the preparation
pack counts the seeded log entries, signals and scores, and minutes with a decision put a change in a draft plan
version; another household gets "not found"."""
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Household, Role
from webapp.meetings import services as meetings
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, write_entry
from webapp.safety_plan import services as plan
from webapp.safety_scales import services as scales
from webapp.signals.models import AckKind, SignalSource
from webapp.signals.services import acknowledge, raise_signal

pytestmark = pytest.mark.e2e


def save(page: Page, button) -> None:
    with page.expect_navigation():
        button.click()


def seed(live_server, family) -> int:
    """Since a meeting a month ago (held but not recorded yet): three log entries, two signals of which Ria answered
    one after two minutes, and two new scores; before it, an entry and a score that must not count. Also an agreed
    plan. Returns that meeting's id."""
    now = utcnow()
    with live_server.app.app_context():
        household = db.session.get(Household, family.id)
        household.created_at = now - timedelta(days=90)
        users = {key: db.session.get(User, person.id) for key, person in family.people.items()}
        statement = scales.add_statement(db.session, household, users["chair"], scales.StatementInput(
            "Oma Ria", "Schreeuwen bij het naar bed gaan", "Noor wordt bang", "Rustige avonden", "Rustig naar bed"),
            now - timedelta(days=60))
        version = plan.start_plan(db.session, household, users["chair"])
        plan.add_agreement(db.session, version, plan.AgreementInput("Noor gaat om half acht naar bed."))
        plan.agree(db.session, version)
        previous = meetings.plan_meeting(db.session, household, users["chair"], meetings.MeetingInput(
            now - timedelta(days=30), 90, "Bij Petra thuis", "", users["chair"].id, [statement.id],
            [users[k].id for k in ("creator", "ria", "kees", "chair")]), now - timedelta(days=40))
        for number, (kind, days) in enumerate([(EntryKind.went_well, 40), (EntryKind.went_well, 20),
                                               (EntryKind.went_wrong, 12), (EntryKind.calm_moment, 5)]):
            write_entry(db.session, live_server.app.instance_path, household, users["creator"], f"e2e-meeting-{number}",
                        NewEntry(kind=kind, occurred_at=now - timedelta(days=days), what_happened=f"Avond {number}"))
        for number, (days, answer) in enumerate([(14, 2), (6, None)]):
            signal, _ = raise_signal(db.session, household, users["creator"], f"e2e-meeting-signal-{number}",
                                     SignalSource.safe_object, "", now - timedelta(days=days), 0)
            if answer:
                acknowledge(db.session, signal, users["ria"], AckKind.going, signal.send_at + timedelta(minutes=answer))
        for key, score, days in [("ria", 4, 45), ("chair", 5, 45), ("ria", 6, 10), ("chair", 7, 3)]:
            scales.add_score(db.session, statement.scale, users[key], score, "Rustige avond gezien",
                             now - timedelta(days=days))
        db.session.commit()
        previous_id = previous.id
        db.session.remove()
    return previous_id


def test_a_meeting_is_planned_answered_prepared_and_recorded(live_server, factory, new_context, tmp_path: Path):
    base, t = live_server.url, live_server.t
    family = factory.household("Familie Jansen", "Petra Jansen")
    chair = factory.member(family, "chair", "Fatima Yilmaz", {Role.chair, Role.network_member})
    ria = factory.member(family, "ria", "Ria de Boer", {Role.safety_person})
    kees = factory.member(family, "kees", "Kees Bos", {Role.network_member})
    previous_id = seed(live_server, family)

    # The chair plans the next meeting from the household home.
    page = new_context().new_page()
    sign_in(page, base, chair.username)
    page.goto(f"{base}/h/{family.id}")
    page.locator("main").get_by_role("link", name=re.compile(t("Network meetings"))).click()
    expect(page.locator(".chair-summary")).to_contain_text(t("The last meeting was chaired by someone from the network."))
    page.locator("main").get_by_role("link", name=t("Plan a meeting")).click()
    check_axe(page)
    day = (utcnow() + timedelta(days=10)).date()
    page.fill("#day", day.isoformat())
    page.fill("#start", "19:30")
    save(page, page.locator("main form button[type=submit]"))  # no place yet
    expect(page.locator(".error-summary")).to_contain_text(t("Write where you meet, or give a video call link."))
    expect(page.locator("#start")).to_have_value("19:30")
    page.fill("#place", "Bij Petra thuis, Dorpsstraat 4")
    save(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".notice--success")).to_contain_text(t("The meeting is planned. The invitations are on their way."))
    expect(page.locator(".invitee")).to_have_count(4)
    check_axe(page)
    meeting_url = page.url
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name=t("Put it in my calendar")).click()
    [event] = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(event["LOCATION"]) == "Bij Petra thuis, Dorpsstraat 4" and str(event["SUMMARY"]) == t("Network meeting")
    assert event.decoded("DTSTART").astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%Y-%m-%d %H:%M") == (
        f"{day.isoformat()} 19:30") and str(event["UID"]).startswith("kring-meeting-")

    # Two members reply and add a question; Kees, without the chair role, cannot plan or record.
    for person, answer, question in [(ria, "coming", "Hoe gaat het met de weekenden bij papa?"),
                                     (kees, "not_coming", "Mag ik vaker langskomen na school?")]:
        member = new_context().new_page()
        sign_in(member, base, person.username)
        member.goto(meeting_url)
        expect(member.get_by_role("link", name=t("Record the meeting"))).to_have_count(0)
        label = t("I am coming") if answer == "coming" else t("I cannot come")
        save(member, member.locator("main").get_by_role("button", name=label))
        expect(member.locator(".my-reply")).to_contain_text(label)
        member.fill("#text", question)
        save(member, member.locator("main").get_by_role("button", name=t("Add my question")))
        expect(member.locator(".question__text")).to_contain_text([question])
        check_axe(member)
        if person is kees:
            assert member.goto(f"{base}/h/{family.id}/meetings/new").status == 403
            assert member.goto(f"{base}/h/{family.id}/meetings/{previous_id}/record").status == 403
        member.context.close()

    # The pack counts what happened since the last meeting, and lists the questions.
    page.reload()
    expect(page.locator(".invitee").filter(has_text="Ria de Boer")).to_contain_text(t("I am coming"))
    expect(page.locator(".invitee").filter(has_text="Kees Bos")).to_contain_text(t("I cannot come"))
    page.locator("main").get_by_role("link", name=t("Preparation: everything since the last meeting")).click()
    log = page.locator("section[aria-labelledby=log-title]")
    expect(log.locator(".pack-total")).to_have_text(re.compile(r"^3\D"))
    expect(log.locator(".pack-kind--went_well td")).to_have_text("1")
    expect(log.locator(".pack-kind--went_wrong td")).to_have_text("1")
    expect(page.locator(".pack-signals-count")).to_have_text(re.compile(r"^2\D"))
    expect(page.locator(".pack-signal").first).to_contain_text("Ria de Boer")
    expect(page.locator(".pack-scale__trend")).to_contain_text("6,5")
    expect(page.locator(".pack-questions")).to_contain_text("Hoe gaat het met de weekenden bij papa?")
    expect(page.locator(".pack-questions")).to_contain_text("Mag ik vaker langskomen na school?")
    check_axe(page)

    # The chair records last month's meeting: a decision with a new agreement makes a draft plan version.
    page.goto(f"{base}/h/{family.id}/meetings/{previous_id}/record")
    page.get_by_label("Ria de Boer").check()
    page.fill("#worries", "Eén avond ging het mis bij het naar bed gaan.")
    save(page, page.locator("main").get_by_role("button", name=t("Save the minutes")))
    expect(page.locator(".notice--success")).to_contain_text(t("The minutes are saved."))
    page.fill("#decision-text", "Kees kijkt elke avond of de beer voor het raam staat.")
    page.locator("label[for=decision-change-1]").click()
    page.fill("#decision-proposed_text", "Kees kijkt elke avond naar het raam.")
    save(page, page.locator("main").get_by_role("button", name=t("Add this decision")))
    expect(page.locator(".notice--success")).to_contain_text(t(
        "The decision is saved. Its change is in draft version %(n)s of the safety plan: look at it there and agree "
        "on it together.", n=2))
    check_axe(page)
    page.locator("main").get_by_role("link", name=t("See the change in the draft plan, and agree on it there")).click()
    expect(page.locator("main")).to_contain_text("Kees kijkt elke avond naar het raam.")
    page.go_back()
    save(page, page.locator("main").get_by_role("button", name=t("Share the minutes")))
    expect(page).to_have_url(re.compile(r"/minutes$"))
    expect(page.locator(".minutes-decision")).to_contain_text(t("In draft version %(n)s of the safety plan: not agreed yet.", n=2))
    check_axe(page)

    # Another household does not know this meeting exists.
    other = factory.household("Familie Visser", "Lotte Visser")
    outsider = new_context().new_page()
    sign_in(outsider, base, other.people["creator"].username)
    assert outsider.goto(meeting_url).status == 404
