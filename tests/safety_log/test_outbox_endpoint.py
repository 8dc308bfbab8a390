"""The composer's JSON answers, which the phone's outbox relies on to send an entry written offline
exactly once."""
import uuid

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp.extensions import db
from webapp.safety_log.models import LogEntry

JSON = {"Accept": "application/json"}


def _entry(client_id: str, **fields) -> dict:
    return {"client_id": client_id, "kind": "went_well", "what_happened": "Oma bracht Sam naar school.",
            "what_was_done": "", "occurred_at": "2026-01-10T08:15", **fields}


def _rows(household, client_id: str) -> int:
    return db.session.scalar(select(func.count()).select_from(LogEntry).where(
        LogEntry.household_id == household.id, LogEntry.client_id == client_id))


def test_resending_the_same_client_id_answers_200_and_keeps_exactly_one_entry(client, family):
    sign_in_as(client, family.users["household_member"])
    url = f"/h/{family.household.id}/log/new"
    client_id = str(uuid.uuid4())

    first = client.post(url, data=_entry(client_id), headers=JSON)
    assert first.status_code == 201
    assert first.json["created"] is True and isinstance(first.json["id"], int)

    again = client.post(url, data=_entry(client_id), headers=JSON)
    assert again.status_code == 200
    assert again.json["created"] is False
    assert _rows(family.household, client_id) == 1
    assert db.session.get(LogEntry, first.json["id"]).what_happened == "Oma bracht Sam naar school."


def test_the_same_client_id_in_another_household_is_a_different_entry(client, family):
    client_id = str(uuid.uuid4())
    sign_in_as(client, family.users["household_member"])
    assert client.post(f"/h/{family.household.id}/log/new", data=_entry(client_id), headers=JSON).status_code == 201
    sign_in_as(client, family.users["outsider"])
    assert client.post(f"/h/{family.other_household.id}/log/new", data=_entry(client_id), headers=JSON).status_code == 201
    assert _rows(family.household, client_id) == 1 and _rows(family.other_household, client_id) == 1


def test_an_empty_entry_gets_422_with_the_reasons_in_dutch_and_nothing_is_saved(client, family):
    member = family.users["household_member"]
    member.locale = "nl"
    db.session.commit()
    sign_in_as(client, member)
    client_id = str(uuid.uuid4())

    answer = client.post(f"/h/{family.household.id}/log/new", headers=JSON,
                         data=_entry(client_id, kind="", what_happened="", what_was_done=""))
    assert answer.status_code == 422
    assert answer.json["errors"]["kind"] == ["Kies wat voor moment het was."]
    assert _rows(family.household, client_id) == 0

    no_text = client.post(f"/h/{family.household.id}/log/new", headers=JSON,
                          data=_entry(client_id, what_happened="  ", what_was_done=""))
    assert no_text.status_code == 422
    assert no_text.json["errors"] == {"what_happened": ["Schrijf op wat er gebeurde, of voeg een foto toe."]}
    assert _rows(family.household, client_id) == 0


def test_a_signed_out_phone_is_sent_to_sign_in_not_answered_with_success(client, family):
    # The outbox sends with redirect "manual": a redirect must never look like a saved entry.
    answer = client.post(f"/h/{family.household.id}/log/new", data=_entry(str(uuid.uuid4())), headers=JSON)
    assert answer.status_code in (301, 302, 303, 401)
    assert db.session.scalar(select(func.count()).select_from(LogEntry)) == 0


def test_an_entry_kept_on_a_shared_phone_is_not_saved_under_someone_else(client, family):
    """Pat wrote offline; Ned signed in on the same phone before it was sent: it is refused, not misattributed."""
    from webapp.safety_log.models import LogEntry
    from webapp.extensions import db
    sign_in_as(client, family.users["network_member"])
    response = client.post(f"/h/{family.household.id}/log/new", headers={"Accept": "application/json"}, data={
        "client_id": "shared-phone-1", "author_check": str(family.users["household_member"].id), "kind": "went_well",
        "what_happened": "Pat's story", "occurred_at": "2026-11-20T18:00"})
    assert response.status_code == 422
    assert "someone else was signed in" in " ".join(response.json["errors"]["what_happened"])
    assert db.session.query(LogEntry).count() == 0
