"""A person who leaves may ask the household to remove what they wrote; the people who live there decide."""
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import jpeg_with_gps
from webapp.extensions import db
from webapp.ownership.models import RemovalDecision, RemovalRequest, RemovalRequestEntry
from webapp.uploads import clean
from webapp.safety_log.models import EntryKind, LogAttachment, LogEntry, LogEntryVersion, LogHighlight
from webapp.safety_log.services import NewEntry, correct_entry, toggle_highlight, withdraw_entry, write_entry


def _write(app, family, key, client_id, text, **extra):
    entry, _ = write_entry(db.session, app.instance_path, family.household, family.users[key], client_id,
                           NewEntry(EntryKind.nearly_wrong, datetime(2026, 11, 5, 20), text, **extra))
    return entry


def _neds_entries(app, family):
    """Ned writes two entries (one with a photo, corrected and marked for the meeting; one withdrawn);
    Pat writes one of her own."""
    ned = family.users["network_member"]
    with_photo = _write(app, family, "network_member", "ned-1", "Voices raised next door",
                        photos=[clean(jpeg_with_gps())])
    correct_entry(db.session, with_photo, ned, EntryKind.nearly_wrong, with_photo.occurred_at, "Voices raised, calm later",
                  "", None)
    toggle_highlight(db.session, with_photo, family.users["household_member"])
    withdrawn = _write(app, family, "network_member", "ned-2", "Wrong house, sorry")
    withdraw_entry(db.session, withdrawn, ned)
    pats = _write(app, family, "household_member", "pat-1", "Quiet evening")
    db.session.commit()
    return with_photo, withdrawn, pats


def _leave(app, family, key, ask: bool):
    client = app.test_client()
    sign_in_as(client, family.users[key])
    data = {"ask_removal": "y"} if ask else {}
    assert client.post(f"/h/{family.household.id}/leave", data=data).status_code == 302
    return db.session.scalar(select(RemovalRequest))


def _as(app, family, key):
    client = app.test_client()
    sign_in_as(client, family.users[key])
    return client


def _decision_url(family, request: RemovalRequest) -> str:
    return f"/h/{family.household.id}/removal-requests/{request.id}"


def test_the_leave_page_offers_to_ask_for_removal_unticked(app, family):
    page = _as(app, family, "network_member").get(f"/h/{family.household.id}/leave").text
    assert "Ask the household to remove what I wrote" in page
    assert 'name="ask_removal"' in page and "checked" not in page


def test_leaving_with_the_box_ticked_asks_to_remove_exactly_what_they_wrote(app, family):
    with_photo, withdrawn, pats = _neds_entries(app, family)
    request = _leave(app, family, "network_member", ask=True)
    assert request.former_member_name == "Neighbour Ned" and request.entry_count == 2
    assert [e.entry_id for e in request.entries] == sorted([with_photo.id, withdrawn.id])  # withdrawn counts; not Pat's
    assert request.decision is None and request.decided_at is None
    assert db.session.get(LogEntry, with_photo.id).author_id is None  # stays, signed "former member", until decided


def test_leaving_without_the_box_asks_nothing(app, family):
    _neds_entries(app, family)
    assert _leave(app, family, "network_member", ask=False) is None
    assert "asked to remove" not in _as(app, family, "household_member").get(f"/h/{family.household.id}").text


def test_leaving_with_nothing_written_asks_nothing(app, family):
    _write(app, family, "household_member", "pat-1", "Quiet evening")
    db.session.commit()
    assert _leave(app, family, "network_member", ask=True) is None


def test_the_household_member_sees_the_notice_and_the_entries(app, family):
    _neds_entries(app, family)
    request = _leave(app, family, "network_member", ask=True)
    pat = _as(app, family, "household_member")
    home = pat.get(f"/h/{family.household.id}").text
    assert "Neighbour Ned has left and asked to remove what they wrote (2 entries)." in home
    assert _decision_url(family, request) in home
    page = pat.get(_decision_url(family, request)).text
    assert "Voices raised, calm later" in page and "Wrong house, sorry" in page and "Quiet evening" not in page
    assert "Remove them" in page and "Keep them as evidence" in page


def test_only_the_household_decides(app, family):
    _neds_entries(app, family)
    request = _leave(app, family, "network_member", ask=True)
    url = _decision_url(family, request)
    for person in ("chair", "safety_person", "professional"):
        client = _as(app, family, person)
        assert "asked to remove" not in client.get(f"/h/{family.household.id}").text, person
        assert client.get(url).status_code == 403, person
        assert client.post(url, data={"decision": "removed"}).status_code == 403, person
    outsider = _as(app, family, "outsider")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, data={"decision": "removed"}).status_code == 404
    # Another household's member cannot reach it through their own household either.
    assert outsider.get(f"/h/{family.other_household.id}/removal-requests/{request.id}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(LogEntry)) == 3


def test_remove_deletes_the_entries_with_their_history_and_files(app, family):
    with_photo, withdrawn, pats = _neds_entries(app, family)
    photo = Path(app.instance_path) / "uploads" / str(family.household.id) / with_photo.attachments[0].filename
    assert photo.exists()
    request = _leave(app, family, "network_member", ask=True)
    pat = _as(app, family, "household_member")
    response = pat.post(_decision_url(family, request), data={"decision": "removed"}, follow_redirects=True)
    assert "What Neighbour Ned wrote is removed from the safety log." in response.text
    assert "Parent Pat removed the 2 entries on" in response.text and "Voices raised" not in response.text

    assert [e.id for e in db.session.scalars(select(LogEntry))] == [pats.id]
    for model in (LogEntryVersion, LogAttachment, LogHighlight, RemovalRequestEntry):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert not photo.exists()
    decided = db.session.get(RemovalRequest, request.id)
    assert decided.decision == RemovalDecision.removed and decided.decided_at is not None
    assert decided.decided_by_id == family.users["household_member"].id and decided.entry_count == 2
    assert "asked to remove" not in pat.get(f"/h/{family.household.id}").text


def test_keep_keeps_the_entries_as_evidence(app, family):
    with_photo, withdrawn, pats = _neds_entries(app, family)
    photo = Path(app.instance_path) / "uploads" / str(family.household.id) / with_photo.attachments[0].filename
    request = _leave(app, family, "network_member", ask=True)
    pat = _as(app, family, "household_member")
    response = pat.post(_decision_url(family, request), data={"decision": "kept"}, follow_redirects=True)
    assert "What Neighbour Ned wrote stays in the safety log as evidence." in response.text
    assert "Parent Pat chose on" in response.text and "Voices raised, calm later" in response.text
    assert "Remove them" not in response.text

    assert db.session.scalar(select(func.count()).select_from(LogEntry)) == 3 and photo.exists()
    decided = db.session.get(RemovalRequest, request.id)
    assert decided.decision == RemovalDecision.kept and decided.decided_by_id == family.users["household_member"].id
    assert decided.decided_at is not None and len(decided.entries) == 2
    assert "asked to remove" not in pat.get(f"/h/{family.household.id}").text
    # Decided once: a late "remove" from a second tab changes nothing.
    pat.post(_decision_url(family, request), data={"decision": "removed"})
    assert db.session.scalar(select(func.count()).select_from(LogEntry)) == 3
    assert db.session.get(RemovalRequest, request.id).decision == RemovalDecision.kept


def test_a_decision_without_a_choice_changes_nothing(app, family):
    _neds_entries(app, family)
    request = _leave(app, family, "network_member", ask=True)
    pat = _as(app, family, "household_member")
    assert pat.post(_decision_url(family, request), data={"decision": "both"}).status_code == 200
    assert db.session.get(RemovalRequest, request.id).decision is None


def test_the_household_export_holds_the_requests_and_decisions(app, family):
    _neds_entries(app, family)
    request = _leave(app, family, "network_member", ask=True)
    pat = _as(app, family, "household_member")
    pat.post(_decision_url(family, request), data={"decision": "removed"})
    archive = zipfile.ZipFile(io.BytesIO(pat.get(f"/h/{family.household.id}/export").data))
    [exported] = json.loads(archive.read("removal_requests.json"))
    assert exported["former_member"] == "Neighbour Ned" and exported["entries"] == 2
    assert exported["decision"] == "removed" and exported["decided_by"] == "Parent Pat" and exported["decided_at"]


def test_erasing_the_household_erases_its_removal_requests(app, family):
    from webapp.households.models import Household
    from webapp.ownership.services import erase_household
    _neds_entries(app, family)
    _leave(app, family, "network_member", ask=True)
    erase_household(db.session, app.instance_path, db.session.get(Household, family.household.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RemovalRequest)) == 0
    assert db.session.scalar(select(func.count()).select_from(RemovalRequestEntry)) == 0
