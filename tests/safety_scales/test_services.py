"""Danger statements (at most four, in order, archived but readable), scores (0-10 with a note, only added),
phase progress from the database, phase moves, the monthly reminder's selection, erasing, and the demo."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.conftest import make_user
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Household, Phase, Role
from webapp.households.services import add_member
from webapp.safety_scales import services
from webapp.safety_scales.models import DangerStatement, PhaseMove, SafetyGoal, SafetyScale, ScaleScore
from webapp.safety_scales.services import InvalidScore, StatementInput, TooManyStatements

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 15, 12)


def text(n: int) -> StatementInput:
    return StatementInput(f"School {n}", f"Shouting {n}", f"Hurt {n}", f"Calm {n}", f"Scale {n}")


def add(family, n: int, who: str = "chair") -> DangerStatement:
    return services.add_statement(db.session, family.household, family.users[who], text(n), NOW)


def names(family) -> list[str]:
    return [s.scale.question for s in services.active_statements(db.session, family.household.id)]


def test_statement_comes_with_its_goal_and_scale_in_priority_order(app, family):
    first, second = add(family, 1), add(family, 2)
    assert (first.priority, second.priority) == (1, 2)
    assert first.goal.text == "Calm 1" and first.scale.question == "Scale 1"
    assert first.scale.household_id == family.household.id and first.created_by_id == family.users["chair"].id
    assert names(family) == ["Scale 1", "Scale 2"]


def test_a_fifth_active_statement_is_refused(app, family):
    for n in range(1, 5):
        add(family, n)
    with pytest.raises(TooManyStatements):
        add(family, 5)
    assert db.session.scalar(select(func.count()).select_from(DangerStatement)) == 4


def test_archiving_one_makes_room_and_keeps_its_scores(app, family):
    statements = [add(family, n) for n in range(1, 5)]
    services.add_score(db.session, statements[1].scale, family.users["network_member"], 4, "Shouting on Monday", NOW)
    services.archive_statement(db.session, statements[1], NOW)
    assert names(family) == ["Scale 1", "Scale 3", "Scale 4"]
    assert [s.priority for s in services.active_statements(db.session, family.household.id)] == [1, 2, 3]
    archived = services.archived_statements(db.session, family.household.id)
    assert [(a.id, a.archived_at, a.scale_id, a.question) for a in archived] == [
        (statements[1].id, NOW, statements[1].scale.id, statements[1].scale.question)]
    assert len(statements[1].scale.scores) == 1
    add(family, 5)
    with pytest.raises(TooManyStatements):
        services.restore_statement(db.session, statements[1])
    services.archive_statement(db.session, statements[0], NOW)
    services.restore_statement(db.session, statements[1])
    assert names(family) == ["Scale 3", "Scale 4", "Scale 5", "Scale 2"]


def test_statements_move_up_and_down_but_not_past_the_ends(app, family):
    one, two, three = add(family, 1), add(family, 2), add(family, 3)
    assert services.move_statement(db.session, three, -1)
    assert names(family) == ["Scale 1", "Scale 3", "Scale 2"]
    assert not services.move_statement(db.session, one, -1)
    assert not services.move_statement(db.session, two, 1)
    assert services.move_statement(db.session, one, 1)
    assert names(family) == ["Scale 3", "Scale 1", "Scale 2"]


def test_changing_the_words_keeps_the_scores(app, family):
    statement = add(family, 1)
    services.add_score(db.session, statement.scale, family.users["chair"], 6, "Calm week", NOW)
    services.update_statement(db.session, statement, StatementInput(" Oma ", "Door slams", "Fear", "Calm talks", "Calm talks"))
    assert (statement.who_is_worried, statement.goal.text, statement.scale.question) == ("Oma", "Calm talks", "Calm talks")
    assert len(statement.scale.scores) == 1


def test_every_part_of_a_statement_is_needed(app, family):
    with pytest.raises(ValueError):
        services.add_statement(db.session, family.household, family.users["chair"],
                               StatementInput("School", "  ", "Hurt", "Calm", "Scale"), NOW)


@pytest.mark.parametrize("score,note", [(11, "Saw it"), (-1, "Saw it"), (None, "Saw it"), ("7", "Saw it"), (True, "x"),
                                        (7, ""), (7, "   ")])
def test_a_score_needs_a_number_from_0_to_10_and_a_note(app, family, score, note):
    statement = add(family, 1)
    with pytest.raises(InvalidScore):
        services.add_score(db.session, statement.scale, family.users["chair"], score, note, NOW)
    assert db.session.scalar(select(func.count()).select_from(ScaleScore)) == 0


@pytest.mark.parametrize("score", [0, 10])
def test_0_and_10_are_scores(app, family, score):
    statement = add(family, 1)
    row = services.add_score(db.session, statement.scale, family.users["chair"], score, " Saw it ", NOW)
    assert row.score == score and row.behaviour == "Saw it" and row.household_id == family.household.id


def test_an_archived_scale_is_not_scored(app, family):
    statement = add(family, 1)
    services.archive_statement(db.session, statement, NOW)
    with pytest.raises(InvalidScore):
        services.add_score(db.session, statement.scale, family.users["chair"], 5, "Saw it", NOW)


def test_scores_are_kept_per_person_with_the_latest_round(app, family):
    statement = add(family, 1)
    for days, who, score in [(60, "chair", 3), (30, "chair", 5), (20, "safety_person", 8), (10, "household_member", 6)]:
        services.add_score(db.session, statement.scale, family.users[who], score, "seen", NOW - timedelta(days=days))
    members = services.member_names(db.session, family.household.id)
    series = services.series_per_person(services.scores_of(db.session, [statement.scale.id])[statement.scale.id], members)
    assert [(s.name, [r.score for r in s.scores]) for s in series] == [
        ("Aunt Chris", [3, 5]), ("Grandma Gwen", [8]), ("Parent Pat", [6])]
    latest = services.latest_round(series)
    assert [r.score for r in latest.scores] == [5, 6, 8] and latest.lowest == 5 and latest.median == 6


def test_phase_progress_reads_the_scores_of_the_people_in_the_household(app, family):
    household = family.household
    household.phase = Phase.direct_safety
    statement = add(family, 1)
    leaver = make_user("Lou Leaver", "lou")
    services.add_score(db.session, statement.scale, family.users["chair"], 7, "seen", NOW - timedelta(days=3))
    services.add_score(db.session, statement.scale, leaver, 2, "seen", NOW - timedelta(days=3))  # not a member
    progress = services.phase_progress(db.session, household, NOW, AMSTERDAM)
    assert progress.met and progress.next_phase == Phase.risk_driven
    add_member(db.session, household, leaver, {Role.network_member})
    assert not services.phase_progress(db.session, household, NOW, AMSTERDAM).met
    household.phase = Phase.recovery
    assert not services.phase_progress(db.session, household, NOW, AMSTERDAM).met
    household.phase = Phase.alignment
    assert services.phase_progress(db.session, household, NOW, AMSTERDAM).check is None


def test_risk_driven_progress_counts_months_from_the_database(app, family):
    family.household.phase = Phase.risk_driven
    statement = add(family, 1)
    for month in range(6, 11):  # June to October, November not scored yet
        services.add_score(db.session, statement.scale, family.users["chair"], 6, "seen", datetime(2026, month, 12, 18))
    services.add_score(db.session, statement.scale, family.users["chair"], 3, "seen", datetime(2025, 12, 12, 18))
    progress = services.phase_progress(db.session, family.household, NOW, AMSTERDAM)
    assert progress.check.kind == "months" and progress.check.done == 5 and not progress.met
    services.add_score(db.session, statement.scale, family.users["safety_person"], 8, "seen", datetime(2026, 11, 2, 9))
    assert services.phase_progress(db.session, family.household, NOW, AMSTERDAM).check.done == 6


def test_moving_phase_is_recorded(app, family):
    family.household.phase = Phase.direct_safety
    move = services.move_phase(db.session, family.household, family.users["chair"], Phase.risk_driven, " Agreed ", NOW)
    assert family.household.phase == Phase.risk_driven
    assert (move.from_phase, move.to_phase, move.note, move.moved_by_id) == (
        Phase.direct_safety, Phase.risk_driven, "Agreed", family.users["chair"].id)
    with pytest.raises(ValueError):
        services.move_phase(db.session, family.household, family.users["chair"], Phase.risk_driven, "", NOW)
    assert services.phase_moves(db.session, family.household.id) == [move]


def test_reminder_goes_to_network_members_who_have_not_scored_every_scale_this_month(app, family):
    first, second = add(family, 1), add(family, 2)
    now = datetime(2026, 11, 20, 17, 30)
    services.add_score(db.session, first.scale, family.users["chair"], 6, "seen", datetime(2026, 11, 3, 9))
    services.add_score(db.session, second.scale, family.users["chair"], 6, "seen", datetime(2026, 10, 31, 22, 30))
    # 31 October 23:30 in Amsterdam is still October: the chair still has to score the second scale.
    services.add_score(db.session, first.scale, family.users["safety_person"], 6, "seen", datetime(2026, 11, 1, 8))
    services.add_score(db.session, second.scale, family.users["safety_person"], 7, "seen", datetime(2026, 11, 1, 8))
    reminders = services.people_to_remind(db.session, now, AMSTERDAM)
    by_user = {r.user_id: r.scales_left for r in reminders}
    users = family.users
    assert by_user == {users["household_member"].id: 2, users["network_member"].id: 1 + 1, users["chair"].id: 1}
    assert users["professional"].id not in by_user  # never scores
    assert users["outsider"].id not in by_user  # their household has no scales
    assert {r.household_name for r in reminders} == {"Family Test"}


def test_no_reminder_for_archived_scales_or_households_being_closed(app, family):
    statement = add(family, 1)
    services.archive_statement(db.session, statement, NOW)
    assert services.people_to_remind(db.session, NOW, AMSTERDAM) == []
    services.restore_statement(db.session, statement)
    family.household.erase_at = NOW + timedelta(days=10)
    assert services.people_to_remind(db.session, NOW, AMSTERDAM) == []


def test_reminder_push_is_discreet_unless_the_person_chose_details(app, family):
    from webapp.notify.models import PushSubscription
    add(family, 1)
    user = family.users["network_member"]
    db.session.add(PushSubscription(user=user, endpoint="https://push.example/1", p256dh="k", auth="a", device_name="phone"))
    reminder = next(r for r in services.people_to_remind(db.session, NOW, AMSTERDAM) if r.user_id == user.id)
    [message] = services.reminder_messages(db.session, reminder, "en")
    assert message.payload["title"] == "Kring" and "Family Test" not in message.payload["body"]
    assert "scale" not in message.payload["body"].lower() and message.payload["url"] == f"/h/{family.household.id}/scales"
    user.push_detail = True
    [message] = services.reminder_messages(db.session, reminder, "en")
    assert "Family Test" in message.payload["title"]
    assert services.reminder_messages(db.session, next(r for r in services.people_to_remind(
        db.session, NOW, AMSTERDAM) if r.user_id == family.users["chair"].id), "en") == []  # no device


def test_erasing_removes_every_statement_scale_score_and_move(app, family):
    statement = add(family, 1)
    services.add_score(db.session, statement.scale, family.users["chair"], 6, "seen", NOW)
    services.move_phase(db.session, family.household, family.users["chair"], Phase.direct_safety, "", NOW)
    other = services.add_statement(db.session, family.other_household, family.users["outsider"], text(9), NOW)
    services.erase_household_scales(db.session, family.household.id)
    db.session.expire_all()
    for model in (DangerStatement, SafetyGoal, SafetyScale):
        assert db.session.scalar(select(func.count()).select_from(model)) == 1
    assert db.session.scalar(select(func.count()).select_from(ScaleScore)) == 0
    assert db.session.scalar(select(func.count()).select_from(PhaseMove)) == 0
    assert db.session.get(DangerStatement, other.id) is not None


def test_demo_data_scores_two_scales_for_five_months_with_a_rise(app):
    from webapp.safety_scales.demo_data import seed_demo
    household = Household(name="Familie Demo", phase=Phase.direct_safety)
    db.session.add(household)
    users = {}
    for username, roles in [("ouder", {Role.household_member}), ("veiligheidspersoon", {Role.safety_person}),
                            ("netwerklid", {Role.network_member}), ("voorzitter", {Role.chair, Role.network_member}),
                            ("professional", {Role.professional})]:
        users[username] = make_user(username.title(), username, locale="nl")
        add_member(db.session, household, users[username], roles)
    seed_demo(db.session, household, users)
    db.session.commit()
    statements = services.active_statements(db.session, household.id)
    assert len(statements) == 2 and household.phase == Phase.direct_safety
    now = utcnow()
    for statement in statements:
        scores = statement.scale.scores
        assert {s.user.username for s in scores} == {"ouder", "veiligheidspersoon", "netwerklid", "voorzitter"}
        assert all(s.household_id == household.id for s in scores)
        assert all(s.behaviour and s.scored_at <= now for s in scores)
        assert 120 <= (now - min(s.scored_at for s in scores)).days <= 160
        series = services.series_per_person(scores, services.member_names(db.session, household.id))
        assert all(s.scores[-1].score > s.scores[0].score for s in series)  # everyone saw it get better
    progress = services.phase_progress(db.session, household, now, AMSTERDAM)
    assert not progress.met and [p.score for p in progress.check.below] == [5]  # one person is not convinced yet


def test_each_phone_keeps_the_outcome_of_its_own_reminder_whatever_order_the_outcomes_come_back_in(
        app, family, push_service, monkeypatch):
    """Pushes go out at once and their outcomes come back as they finish. The first phone's push service answers
    last, and that it no longer knows the phone: that phone goes, the other keeps its success (the reminder used to
    pair outcomes with phones in the order it sent them, so the wrong phone could be removed)."""
    from tests.signals.conftest import add_device
    from webapp.notify import sender as sender_module
    from webapp.notify.models import PushSubscription
    from webapp.notify.services import send_notices
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = True
    add(family, 1)
    user = family.users["network_member"]
    gone, kept = add_device(user, push_service, "Old phone"), add_device(user, push_service, "New phone")
    push_service.respond_with(gone.endpoint, 410)
    gone_id, kept_id = gone.id, kept.id
    db.session.commit()
    send = sender_module.Sender.send

    def slow_for_the_old_phone(self, message):
        if message.delivery_id == gone_id:
            time.sleep(0.5)  # answers after the new phone's push
        return send(self, message)
    monkeypatch.setattr(sender_module.Sender, "send", slow_for_the_old_phone)

    reminder = next(r for r in services.people_to_remind(db.session, NOW, AMSTERDAM) if r.user_id == user.id)
    messages = services.reminder_messages(db.session, reminder, "en")
    assert [m.delivery_id for m in messages] == [gone_id, kept_id]
    outcomes = send_notices(db.session, messages, app.config, NOW)
    assert [o.delivery_id for o in outcomes] == [kept_id, gone_id]  # the order they finished in
    db.session.commit()
    assert db.session.get(PushSubscription, gone_id) is None
    kept = db.session.get(PushSubscription, kept_id)
    assert kept is not None and kept.last_success_at == NOW and kept.last_error is None
