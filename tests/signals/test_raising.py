"""Raising a signal: stored with its first ring's deliveries at once, once per press, with an undo window,
escalation through the rings, answers and closing."""
from datetime import timedelta

from sqlalchemy import select

from tests.signals.conftest import NOW, add_device, raise_now
from webapp.extensions import db
from webapp.notify.models import Channel
from webapp.safety_log.models import LogEntry
from webapp.signals import services
from webapp.signals.models import AckKind, Delivery, DeliveryStatus, Purpose, Signal, SignalStatus


def _alerted(signal):
    return {d.user.username for d in signal.deliveries if d.purpose == Purpose.alert}


def test_signal_and_first_ring_deliveries_are_stored_together_before_anything_is_sent(family, push_service):
    add_device(family.users["safety_person"], push_service)
    add_device(family.users["safety_person"], push_service, "iPhone – Safari")
    add_device(family.users["network_member"], push_service)
    signal = raise_now(family, undo_seconds=5)
    assert signal.status == SignalStatus.open and signal.level == 1
    assert signal.send_at == NOW + timedelta(seconds=5)
    # One delivery per device of ring 1 (the safety person); ring 3 waits for escalation.
    assert [(d.user.username, d.channel, d.status) for d in signal.deliveries] == [
        ("safety-person", Channel.push, DeliveryStatus.queued)] * 2
    assert push_service.received == []


def test_a_resend_and_a_double_tap_make_one_signal(family, push_service):
    add_device(family.users["safety_person"], push_service)
    first = raise_now(family, client_id="tap-1")
    again = raise_now(family, client_id="tap-1")
    double_tap = raise_now(family, client_id="tap-2", now=NOW + timedelta(seconds=3))
    assert first.id == again.id == double_tap.id
    assert db.session.scalar(select(db.func.count(Signal.id))) == 1
    assert len(first.deliveries) == 1


def test_professional_child_hidden_member_and_the_raiser_are_never_alerted(family, push_service):
    for key in ("professional", "safety_person", "network_member", "chair", "household_member"):
        add_device(family.users[key], push_service)
    family.membership("network_member").signals_hidden = True
    family.household.escalate_after_minutes = 1
    signal = raise_now(family, by="household_member")
    services.escalate(db.session, signal.id, NOW + timedelta(minutes=1))
    services.escalate(db.session, signal.id, NOW + timedelta(minutes=2))
    assert signal.level == 3
    assert _alerted(signal) == {"safety-person", "chair"}


def test_an_empty_first_ring_passes_straight_to_the_next(family, push_service):
    add_device(family.users["network_member"], push_service)
    family.membership("safety_person").signals_hidden = True
    signal = raise_now(family)
    assert signal.level == 3
    assert _alerted(signal) == {"network-member"}
    assert [e.kind for e in signal.events][:3] == ["raised", "ring_alerted", "ring_alerted"]


def test_undo_within_the_window_cancels_everything_and_only_for_the_raiser(family, push_service):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, undo_seconds=5)
    assert not services.undo(db.session, signal, family.users["chair"], NOW + timedelta(seconds=1))
    assert services.undo(db.session, signal, family.users["household_member"], NOW + timedelta(seconds=4))
    assert signal.status == SignalStatus.cancelled
    assert {d.status for d in signal.deliveries} == {DeliveryStatus.cancelled}


def test_undo_after_the_window_is_refused(family, push_service):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, undo_seconds=5)
    assert not services.undo(db.session, signal, family.users["household_member"], NOW + timedelta(seconds=6))
    assert signal.status == SignalStatus.open


def test_no_answer_in_time_alerts_the_next_ring_then_everyone_by_email(family, push_service):
    family.users["safety_person"].email = "gwen@example.org"
    family.users["network_member"].email = "ned@example.org"
    add_device(family.users["safety_person"], push_service)
    add_device(family.users["network_member"], push_service)
    add_device(family.users["chair"], push_service)
    services.set_ring(db.session, family.membership("chair"), 2)
    signal = raise_now(family)
    assert signal.next_escalation_at == NOW + timedelta(minutes=3)
    assert not services.escalate(db.session, signal.id, NOW + timedelta(minutes=2))  # not yet
    assert services.escalate(db.session, signal.id, NOW + timedelta(minutes=3))
    assert signal.level == 2 and _alerted(signal) == {"safety-person", "chair"}
    assert not any(d.channel == Channel.email for d in signal.deliveries)
    assert services.escalate(db.session, signal.id, NOW + timedelta(minutes=6))
    assert signal.level == 3 and _alerted(signal) == {"safety-person", "chair", "network-member"}
    # From the last ring on, everyone alerted with an e-mail address also gets an e-mail.
    emails = sorted(d.user.username for d in signal.deliveries if d.channel == Channel.email)
    assert emails == ["network-member", "safety-person"]
    kinds = [e.kind for e in signal.events]
    assert kinds.count("ring_alerted") == 3 and "emailed" in kinds
    assert not services.escalate(db.session, signal.id, NOW + timedelta(minutes=30))  # nothing left


def test_escalation_runs_once_even_when_asked_twice(family, push_service):
    add_device(family.users["safety_person"], push_service)
    add_device(family.users["chair"], push_service)
    services.set_ring(db.session, family.membership("chair"), 2)
    signal = raise_now(family)
    later = NOW + timedelta(minutes=3)
    assert services.escalate(db.session, signal.id, later)
    assert not services.escalate(db.session, signal.id, later)
    assert [d.user.username for d in signal.deliveries].count("chair") == 1


def test_an_answer_stops_the_escalation(family, push_service):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family)
    assert services.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going, NOW + timedelta(seconds=40))
    assert signal.first_ack_at == NOW + timedelta(seconds=40) and signal.seconds_to_first_ack == 40
    assert signal.next_escalation_at is None
    assert not services.escalate(db.session, signal.id, NOW + timedelta(minutes=5))
    # Changing one's mind changes the answer, not the time of the first answer.
    assert services.acknowledge(db.session, signal, family.users["safety_person"], AckKind.calling, NOW + timedelta(minutes=1))
    assert [(a.user.username, a.kind) for a in signal.acknowledgements] == [("safety-person", AckKind.calling)]
    assert signal.first_ack_at == NOW + timedelta(seconds=40)


def test_people_who_cannot_be_reached_are_skipped_and_it_shows(family, push_service):
    add_device(family.users["safety_person"], push_service)
    add_device(family.users["chair"], push_service)
    family.users["safety_person"].unreachable_until = NOW + timedelta(hours=2)
    signal = raise_now(family)
    assert _alerted(signal) == {"chair"}  # ring 1 was empty, so ring 3 straight away
    assert any(e.kind == "skipped" and e.user_id == family.users["safety_person"].id for e in signal.events)
    reach = {r.membership.user.username: r for r in services.reach(db.session, family.household, NOW)}
    assert reach["safety-person"].unreachable_until == NOW + timedelta(hours=2)
    assert reach["chair"].by_push and not reach["network-member"].by_push


def test_closing_sends_the_all_clear_and_can_write_the_outcome_in_the_log(app, family, push_service):
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family, note="Bear on the windowsill")
    for d in signal.deliveries:
        d.status = DeliveryStatus.sent
    assert services.close_with_outcome(db.session, app.instance_path, signal, family.users["safety_person"],
                                       "Went over, all calm now.", "nearly_wrong", NOW + timedelta(minutes=10))
    db.session.commit()
    assert signal.status == SignalStatus.closed
    clear = [d for d in signal.deliveries if d.purpose == Purpose.all_clear]
    assert [(d.user.username, d.status) for d in clear] == [("safety-person", DeliveryStatus.queued)]
    entry = db.session.get(LogEntry, signal.log_entry_id)
    assert entry.what_happened == "Bear on the windowsill\n\nWent over, all calm now."
    assert entry.author.username == "safety-person"
    # Closing twice does nothing more.
    assert not services.close(db.session, signal, family.users["chair"], "again", NOW + timedelta(minutes=11))


def test_history_leaves_out_undone_signals_and_has_time_to_first_answer(family, push_service):
    add_device(family.users["safety_person"], push_service)
    kept = raise_now(family, client_id="kept-1")
    services.acknowledge(db.session, kept, family.users["safety_person"], AckKind.going, NOW + timedelta(seconds=75))
    undone = raise_now(family, client_id="undone-1", by="chair", undo_seconds=5)
    services.undo(db.session, undone, family.users["chair"], NOW)
    db.session.commit()
    found = services.history(db.session, family.household)
    assert [s.id for s in found] == [kept.id]
    assert found[0].seconds_to_first_ack == 75
    assert db.session.scalar(select(db.func.count(Delivery.id)).where(Delivery.signal_id == undone.id)) == 1
