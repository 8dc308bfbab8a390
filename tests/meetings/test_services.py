"""Network meetings without HTTP: which meeting counts as the last and the next one, planning, replies and questions,
recording (scores are ordinary scale scores, decisions become a draft plan version), who chaired over time, and what
happens when someone leaves or the household is erased."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.meetings.conftest import plan, statement
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Role
from webapp.households.services import membership_of
from webapp.meetings import services
from webapp.meetings.models import (
    ChairKind,
    Meeting,
    MeetingDecision,
    MeetingInvite,
    MeetingQuestion,
    MeetingStatus,
    PlanChange,
    Reply,
    meeting_topic,
)
from webapp.safety_plan import services as plan_services
from webapp.safety_plan.models import VersionStatus
from webapp.safety_scales.models import ScaleScore
from webapp.safety_scales.services import scores_of

Rule = services.MeetingRuleBroken


def _agreed_plan(family, *whats: str):
    version = plan_services.start_plan(db.session, family.household, family.users["chair"])
    for what in whats:
        plan_services.add_agreement(db.session, version, plan_services.AgreementInput(what))
    plan_services.agree(db.session, version)
    db.session.commit()
    return version


def test_last_held_and_next_planned_skip_cancelled_meetings_and_look_at_the_clock(family):
    now = utcnow()
    hid = family.household.id
    assert services.last_held(db.session, hid) is None and services.next_planned(db.session, hid, now) is None
    old = plan(family, now - timedelta(days=60))
    recent = plan(family, now - timedelta(days=20))
    cancelled_past = plan(family, now - timedelta(days=2))
    cancelled_past.status = MeetingStatus.cancelled
    soon = plan(family, now + timedelta(days=3))
    later = plan(family, now + timedelta(days=30))
    cancelled_soon = plan(family, now + timedelta(days=1))
    services.cancel_meeting(db.session, cancelled_soon)
    db.session.commit()
    assert services.last_held(db.session, hid) == recent  # not yet recorded still counts: it took place
    assert services.next_planned(db.session, hid, now) == soon
    assert services.next_planned(db.session, hid, soon.starts_at) == soon  # "at or after"
    assert services.next_planned(db.session, hid, soon.starts_at + timedelta(seconds=1)) == later
    assert services.previous_meeting(db.session, soon) == recent
    assert services.previous_meeting(db.session, old) is None
    assert services.last_held(db.session, family.other_household.id) is None


def test_planning_invites_the_network_and_keeps_whether_a_professional_chairs(family):
    now = utcnow()
    calm = statement(family)
    meeting = plan(family, topics=[calm], chair="professional")
    assert meeting.chair_kind == ChairKind.professional and meeting.place == "At Pat's home"
    assert [s.id for s in meeting.topics] == [calm.id]
    assert {i.user_id for i in meeting.invites} == {family.users[k].id for k in
                                                    ("household_member", "safety_person", "network_member", "chair")}
    assert plan(family, chair="chair").chair_kind == ChairKind.network
    bad = services.MeetingInput(now + timedelta(days=2), 90, " ", "", None)
    with pytest.raises(Rule, match="no_place"):
        services.plan_meeting(db.session, family.household, family.users["chair"], bad, now)
    past = services.MeetingInput(now - timedelta(minutes=1), 90, "Home", "", None)
    with pytest.raises(Rule, match="in_the_past"):
        services.plan_meeting(db.session, family.household, family.users["chair"], past, now)
    outsider = services.MeetingInput(now + timedelta(days=2), 90, "Home", "", None,
                                     invitee_ids=[family.users["outsider"].id])
    with pytest.raises(Rule, match="not_a_member"):
        services.plan_meeting(db.session, family.household, family.users["chair"], outsider, now)


def test_changing_the_time_raises_the_sequence_and_says_who_to_tell(family):
    now = utcnow()
    meeting = plan(family, invited=("household_member", "network_member"))
    data = services.MeetingInput(meeting.starts_at, 90, meeting.place, "", meeting.chair_id, [],
                                 [family.users["household_member"].id, family.users["safety_person"].id])
    update = services.update_meeting(db.session, meeting, family.household, data, now)
    assert not update.moved and update.added == [family.users["safety_person"].id]
    assert meeting.sequence == 0 and family.users["network_member"].id not in {i.user_id for i in meeting.invites}
    data.starts_at += timedelta(hours=1)
    update = services.update_meeting(db.session, meeting, family.household, data, now)
    assert update.moved and update.added == [] and meeting.sequence == 1
    assert set(update.kept) == {family.users["household_member"].id, family.users["safety_person"].id}


def test_members_reply_and_an_uninvited_member_can_reply_too(family):
    now = utcnow()
    meeting = plan(family, invited=("household_member",))
    services.reply(db.session, meeting, family.users["household_member"], Reply.coming, now)
    services.reply(db.session, meeting, family.users["network_member"], Reply.not_coming, now)
    services.reply(db.session, meeting, family.users["household_member"], Reply.not_coming, now)
    db.session.commit()
    replies = {i.user_id: i.reply for i in meeting.invites}
    assert replies == {family.users["household_member"].id: Reply.not_coming,
                       family.users["network_member"].id: Reply.not_coming}
    services.cancel_meeting(db.session, meeting)
    with pytest.raises(Rule, match="not_planned"):
        services.reply(db.session, meeting, family.users["household_member"], Reply.coming, now)


def test_questions_are_taken_back_by_their_author_or_the_chair_only(family):
    now = utcnow()
    meeting = plan(family)
    mine = services.add_question(db.session, meeting, family.users["network_member"], "  Weekends at dad's?  ", now)
    other = services.add_question(db.session, meeting, family.users["safety_person"], "School holidays", now)
    assert mine.text == "Weekends at dad's?"
    with pytest.raises(Rule, match="no_text"):
        services.add_question(db.session, meeting, family.users["network_member"], "   ", now)
    with pytest.raises(Rule, match="not_yours"):
        services.remove_question(db.session, other, family.users["network_member"], is_chair=False)
    services.remove_question(db.session, mine, family.users["network_member"], is_chair=False)
    services.remove_question(db.session, other, family.users["chair"], is_chair=True)
    db.session.commit()
    assert meeting.questions == []


def test_recording_marks_who_was_there_and_plans_the_next_meeting_once(family):
    now = utcnow()
    calm = statement(family)
    coming = plan(family, now + timedelta(hours=1))
    with pytest.raises(Rule, match="not_begun"):
        services.record_minutes(db.session, coming, family.household, family.users["chair"],
                                services.MinutesInput(None, []), now)
    meeting = plan(family, now - timedelta(hours=2), topics=[calm], invited=("household_member", "safety_person"))
    next_at = now + timedelta(days=28)
    data = services.MinutesInput(family.users["professional"].id, [family.users["household_member"].id],
                                 "Shouting once", "Calm mornings", "Kees visits on Friday", next_at)
    fresh = services.record_minutes(db.session, meeting, family.household, family.users["chair"], data, now)
    db.session.commit()
    assert meeting.status == MeetingStatus.held and meeting.chair_kind == ChairKind.professional
    assert {i.user_id: i.attended for i in meeting.invites} == {family.users["household_member"].id: True,
                                                                family.users["safety_person"].id: False}
    assert fresh is not None and fresh.starts_at == next_at and fresh.status == MeetingStatus.planned
    assert {i.user_id for i in fresh.invites} == {i.user_id for i in meeting.invites}
    assert [s.id for s in fresh.topics] == [calm.id] and fresh.place == meeting.place
    # Saving again with another date moves that meeting; it does not make a second one.
    data.next_starts_at = next_at + timedelta(days=1)
    assert services.record_minutes(db.session, meeting, family.household, family.users["chair"], data, now) is None
    db.session.commit()
    assert fresh.starts_at == next_at + timedelta(days=1) and fresh.sequence == 1
    assert db.session.scalar(select(func.count(Meeting.id))) == 3


def test_a_score_given_in_the_meeting_is_an_ordinary_scale_score(family):
    now = utcnow()
    calm = statement(family)
    meeting = plan(family, now - timedelta(hours=1))
    score = services.add_meeting_score(db.session, meeting, family.household, family.users["safety_person"].id,
                                       calm.scale, 7, "Kim slept well all week", now)
    db.session.commit()
    [row] = scores_of(db.session, [calm.scale.id])[calm.scale.id]
    assert row.id == score.id and row.user_id == family.users["safety_person"].id
    assert row.score == 7 and row.meeting_id == meeting.id and row.scored_at == meeting.starts_at
    with pytest.raises(Rule, match="not_a_member"):
        services.add_meeting_score(db.session, meeting, family.household, family.users["professional"].id,
                                   calm.scale, 5, "x", now)
    assert services.remove_meeting_score(db.session, meeting, score.id)
    assert scores_of(db.session, [calm.scale.id])[calm.scale.id] == []


def test_decisions_with_plan_changes_go_into_one_draft_that_is_not_agreed(family):
    now = utcnow()
    in_force = _agreed_plan(family, "Bedtime at half past seven", "Grandma visits twice a week")
    bedtime, visits = in_force.agreements
    meeting = plan(family, now - timedelta(hours=1))
    plain = services.add_decision(db.session, meeting, family.household, family.users["chair"],
                                  services.DecisionInput("Meet again in a month"), now)
    assert plain.version_id is None and plan_services.draft_of(db.session, family.household.id) is None
    add = services.add_decision(db.session, meeting, family.household, family.users["chair"], services.DecisionInput(
        "Ned checks the window daily", PlanChange.add, proposed_text="Ned looks at the window every day"), now)
    change = services.add_decision(db.session, meeting, family.household, family.users["chair"], services.DecisionInput(
        "Later bedtime at weekends", PlanChange.change, bedtime.lineage_id, "Bedtime at eight at weekends"), now)
    gone = services.add_decision(db.session, meeting, family.household, family.users["chair"], services.DecisionInput(
        "Visits are no longer needed", PlanChange.remove, visits.lineage_id), now)
    db.session.commit()
    draft = plan_services.draft_of(db.session, family.household.id)
    assert add.version_id == change.version_id == gone.version_id == draft.id and draft.meeting_id == meeting.id
    assert draft.status == VersionStatus.draft and draft.number == 2
    assert plan_services.version_in_force(db.session, family.household.id).id == in_force.id  # nothing agreed here
    found = plan_services.changes(db.session, in_force, draft)
    assert [a.what for a in found.added] == ["Ned looks at the window every day"]
    assert [a.what for a in found.removed] == ["Grandma visits twice a week"]
    assert [(c.agreement.what, [f.name for f in c.fields]) for c in found.changed] == [
        ("Bedtime at eight at weekends", ["what"])]
    with pytest.raises(Rule, match="agreement_gone"):  # removed in the draft already
        services.add_decision(db.session, meeting, family.household, family.users["chair"], services.DecisionInput(
            "Again", PlanChange.change, visits.lineage_id, "New words"), now)


def test_a_decision_starts_the_plan_when_there_is_none_yet(family):
    now = utcnow()
    meeting = plan(family, now - timedelta(hours=1))
    decision = services.add_decision(db.session, meeting, family.household, family.users["chair"],
                                     services.DecisionInput("A first rule", PlanChange.add,
                                                            proposed_text="Nobody shouts when Kim is there"), now)
    draft = plan_services.draft_of(db.session, family.household.id)
    assert decision.version_id == draft.id and draft.number == 1
    assert [a.what for a in draft.agreements] == ["Nobody shouts when Kim is there"]


def test_sharing_needs_recorded_minutes_and_tells_the_network_once(family):
    now = utcnow()
    meeting = plan(family, now - timedelta(hours=1))
    with pytest.raises(Rule, match="not_recorded"):
        services.share_minutes(db.session, meeting, now)
    services.record_minutes(db.session, meeting, family.household, family.users["chair"],
                            services.MinutesInput(family.users["chair"].id, []), now)
    told = services.share_minutes(db.session, meeting, now)
    assert set(told) == {family.users[k].id for k in ("household_member", "safety_person", "network_member", "chair")}
    assert services.share_minutes(db.session, meeting, now) == []


def test_chair_history_shows_the_network_taking_over(family):
    now = utcnow()
    for days, chair in ((90, "professional"), (60, "professional"), (30, "chair"), (2, "chair")):
        plan(family, now - timedelta(days=days), chair=chair)
    plan(family, now + timedelta(days=20), chair="chair")  # not held yet: does not count
    history = services.chair_history(db.session, family.household.id, now)
    assert [m.chair_kind for m in history.meetings] == [ChairKind.professional] * 2 + [ChairKind.network] * 2
    assert history.network_streak == 2 and history.network_count == 2
    # The kind is kept as it was: the chair becoming a professional later does not rewrite the history.
    membership_of(db.session, family.household.id, family.users["chair"].id).set_roles({Role.professional})
    db.session.commit()
    assert services.chair_history(db.session, family.household.id, now).network_streak == 2


def test_a_member_who_leaves_is_uninvited_but_stays_in_earlier_minutes_as_former_member(family):
    from webapp.ownership.services import leave_household
    now = utcnow()
    held = plan(family, now - timedelta(days=3), chair="network_member")
    services.record_minutes(db.session, held, family.household, family.users["chair"],
                            services.MinutesInput(family.users["network_member"].id, [family.users["network_member"].id]),
                            now)
    coming = plan(family)
    services.add_question(db.session, coming, family.users["network_member"], "Holidays?", now)
    db.session.commit()
    leaver = family.users["network_member"].id
    leave_household(db.session, family.membership("network_member"))
    db.session.commit()
    db.session.expire_all()
    assert leaver not in {i.user_id for i in coming.invites}
    assert [i.attended for i in held.invites if i.user_id is None] == [True]
    assert held.chair_id is None and held.chair_kind == ChairKind.network
    assert [q.author_id for q in coming.questions] == [None]


def test_a_member_removed_by_the_household_is_no_longer_invited_to_meetings_to_come(family):
    from webapp.households.services import remove_member
    coming = plan(family)
    removed = family.users["network_member"].id
    remove_member(db.session, family.membership("network_member"))
    db.session.commit()
    db.session.expire_all()
    assert removed not in {i.user_id for i in coming.invites}
    assert family.users["safety_person"].id in {i.user_id for i in coming.invites}


def test_erasing_the_household_removes_every_meeting_row(family, app):
    from webapp.ownership.services import erase_household
    now = utcnow()
    calm = statement(family)
    _agreed_plan(family, "Bedtime")
    held = plan(family, now - timedelta(days=3), topics=[calm])
    services.add_question(db.session, held, family.users["network_member"], "Holidays?", now)
    services.add_meeting_score(db.session, held, family.household, family.users["chair"].id, calm.scale, 6, "ok", now)
    services.add_decision(db.session, held, family.household, family.users["chair"], services.DecisionInput(
        "New rule", PlanChange.add, proposed_text="Call Gwen"), now)
    services.record_minutes(db.session, held, family.household, family.users["chair"],
                            services.MinutesInput(None, [], next_starts_at=now + timedelta(days=20)), now)
    other = plan(family.__class__(family.other_household, {"chair": family.users["outsider"]}, family.household),
                 place="Elsewhere", invited=())
    db.session.commit()
    erase_household(db.session, app.instance_path, family.household)
    db.session.commit()
    for model in (MeetingInvite, MeetingQuestion, MeetingDecision, ScaleScore):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert db.session.scalar(select(func.count()).select_from(meeting_topic)) == 0
    assert list(db.session.scalars(select(Meeting.id))) == [other.id]
