"""Leaving a household: access ends, what was written stays as evidence under a neutral label."""
from datetime import date, datetime

from tests.conftest import sign_in_as
from webapp.extensions import db
from webapp.households.models import Role
from webapp.resilience_calendar.models import CalendarActivity, ResilienceElement
from webapp.resilience_calendar.services import ActivityInput, add_activity
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_log.services import NewEntry, correct_entry, toggle_highlight, write_entry


def test_leaving_keeps_the_entries_as_written_by_a_former_member(client, app, family):
    ned = family.users["network_member"]
    entry, _ = write_entry(db.session, app.instance_path, family.household, ned, "ned-1",
                           NewEntry(EntryKind.nearly_wrong, datetime(2026, 11, 5, 20), "Voices raised next door"))
    correct_entry(db.session, entry, ned, EntryKind.nearly_wrong, entry.occurred_at, "Voices raised, it calmed down", "", None)
    toggle_highlight(db.session, entry, ned)
    add_activity(db.session, family.household, ned, ActivityInput(date(2026, 11, 6), "Football", {ResilienceElement.exercise},
                                                                  part_of_day=None))
    db.session.commit()
    sign_in_as(client, ned)
    assert "Leave" in client.get(f"/h/{family.household.id}/leave").text
    response = client.post(f"/h/{family.household.id}/leave", data={})
    assert response.status_code == 302
    assert client.get(f"/h/{family.household.id}").status_code == 404

    kept = db.session.get(LogEntry, entry.id)
    assert kept.author_id is None and kept.what_happened == "Voices raised, it calmed down"
    assert kept.versions[0].replaced_by_id is None and kept.highlights == []
    assert db.session.scalar(db.select(CalendarActivity)).created_by_id is None
    reader = app.test_client()
    sign_in_as(reader, family.users["household_member"])
    page = reader.get(f"/h/{family.household.id}/log/{entry.id}").text
    assert "Former member" in page and "Neighbour Ned" not in page


def test_the_last_manager_cannot_leave_others_behind(client, family):
    chair = family.membership("chair")
    chair.set_roles({Role.network_member})
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/leave", data={}, follow_redirects=True)
    assert "You are the last one who can manage this household" in response.text
    assert client.get(f"/h/{family.household.id}").status_code == 200


def test_a_professional_does_not_leave_but_is_ended_by_the_household(client, family):
    sign_in_as(client, family.users["professional"])
    assert client.post(f"/h/{family.household.id}/leave", data={}).status_code == 403





def test_leaving_keeps_signals_and_answers_under_former_member(client, app, family):
    from webapp.auth.models import utcnow
    from webapp.signals import services as signals
    from webapp.signals.models import AckKind, AlertRing, Signal, SignalSource
    ned = family.users["network_member"]
    signals.set_ring(db.session, family.membership("network_member"), 2)
    signal, _ = signals.raise_signal(db.session, family.household, ned, "leave-1", SignalSource.safe_object, "",
                                     utcnow(), 0)
    signals.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going, utcnow())
    other, _ = signals.raise_signal(db.session, family.household, family.users["chair"], "leave-2",
                                    SignalSource.safe_object, "", utcnow(), 0)
    signals.acknowledge(db.session, other, ned, AckKind.calling, utcnow())
    db.session.commit()
    sign_in_as(client, ned)
    client.post(f"/h/{family.household.id}/leave", data={})
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).raised_by_id is None
    assert [a.user_id for a in db.session.get(Signal, other.id).acknowledgements] == [None]
    assert db.session.scalar(db.select(AlertRing)) is None
    reader = app.test_client()
    sign_in_as(reader, family.users["chair"])
    assert "Neighbour Ned" not in reader.get(f"/h/{family.household.id}/signals/{other.id}").text
