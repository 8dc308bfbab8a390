"""Danger statements and safety scales as people use them on a phone, in Dutch: the chair writes a statement with
its goal and scale (a missing part explained, the text kept), three people of the network score it, the chart and
the latest round show their numbers, a fifth statement is refused without losing the text, scoring works without
JavaScript, and the household home shows the phase progress for prepared score histories; the chair moves on.
"""
import re
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Household, Phase, Role
from webapp.safety_scales import services

pytestmark = pytest.mark.e2e

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STATEMENT = {
    "who_is_worried": "Juf Anja en Oma Ria.",
    "what_adults_do": "Als Petra en de vader van Noor ruzie maken, schreeuwen ze terwijl Noor erbij is.",
    "worst_case": "Noor wordt bang en durft niets meer te vertellen.",
    "goal": "Petra en de vader praten alleen als Noor slaapt. Als Petra boos wordt, belt ze Oma Ria.",
}


def save(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def expect_error(page: Page, field: str, message: str) -> None:
    expect(page.locator(".error-summary")).to_contain_text(message)
    expect(page.locator(f"#{field}-error")).to_contain_text(message)


def add_statement(live_server, household_id: int, user_id: int, name: str) -> int:
    """A statement with goal and scale straight through the service; returns the scale's id."""
    with live_server.app.app_context():
        statement = services.add_statement(
            db.session, db.session.get(Household, household_id), db.session.get(User, user_id),
            services.StatementInput("Oma Ria", f"Schreeuwen ({name})", "Noor wordt bang", "Rustige avonden", name),
            utcnow())
        db.session.commit()
        scale_id = statement.scale.id
        db.session.remove()
    return scale_id


def add_score(live_server, scale_id: int, user_id: int, score: int, at: datetime) -> None:
    with live_server.app.app_context():
        from webapp.safety_scales.models import SafetyScale
        services.add_score(db.session, db.session.get(SafetyScale, scale_id), db.session.get(User, user_id), score,
                           "Rustige avond gezien", at)
        db.session.commit()
        db.session.remove()


def set_phase(live_server, household_id: int, phase: Phase) -> None:
    with live_server.app.app_context():
        db.session.get(Household, household_id).phase = phase
        db.session.commit()
        db.session.remove()


def months_ago(count: int) -> datetime:
    """The 15th at noon (local) of the month `count` months before this one, as naive UTC."""
    this_month = datetime.now(AMSTERDAM).date().replace(day=1)
    local = datetime.combine(services.months_before(this_month, count).replace(day=15), time(12), tzinfo=AMSTERDAM)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def test_chair_writes_a_statement_with_goal_and_scale_and_three_members_score_it(live_server, factory, new_context):
    t = live_server.t
    family = factory.household("Familie Jansen", "Petra Jansen")
    chair = factory.member(family, "chair", "Fatima Yilmaz", {Role.chair, Role.network_member})
    ria = factory.member(family, "ria", "Ria Smit", {Role.safety_person})
    kees = factory.member(family, "kees", "Kees de Boer", {Role.network_member})

    page = new_context().new_page()
    sign_in(page, live_server.url, chair.username)
    page.goto(f"{live_server.url}/h/{family.id}")
    page.locator("details.phase summary").click()  # where the household is, folded on the home
    page.locator(".phase-progress").get_by_role("link", name=t("The safety scales")).click()
    expect(page.locator("h1")).to_have_text(t("Danger statements and safety scales"))
    expect(page.locator(".empty")).to_contain_text(t("There are no danger statements yet."))
    check_axe(page)

    page.get_by_role("link", name=re.compile(re.escape(t("Write a danger statement")))).click()
    expect(page.locator("h1")).to_have_text(t("Write a danger statement"))
    expect(page.locator("textarea[data-plain-language]")).to_have_count(4)
    check_axe(page)
    for field, text in STATEMENT.items():
        page.locator(f"#{field}").fill(text)
    save(page)  # the scale's name is missing
    expect_error(page, "scale_name", t("Give the scale a short name."))
    for field, text in STATEMENT.items():
        expect(page.locator(f"#{field}")).to_have_value(text)
    check_axe(page)
    page.locator("#scale_name").fill("Rust als de ouders praten")
    save(page)
    expect(page.locator(".notice--success")).to_contain_text(t("The danger statement, its goal and its scale are saved."))
    card = page.locator("section.statement")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_contain_text("Rust als de ouders praten")
    expect(card.locator("dd.statement-texts__goal")).to_have_text(STATEMENT["goal"])
    expect(card.locator(".empty").first).to_contain_text(t("Nobody has scored this scale yet."))
    check_axe(page)

    for person, score, note in [(family.people["creator"], 5, "Eén keer ruzie aan de telefoon, wel in de keuken."),
                                (ria, 7, "Noor vertelde dat het thuis rustig is."),
                                (kees, 6, "Geen harde stemmen meer gehoord door de muur.")]:
        member = new_context().new_page()
        sign_in(member, live_server.url, person.username)
        member.goto(f"{live_server.url}/h/{family.id}/scales")
        expect(member.locator(".my-score")).to_have_text(t("You have not scored this scale this month yet."))
        member.get_by_role("link", name=re.compile(re.escape(t("Score now")))).click()
        expect(member.locator(".scale-end--goal")).to_contain_text(STATEMENT["goal"])
        expect(member.locator("input[name=score]")).to_have_count(11)
        check_axe(member)
        member.get_by_role("radio", name=str(score), exact=True).check()
        save(member)  # no note yet
        expect_error(member, "behaviour", t("Write what you saw that makes it this number."))
        expect(member.get_by_role("radio", name=str(score), exact=True)).to_be_checked()
        check_axe(member)
        member.locator("#behaviour").fill(note)
        save(member)
        expect(member.locator(".notice--success")).to_contain_text(t("Thank you, your score is saved."))
        expect(member.locator(".my-score")).to_contain_text(str(score))
        member.context.close()

    page.reload()
    card = page.locator("section.statement")
    expect(card.locator(".score-person")).to_have_count(3)
    expect(card.locator(".score-person").filter(has_text="Ria Smit").locator(".score-person__score")).to_have_text("7")
    expect(card.locator(".round-summary")).to_contain_text(t("Lowest: %(lowest)s", lowest=5))
    expect(card.locator(".round-summary")).to_contain_text(t("Middle: %(median)s", median=6))
    expect(card.locator("svg[role=img] title")).to_contain_text("Rust als de ouders praten")
    # The chart over time starts with its trend in one sentence; its markers and last month name fit a phone.
    expect(card.locator(".chart-trend")).to_have_text(t("Scored for the first time: %(first)s.", first=6))
    expect(card.locator(".score-median")).to_contain_text(t("Middle score"))
    chart = card.locator("svg[role=img]")
    box = chart.bounding_box()
    for marker in card.locator(".chart__svg .chart__marker").all():  # over time and the latest round
        mark = marker.bounding_box()
        assert mark["width"] >= 14 and mark["height"] >= 14, mark
    last = chart.locator(".chart__month").last.bounding_box()
    assert box["x"] <= last["x"] and last["x"] + last["width"] <= box["x"] + box["width"], (last, box)
    check_axe(page)
    page.get_by_role("link", name=re.compile(re.escape(t("All scores and notes")))).click()
    expect(page.locator(".score-item")).to_have_count(3)
    expect(page.locator(".score-item").filter(has_text="Kees de Boer")).to_contain_text(
        "Geen harde stemmen meer gehoord door de muur.")
    check_axe(page)


def test_a_fifth_statement_is_refused_and_keeps_what_was_typed(live_server, factory, page):
    t = live_server.t
    family = factory.household("Familie Visser", "Lotte Visser")
    for n in range(1, 5):
        add_statement(live_server, family.id, family.people["creator"].id, f"Schaal {n}")
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}/scales/new")
    expect(page.locator(".notice")).to_contain_text(t(
        "There are %(n)s danger statements: the most there can be at one time. To write a new one, archive one first.", n=4))
    for field, text in STATEMENT.items():
        page.locator(f"#{field}").fill(text)
    page.locator("#scale_name").fill("Een vijfde zorg")
    save(page)
    expect(page.locator(".error-summary")).to_contain_text(t(
        "There are already %(n)s danger statements: the most there can be at one time. What you wrote is still "
        "below. Archive one first, then save this one.", n=4))
    for field, text in STATEMENT.items():
        expect(page.locator(f"#{field}")).to_have_value(text)
    expect(page.locator("#scale_name")).to_have_value("Een vijfde zorg")
    check_axe(page)

    # Archive the fourth from the overview; then the fifth fits and goes last.
    page.goto(f"{live_server.url}/h/{family.id}/scales")
    with page.expect_navigation():
        page.locator("section.statement").nth(3).get_by_role("button", name=re.compile(t("Archive"))).click()
    expect(page.locator("#archived")).to_contain_text("Schaal 4")
    check_axe(page)
    page.get_by_role("link", name=re.compile(re.escape(t("Write a danger statement")))).click()
    for field, text in STATEMENT.items():
        page.locator(f"#{field}").fill(text)
    page.locator("#scale_name").fill("Een vijfde zorg")
    save(page)
    expect(page.locator("section.statement h2")).to_contain_text(["Schaal 1", "Schaal 2", "Schaal 3", "Een vijfde zorg"])
    with page.expect_navigation():
        page.locator("section.statement").nth(3).get_by_role("button", name=re.compile(t("Higher priority"))).click()
    expect(page.locator("section.statement h2")).to_contain_text(["Schaal 1", "Schaal 2", "Een vijfde zorg", "Schaal 3"])


def test_scoring_works_without_javascript(live_server, factory, new_context):
    t = live_server.t
    family = factory.household("Familie de Wit", "Anna de Wit")
    scale_id = add_statement(live_server, family.id, family.people["creator"].id, "Rustig naar bed")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}/scales/{scale_id}/score")
    page.locator("#behaviour").fill("Voorgelezen en om acht uur licht uit, zonder boos worden.")
    save(page)  # no number chosen
    expect_error(page, "score", t("Choose a number from 0 to 10."))
    expect(page.locator("#behaviour")).to_have_value("Voorgelezen en om acht uur licht uit, zonder boos worden.")
    check_axe(page)
    page.get_by_role("radio", name="8", exact=True).check()
    save(page)
    expect(page.locator(".my-score")).to_contain_text("8")
    expect(page.locator(".score-chart svg")).to_be_visible()
    check_axe(page)


def test_home_shows_the_phase_progress_for_prepared_score_histories(live_server, factory, new_context):
    t = live_server.t
    family = factory.household("Familie Bakker", "Sanne Bakker")
    chair = factory.member(family, "chair", "Fatima Yilmaz", {Role.chair, Role.network_member})
    creator = family.people["creator"]
    scale_id = add_statement(live_server, family.id, creator.id, "Rust als de ouders praten")
    set_phase(live_server, family.id, Phase.risk_driven)
    for back in range(1, 5):  # four whole months of 6 and 7; nobody has scored this month yet
        add_score(live_server, scale_id, creator.id, 6, months_ago(back))
        add_score(live_server, scale_id, chair.id, 7, months_ago(back))

    page = new_context().new_page()
    sign_in(page, live_server.url, chair.username)
    page.goto(f"{live_server.url}/h/{family.id}")
    page.locator("details.phase summary").click()  # where the household is, folded on the home
    progress = page.locator(".phase .phase-progress")
    expect(progress.locator(".progress-status")).to_have_text(t("%(done)s of the %(needed)s months done", done=4, needed=6))
    expect(progress.locator(".month-step--met")).to_have_count(4)
    expect(progress).to_contain_text(t("This month, not every scale has a score yet."))
    check_axe(page)

    add_score(live_server, scale_id, creator.id, 4, utcnow())  # a 4 this month: the run starts again
    page.reload()
    expect(progress.locator(".progress-status")).to_have_text(t("%(done)s of the %(needed)s months done", done=0, needed=6))
    expect(progress.locator(".month-step--below")).to_have_count(1)

    # Back to direct safety: everyone's latest score counts. Sanne's 4 holds it back, until she scores 6.
    set_phase(live_server, family.id, Phase.direct_safety)
    page.reload()
    expect(progress.locator(".progress-status")).to_have_text(
        t("Next step: when everyone gives a %(min)s or higher.", min=6) + " "
        + t("%(name)s gave a %(score)s now.", name=creator.name, score=4))
    add_score(live_server, scale_id, creator.id, 6, utcnow())
    page.reload()
    expect(progress.locator(".progress-status")).to_contain_text(t(
        "Done: everyone’s latest score on every scale is %(min)s or higher.", min=6))
    check_axe(page)

    # The chair moves the household on, with a note; the move is on the phase page.
    page.locator("details.phase summary").click()
    progress.get_by_role("link", name=t("What is needed to move on")).click()
    expect(page.locator("h1")).to_have_text(t("Where you are, and what is needed to move on"))
    expect(page.locator("input[name=to_phase][value=risk_driven]")).to_be_checked()
    check_axe(page)
    page.locator("#note").fill("Besloten in het netwerkberaad: iedereen scoort 6 of hoger.")
    save(page)
    expect(page.locator(".notice--success")).to_contain_text(t("Working on the risks"))
    expect(page.locator(".phases__step--current")).to_contain_text(t("Working on the risks"))
    expect(page.locator(".phase-move")).to_contain_text("Besloten in het netwerkberaad")
    expect(page.locator(".phase-move")).to_contain_text("Fatima Yilmaz")
    check_axe(page)

    # Someone who is not the chair reads the page but cannot move the household.
    other = new_context().new_page()
    sign_in(other, live_server.url, creator.username)
    other.goto(f"{live_server.url}/h/{family.id}/phase")
    expect(other.locator("form[action$='/phase/move']")).to_have_count(0)
    expect(other.locator(".phase-move")).to_contain_text("Besloten in het netwerkberaad")
    check_axe(other)
