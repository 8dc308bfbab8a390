"""The road so far: the four phases with the household's own dates (also after moving back), what happened on the way
in order (meetings held, plan versions agreed and approved, the circle's aim), the meetings to come, the scales'
trend in one line each and the next step; for the network, printable, and the same for the demo."""
from datetime import date, timedelta

from tests.conftest import sign_in_as
from tests.meetings.conftest import plan
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Phase
from webapp.meetings.models import MeetingStatus
from webapp.safety_circle.models import Ring
from webapp.safety_circle.services import place
from webapp.safety_plan import services as plan_services
from webapp.safety_scales.services import move_phase
from webapp.trajectory import services


def test_each_phase_shows_when_it_began_and_ended_also_after_moving_back(family):
    household, chair = family.household, family.users["chair"]
    household.created_at = utcnow() - timedelta(days=100)
    move_phase(db.session, household, chair, Phase.direct_safety, "", utcnow() - timedelta(days=60))
    move_phase(db.session, household, chair, Phase.risk_driven, "", utcnow() - timedelta(days=30))
    move_phase(db.session, household, chair, Phase.direct_safety, "back", utcnow() - timedelta(days=10))
    db.session.commit()
    stretches = {s.phase: s for s in services.road(db.session, household, utcnow(), _tz()).stretches}
    alignment, direct, risk, recovery = (stretches[p] for p in (Phase.alignment, Phase.direct_safety,
                                                                Phase.risk_driven, Phase.recovery))
    assert alignment.start == household.created_at and alignment.end.date() == (utcnow() - timedelta(days=60)).date()
    assert direct.current and direct.end is None and direct.start.date() == (utcnow() - timedelta(days=60)).date()
    assert risk.start is not None and risk.end.date() == (utcnow() - timedelta(days=10)).date() and not risk.current
    assert recovery.start is None and recovery.end is None


def _tz():
    from zoneinfo import ZoneInfo
    return ZoneInfo("Europe/Amsterdam")


def test_the_way_lists_meetings_plan_versions_and_the_circle_in_order_with_meetings_to_come(family):
    household = family.household
    household.created_at = utcnow() - timedelta(days=90)
    held = plan(family, utcnow() - timedelta(days=40))
    held.status = MeetingStatus.held
    coming = plan(family, utcnow() + timedelta(days=9))
    version = plan_services.start_plan(db.session, household, family.users["household_member"])
    plan_services.add_agreement(db.session, version, plan_services.AgreementInput("Grandma visits twice a week"))
    plan_services.agree(db.session, version, utcnow() - timedelta(days=30))
    plan_services.record_approval(db.session, version, "Pro Paula", "jeugdbeschermer", date.today() - timedelta(days=20),
                                  family.users["chair"])
    for days, key in ((25, "safety_person"), (15, "network_member"), (5, "chair")):
        place(db.session, household, family.users["household_member"], Ring.inner,
              membership=family.membership(key), now=utcnow() - timedelta(days=days))
    db.session.commit()

    road = services.road(db.session, household, utcnow(), _tz())
    assert [m.kind for m in road.milestones] == ["started", "meeting_held", "plan_agreed", "plan_approved",
                                                 "circle_aim"]
    assert road.milestones[1].meeting == held and road.milestones[3].approved_by == "Pro Paula (jeugdbeschermer)"
    assert road.milestones[4].when.date() == (utcnow() - timedelta(days=5)).date()  # the third came in then
    assert [m.meeting for m in road.upcoming] == [coming]


def test_the_network_reads_the_road_and_can_print_it(client, family):
    h = family.household.id
    sign_in_as(client, family.users["safety_person"])
    page = client.get(f"/h/{h}/road").text
    assert "Where are we?" in page and "Started in Kring." in page and 'aria-current="step"' in page
    assert "There are no safety scales yet." in page
    printed = client.get(f"/h/{h}/road/print").text
    assert "Printed from Kring on" in printed and "Started in Kring." in printed
    sign_in_as(client, family.users["professional"])
    assert client.get(f"/h/{h}/road").status_code == 403  # a professional reads the summary instead


def test_the_demo_road_runs_from_five_months_ago_through_its_meetings_to_the_next(client, app):
    from sqlalchemy import select
    from webapp.auth.models import User
    from webapp.demo import seed
    from webapp.households.models import Household
    seed(db.session)
    db.session.commit()
    household = db.session.scalar(select(Household))
    road = services.road(db.session, household, utcnow(), _tz())
    kinds = [m.kind for m in road.milestones]
    assert kinds[0] == "started" and road.milestones[0].when < utcnow() - timedelta(days=140)
    assert kinds.count("meeting_held") == 2 and "phase" in kinds and "plan_agreed" in kinds and "circle_aim" in kinds
    assert len(road.upcoming) == 1 and all(line.trend for line in road.scales)
    assert [s.phase for s in road.stretches if s.current] == [Phase.direct_safety]
    sign_in_as(client, db.session.scalar(select(User).where(User.username == "veiligheidspersoon")))
    assert client.get(f"/h/{household.id}/road").status_code == 200


def test_a_drill_is_on_the_road_except_for_someone_hidden_from_signals(client, family):
    from webapp.drills.models import DrillKind
    from webapp.drills.services import DrillInput, finish, plan as plan_drill
    drill = plan_drill(db.session, family.household, family.users["chair"], DrillInput(
        DrillKind.scenario, "Dad calls, angry, at dinner.", utcnow() - timedelta(days=2), None, []))
    finish(drill, "We know who Pat calls.", utcnow() - timedelta(days=2))
    db.session.commit()
    assert "drill" in [m.kind for m in services.road(db.session, family.household, utcnow(), _tz()).milestones]
    family.membership("network_member").signals_hidden = True
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{family.household.id}/road").text
    assert "The network practised the plan." not in page
    sign_in_as(client, family.users["safety_person"])
    assert "The network practised the plan." in client.get(f"/h/{family.household.id}/road").text


def test_where_the_method_asks_for_a_tested_plan_the_road_says_when_it_was_last_tested(client, family):
    from webapp.drills.models import DrillKind
    from webapp.drills.services import DrillInput, finish, plan as plan_drill
    move_phase(db.session, family.household, family.users["chair"], Phase.risk_driven, "", utcnow())
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{family.household.id}/road").text
    assert "Also needed: a stress test of the plan that went well." in page
    assert "The plan has not been tested in a drill yet." in page and "/drills/new" in page
    drill = plan_drill(db.session, family.household, family.users["chair"], DrillInput(
        DrillKind.scenario, "Dad calls, angry.", utcnow() - timedelta(days=3), None, []))
    finish(drill, "It went well.", utcnow() - timedelta(days=3))
    db.session.commit()
    assert "The plan was last tested on" in client.get(f"/h/{family.household.id}/road").text
