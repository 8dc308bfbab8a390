"""The summary: the figures of a chosen period match what the household recorded; the default period runs from the
last network meeting; a member hidden from signals sees it without signals; a bad period is explained."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from tests.conftest import sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import DAY, db  # DAY: the one date style Kring shows
from webapp.households.models import Phase
from webapp.meetings import services as meetings
from webapp.professionals import services
from webapp.resilience_calendar.models import ResilienceElement
from webapp.resilience_calendar.services import ActivityInput, add_activity
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, write_entry
from webapp.safety_plan import services as plan
from webapp.safety_scales.services import StatementInput, add_score, add_statement
from webapp.signals.models import AckKind, SignalSource
from webapp.signals.services import acknowledge, raise_signal

# Monday 3 March 2025 up to and including Sunday 16 March 2025 (Amsterdam, UTC+1).
PERIOD = "start=2025-03-03&end=2025-03-16"


def _seed(app, family):
    """Two weeks of a household: the log, two answered signals, scores before and in the period, the calendar."""
    users, household = family.users, family.household
    version = plan.start_plan(db.session, household, users["chair"])
    bedtime = plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven"))
    plan.add_agreement(db.session, version, plan.AgreementInput("Visits on Saturday"))
    plan.agree(db.session, version)
    plan.record_approval(db.session, version, "Jeugdbeschermer Joke", "youth protection worker", date(2025, 2, 20),
                         users["chair"])
    for n, (who, kind, day) in enumerate([("household_member", EntryKind.went_well, 3),
                                          ("safety_person", EntryKind.went_well, 4),
                                          ("household_member", EntryKind.went_wrong, 11),
                                          ("household_member", EntryKind.calm_moment, 20)]):  # after the period
        entry, _ = write_entry(db.session, app.instance_path, household, users[who], f"summary-{n}", NewEntry(
            kind=kind, occurred_at=datetime(2025, 3, day, 18), what_happened="Something",
            agreement_id=bedtime.id if kind == EntryKind.went_wrong else None))
        entry.created_at = datetime(2025, 3, day, 19)
    for n, (day, minutes) in enumerate([(5, 4), (12, 10)]):
        signal, _ = raise_signal(db.session, household, users["household_member"], f"summary-signal-{n}",
                                 SignalSource.safe_object, "", datetime(2025, 3, day, 18), 0)
        acknowledge(db.session, signal, users["network_member"], AckKind.going,
                    datetime(2025, 3, day, 18) + timedelta(minutes=minutes))
    statement = add_statement(db.session, household, users["chair"], StatementInput(
        "School", "Shouting", "Mila gets scared", "Calm evenings", "Calm evenings"), datetime(2025, 1, 1))
    add_score(db.session, statement.scale, users["safety_person"], 4, "Loud", datetime(2025, 2, 1))
    add_score(db.session, statement.scale, users["safety_person"], 7, "Calm week", datetime(2025, 3, 10))
    for day in (date(2025, 3, 4), date(2025, 3, 12)):
        add_activity(db.session, household, users["household_member"], ActivityInput(day, "All day", set(ResilienceElement)))
    db.session.commit()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_summary_of_a_period_shows_the_households_own_figures(app, client, family):
    family.household.phase = Phase.direct_safety
    _seed(app, family)
    sign_in_as(client, family.users["professional"])
    response = client.get(f"/h/{family.household.id}/summary?{PERIOD}")
    assert response.status_code == 200
    text = _text(response.text)
    assert "From 3 March 2025 up to and including 16 March 2025." in text
    assert "Direct safety" in text
    assert "Direct safety plan, version 1" in text and "Approved by Jeugdbeschermer Joke" in text
    assert "The agreements in the safety log: 0 kept, 1 not kept at least once, 1 with no entries linked yet." in text
    assert "1. Bedtime at half past seven" in text and "Visits on Saturday" not in text
    assert "3 entries" in text  # the one after the period is not counted
    assert re.search(r"Went well\s+2\b", text) and re.search(r"Went wrong\s+1\b", text)
    assert "2 signals" in text and "Answered in Kring 2 of 2" in text
    assert "Time to the first answer, middle 7 minutes" in text
    assert "Time to the first answer, longest 10 minutes" in text
    assert "Middle now: 7" in text and "higher than before (4)" in text and "1 score in this period" in text
    assert "2 of 14 days had all six elements." in text
    # Parent Pat wrote and planned, Grandma Gwen wrote and scored, Neighbour Ned answered signals, Aunt Chris
    # only wrote the statement (before the period).
    assert "3 people from the network took part" in text and "Grandma Gwen, Neighbour Ned, Parent Pat" in text
    assert "That is the aim of at least 3." in text
    weeks = re.findall(r'<tr><th scope="row" class="summary-table__week">([^<]+)</th><td class="num">(\d+)</td>'
                       r'<td class="num">(\d+)</td></tr>', response.text)
    assert weeks == [("3 March", "2", "1"), ("10 March", "1", "1")]


def test_the_default_period_runs_from_the_last_network_meeting(app, client, family):
    now = utcnow()
    held = meetings.plan_meeting(db.session, family.household, family.users["chair"], meetings.MeetingInput(
        now + timedelta(days=1), 90, "At Oma's", "", family.users["chair"].id), now)
    held.starts_at = now - timedelta(days=10)
    meetings.plan_meeting(db.session, family.household, family.users["chair"], meetings.MeetingInput(
        now + timedelta(days=20), 90, "Community centre", "", family.users["chair"].id), now)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    text = _text(client.get(f"/h/{family.household.id}/summary").text)
    first = services.local_today(held.starts_at, _tz())
    assert "Since the network meeting of " + format_date(first, DAY, locale="en") in text
    assert "Community centre" in text and "No network meeting planned yet." not in text


def _tz():
    return ZoneInfo("Europe/Amsterdam")


def test_without_meetings_the_default_period_is_the_last_three_months(client, family):
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{family.household.id}/summary").text
    today = services.local_today(utcnow(), _tz())
    first = services.add_months(today, -3)
    assert f'value="{first.isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    assert "No network meeting planned yet." in page


def test_a_member_hidden_from_signals_sees_the_summary_without_signals(app, client, family):
    _seed(app, family)
    family.membership("household_member").signals_hidden = True
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{family.household.id}/summary?{PERIOD}").text
    assert "3 entries" in page and "signals-title" not in page and "first answer" not in page


def test_a_period_that_ends_before_it_starts_is_explained_and_kept(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.get(f"/h/{family.household.id}/summary?start=2025-03-16&end=2025-03-03")
    assert response.status_code == 422
    assert "The end date is before the start date." in response.text
    assert 'value="2025-03-16"' in response.text and 'value="2025-03-03"' in response.text
    assert "entries" in response.text  # the default period's figures are still shown


def test_the_summary_is_in_dutch_for_a_dutch_reader(client, family):
    family.users["professional"].locale = "nl"
    db.session.commit()
    sign_in_as(client, family.users["professional"])
    page = client.get(f"/h/{family.household.id}/summary?{PERIOD}").text
    assert '<html lang="nl"' in page and "maart 2025" in page


def test_only_the_household_and_professionals_read_the_summary(client, family):
    for person, status in (("household_member", 200), ("chair", 200), ("safety_person", 403),
                           ("network_member", 403), ("professional", 200), ("outsider", 404)):
        sign_in_as(client, family.users[person])
        assert client.get(f"/h/{family.household.id}/summary").status_code == status, person


def test_a_start_date_alone_counts_up_to_today_and_must_not_be_later(client, family):
    sign_in_as(client, family.users["household_member"])
    today = services.local_today(utcnow(), _tz())
    # A hundred days back: a fixed date passes the two-year limit one day (2025-03-03 would, from March 2027 on).
    fine = client.get(f"/h/{family.household.id}/summary?start={(today - timedelta(days=100)).isoformat()}")
    assert fine.status_code == 200
    assert "up to and including " + format_date(today, DAY, locale="en") in _text(fine.text)
    later = client.get(f"/h/{family.household.id}/summary?start={(today + timedelta(days=3)).isoformat()}")
    assert later.status_code == 422 and "The end date is before the start date." in later.text
    too_long = client.get(f"/h/{family.household.id}/summary?start=2019-01-01&end=2025-01-01")
    assert too_long.status_code == 422 and "at most two years" in too_long.text
