"""The safety log's services: written once, corrected with history, withdrawn not deleted, paged fast, a week
at a time."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.safety_log.test_images import jpeg_with_gps
from webapp.extensions import db
from webapp.uploads import clean
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_log.services import (NewEntry, NotAuthor, TimelineFilter, correct_entry, entries_in_period,
                                        local_monday, may_change, newest_week, parse_week, timeline, toggle_highlight,
                                        week, withdraw_entry, write_entry)

T0 = datetime(2026, 3, 1, 9, 0)


def _write(app, family, who="household_member", client_id="c-1", kind=EntryKind.went_well, when=T0, text="Calm evening",
           household=None, **more):
    new = NewEntry(kind=kind, occurred_at=when, what_happened=text, **more)
    return write_entry(db.session, app.instance_path, household or family.household, family.users[who], client_id, new)


def test_the_same_client_id_is_saved_once(app, family):
    first, created = _write(app, family)
    again, created_again = _write(app, family, text="sent twice by a flaky connection")
    assert created and not created_again and again.id == first.id
    assert db.session.query(LogEntry).count() == 1
    # The same client id in another household is another entry.
    _, other = _write(app, family, who="outsider", household=family.other_household)
    assert other


def test_photos_are_stored_clean_in_the_instance_folder(app, family):
    entry, _ = _write(app, family, photos=[clean(jpeg_with_gps())])
    attachment = entry.attachments[0]
    from pathlib import Path
    stored = Path(app.instance_path) / "uploads" / str(family.household.id) / attachment.filename
    assert stored.exists() and b"PhoneMaker" not in stored.read_bytes()
    assert "static" not in str(stored)


def test_author_corrects_and_the_earlier_text_is_kept(app, family):
    entry, _ = _write(app, family)
    pat = family.users["household_member"]
    correct_entry(db.session, entry, pat, EntryKind.calm_moment, T0, "Calm evening, all in bed by eight", "", 4)
    assert entry.version == 2 and entry.what_happened.endswith("by eight") and entry.child_mood == 4
    old = entry.versions[0]
    assert old.what_happened == "Calm evening" and old.kind == EntryKind.went_well and old.replaced_by_id == pat.id


def test_a_correction_that_changes_nothing_adds_no_version(app, family):
    entry, _ = _write(app, family)
    correct_entry(db.session, entry, family.users["household_member"], entry.kind, entry.occurred_at,
                  entry.what_happened, entry.what_was_done, entry.child_mood)
    assert entry.version == 1 and entry.versions == []


def test_nobody_else_can_change_or_withdraw_an_entry(app, family):
    entry, _ = _write(app, family)
    chris = family.users["chair"]
    assert not may_change(entry, chris)
    with pytest.raises(NotAuthor):
        correct_entry(db.session, entry, chris, EntryKind.went_wrong, T0, "rewritten", "", None)
    with pytest.raises(NotAuthor):
        withdraw_entry(db.session, entry, chris)
    assert entry.what_happened == "Calm evening"


def test_withdrawing_keeps_the_entry_and_its_text_in_the_history(app, family):
    entry, _ = _write(app, family)
    withdraw_entry(db.session, entry, family.users["household_member"])
    db.session.commit()
    assert entry.withdrawn and entry.versions[-1].what_happened == "Calm evening"
    assert db.session.get(LogEntry, entry.id) is not None
    assert not may_change(entry, family.users["household_member"])
    page, _ = timeline(db.session, family.household, TimelineFilter())
    assert entry in page


def test_highlight_toggles_per_person(app, family):
    entry, _ = _write(app, family)
    assert toggle_highlight(db.session, entry, family.users["chair"]) is True
    assert toggle_highlight(db.session, entry, family.users["safety_person"]) is True
    assert len(entry.highlights) == 2
    assert toggle_highlight(db.session, entry, family.users["chair"]) is False
    assert [h.user_id for h in entry.highlights] == [family.users["safety_person"].id]


def test_timeline_pages_newest_first_without_gaps_or_repeats(app, family):
    for i in range(45):
        _write(app, family, client_id=f"c-{i}", when=T0 + timedelta(hours=i // 2), text=f"entry {i}")
    db.session.commit()
    seen, cursor = [], None
    while True:
        page, cursor = timeline(db.session, family.household, TimelineFilter(), cursor, limit=20)
        seen += page
        if cursor is None:
            break
    assert len(seen) == 45 and len({e.id for e in seen}) == 45
    keys = [(e.occurred_at, e.id) for e in seen]
    assert keys == sorted(keys, reverse=True)


def test_timeline_filters_and_household_scope(app, family):
    _write(app, family, client_id="a", kind=EntryKind.went_wrong, who="safety_person", when=T0)
    _write(app, family, client_id="b", kind=EntryKind.went_well, who="network_member", when=T0 + timedelta(days=3))
    _write(app, family, client_id="c", who="outsider", household=family.other_household)
    db.session.commit()
    everything, _ = timeline(db.session, family.household, TimelineFilter())
    assert {e.client_id for e in everything} == {"a", "b"}
    by_kind, _ = timeline(db.session, family.household, TimelineFilter(kind=EntryKind.went_wrong))
    assert [e.client_id for e in by_kind] == ["a"]
    by_person, _ = timeline(db.session, family.household, TimelineFilter(author_id=family.users["network_member"].id))
    assert [e.client_id for e in by_person] == ["b"]
    period = entries_in_period(db.session, family.household, TimelineFilter(start=T0 + timedelta(days=1)))
    assert [e.client_id for e in period] == ["b"]


def test_two_sends_at_the_same_moment_save_one_entry(app, family, monkeypatch):
    from webapp.safety_log import services
    first, _ = _write(app, family, client_id="race-1")
    db.session.commit()
    real = services.find_by_client_id
    calls = []

    def not_yet(session, household, client_id):  # the first look misses the twin that is being saved
        calls.append(client_id)
        return None if len(calls) == 1 else real(session, household, client_id)
    monkeypatch.setattr(services, "find_by_client_id", not_yet)
    again, created = _write(app, family, client_id="race-1", text="the twin")
    db.session.commit()
    assert not created and again.id == first.id
    assert db.session.query(LogEntry).count() == 1


# --- weeks --------------------------------------------------------------------------------------------

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("value, expected", [
    ("2026-11-30", date(2026, 11, 30)), ("2026-12-03", date(2026, 11, 30)),  # any day of the week: its Monday
    (None, None), ("", None), ("morgen", None), ("2026-02-30", None), ("1899-12-25", None), ("9999-12-27", None),
    ("2026-12-07", None),  # a week still to come
])
def test_parse_week_gives_the_monday_or_none(value, expected):
    assert parse_week(value, this_monday=date(2026, 11, 30)) == expected


def test_a_moment_belongs_to_the_local_week_it_happened_in():
    assert local_monday(datetime(2026, 11, 29, 23, 30), AMSTERDAM) == date(2026, 11, 30)  # Monday 00:30 in Amsterdam
    assert local_monday(datetime(2026, 11, 29, 22, 30), AMSTERDAM) == date(2026, 11, 23)  # Sunday 23:30


def test_a_week_offers_the_nearest_weeks_with_entries_within_the_filters(app, family):
    _write(app, family, client_id="a", when=datetime(2026, 11, 4, 12))
    _write(app, family, client_id="b", when=datetime(2026, 11, 18, 12), kind=EntryKind.calm_moment)
    _write(app, family, client_id="c", when=datetime(2026, 11, 25, 12), from_signal=True)
    week_page = week(db.session, family.household, TimelineFilter(), date(2026, 11, 9), AMSTERDAM)
    assert week_page.entries == [] and week_page.older == date(2026, 11, 2) and week_page.newer == date(2026, 11, 16)
    hidden = week(db.session, family.household, TimelineFilter(hide_signals=True), date(2026, 11, 16), AMSTERDAM)
    assert hidden.newer is None  # the week of the signal's entry does not exist for a member hidden from signals
    calm = week(db.session, family.household, TimelineFilter(kind=EntryKind.calm_moment), date(2026, 11, 2), AMSTERDAM)
    assert calm.entries == [] and calm.older is None and calm.newer == date(2026, 11, 16)
    assert newest_week(db.session, family.household, TimelineFilter(hide_signals=True), datetime(2026, 12, 5),
                       AMSTERDAM) == date(2026, 11, 16)
