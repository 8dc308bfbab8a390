"""The promise to a member hidden from signals (the person the worries may be about): no response of Kring reveals
that a signal happened or what was said about it. Walked over every GET route of the app, as the route x role test
does, and over every download (unzipped), not checked on the signal pages alone.
"""
import io
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import sign_in_as
from tests.test_route_policy import ROUTES, _url, world  # noqa: F401  (world is a fixture)
from webapp.auth.models import utcnow
from webapp.evidence import Period, log_activity
from webapp.extensions import db
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_log.services import toggle_highlight
from webapp.signals import services as signals
from webapp.signals.models import AckKind, Delivery, SignalSource

MARKER = "Zebrafinch7731"


def _minute_away_from_the_clock() -> int:
    """The signal's minute, well away from the clock's: pages show the time it is now (an invitation made by the
    test, the composer's "when"), and a walk at 02:43 or 03:43 would read that as the signal's time."""
    now = datetime.now().minute  # the same minute in UTC and in the Netherlands
    return 43 if min((now - 43) % 60, (43 - now) % 60) > 5 else 13


# 02:43 UTC is 03:43 in the Netherlands: the time must not show in any form.
MINUTE = _minute_away_from_the_clock()
SIGNAL_AT = datetime(2026, 11, 17, 2, MINUTE, 11)
# Not the minutes and seconds of another moment ("17:02:43", a row written while the test runs): a colon before it.
TIME_PATTERNS = [re.compile(p) for p in (rf"(?<![\d:])0?[23]:{MINUTE}(?!\d)", rf"2026-11-17T0?2:{MINUTE}",
                                         rf"02:{MINUTE}:11")]


def _signal_closed_into_the_log(app, family, hidden_key: str):
    """Grandma signals in the night with a note, the neighbour answers, the chair closes it into the log; the hidden
    member's household has existed since January so that every period and pack covers that night."""
    family.household.created_at = datetime(2026, 1, 1)
    hidden = family.membership(hidden_key)
    hidden.signals_hidden = True
    db.session.flush()
    signal, _ = signals.raise_signal(db.session, family.household, family.users["safety_person"], "hidden-walk",
                                     SignalSource.safe_object, f"Mila was bang {MARKER} note", SIGNAL_AT, 5)
    signals.acknowledge(db.session, signal, family.users["network_member"], AckKind.going,
                        SIGNAL_AT + timedelta(minutes=2))
    signals.close_with_outcome(db.session, app.instance_path, signal, family.users["chair"],
                               f"Kees came, all calm {MARKER} outcome", "went_wrong", SIGNAL_AT + timedelta(minutes=30))
    entry = db.session.get(LogEntry, signal.log_entry_id)
    _attach_photo(app, family, entry)
    toggle_highlight(db.session, entry, family.users["chair"])  # so that a meeting pack would list it
    db.session.commit()
    return signal, entry


def _attach_photo(app, family, entry) -> None:
    """A photo on the entry, so that the route serving the log's pictures is walked with one of its pictures."""
    from tests.test_route_policy import _photo
    from webapp import uploads as images
    from webapp.safety_log.models import AttachmentKind, LogAttachment
    from webapp.uploads import upload_folder
    picture = _photo()
    filename, size = images.store(upload_folder(app.instance_path, family.household.id), picture)
    entry.attachments.append(LogAttachment(household_id=family.household.id, kind=AttachmentKind.photo, filename=filename,
                                           mimetype=picture.mimetype, width=picture.width, height=picture.height,
                                           size=size))


def _texts(response) -> list[tuple[str, str]]:
    """(name, text) of a response: the body, or every file of a ZIP."""
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return [(name, archive.read(name).decode("utf-8", "replace")) for name in archive.namelist()
                    if name.endswith((".json", ".txt", ".ics", ".html"))]
    if response.mimetype.startswith("image/"):
        return []
    return [("body", response.get_data(as_text=True))]


def _extra_urls(family) -> list[str]:
    """Filters and periods that reach back to that night."""
    h = family.household.id
    today = date.today().isoformat()
    return [f"/h/{h}/log/?kind=went_wrong", f"/h/{h}/log/?highlighted=y",
            f"/h/{h}/log/?week=2026-11-16", f"/h/{h}/log/?week=2026-11-17&kind=went_wrong",  # that night's week
            f"/h/{h}/log/print?start=2026-11-01&end={today}", f"/h/{h}/log/print?start=2026-11-17&end=2026-11-17",
            f"/h/{h}/summary?start=2026-11-01&end={today}"]


GET_ROUTES = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET"]


@pytest.mark.parametrize("hidden_key", ["household_member", "chair"])
def test_a_member_hidden_from_signals_finds_no_trace_of_a_signal_anywhere(app, world, hidden_key):  # noqa: F811
    signal, entry = _signal_closed_into_the_log(app, world, hidden_key)
    world.entry = entry  # the entry routes ask for the entry the signal left behind
    urls = {_url(app, world, endpoint, rule) for endpoint, rule in GET_ROUTES} | set(_extra_urls(world))
    read, leaks = set(), []
    for url in sorted(urls):
        for accept in ("text/html", "application/json"):
            client = app.test_client()  # a fresh sign-in each time: a child page locks the phone for what follows
            sign_in_as(client, world.users[hidden_key])
            response = client.get(url, headers={"Accept": accept})
            assert response.status_code != 500, url
            if response.status_code == 200:
                read.add(url)
            for name, text in _texts(response):
                if MARKER in text:
                    leaks.append(f"{url} [{accept}] {name}: the signal's words")
                if any(p.search(text) for p in TIME_PATTERNS):
                    leaks.append(f"{url} [{accept}] {name}: the signal's time")
    assert leaks == []
    # The walk really read the app, it was not turned away at the door.
    h = world.household.id
    assert {f"/h/{h}", f"/h/{h}/log/", f"/h/{h}/summary", "/settings/export",
            f"/h/{h}/meetings/{world.meeting.id}/pack"} <= read
    assert (f"/h/{h}/export" in read) == (hidden_key == "household_member")

    # And the walk was able to see such a leak: the same pages as someone who is not hidden show the signal.
    witness = app.test_client()
    sign_in_as(witness, world.users["safety_person"])
    assert MARKER in witness.get(f"/h/{world.household.id}/log/{entry.id}").get_data(as_text=True)
    # Nobody ever wrote a push or an e-mail to the hidden member about it.
    assert db.session.scalar(db.select(db.func.count(Delivery.id)).where(
        Delivery.user_id == world.users[hidden_key].id)) == 0


def test_the_walk_finds_the_signals_time_in_any_form_and_not_the_seconds_of_another_moment():
    """The walk above failed once on PostgreSQL: the export's marked_for_meeting.json held a highlight written at
    17:02:43 while the test ran. The signal's time must be found however it is written; another moment's minutes
    and seconds are not it."""
    def found(text):
        return any(p.search(text.replace("43", str(MINUTE))) for p in TIME_PATTERNS)
    assert all(found(t) for t in ["03:43", "om 3:43 uur", "17 november 2026, 03:43", "2026-11-17T02:43:11Z",
                                  "02:43:11", '"at": "2026-11-17T02:43"'])
    assert not any(found(t) for t in ['"created_at": "2026-12-07T17:02:43.512"', "12:03:43", "13:43", "23:43"])


def test_the_signals_minute_is_never_the_minute_the_walk_runs_in(monkeypatch):
    """The walk failed once at 02:43 at night: an invitation the test had just made showed its time, "02:43", which
    read as the signal's. The signal's minute keeps away from the clock's."""
    import tests.test_hidden_from_signals as walk

    class At(datetime):
        minute_now = 0

        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 8, 2, cls.minute_now)
    monkeypatch.setattr(walk, "datetime", At)
    for minute in range(60):
        At.minute_now = minute
        chosen = walk._minute_away_from_the_clock()
        assert min((minute - chosen) % 60, (chosen - minute) % 60) > 5, (minute, chosen)


def test_figures_leave_out_what_a_signal_left_behind_for_a_hidden_member(app, family):
    _signal, entry = _signal_closed_into_the_log(app, family, "household_member")
    period = Period(datetime(2026, 11, 1), utcnow())
    from zoneinfo import ZoneInfo
    tz = ZoneInfo("Europe/Amsterdam")
    seen = log_activity(db.session, family.household, period, tz)
    hidden = log_activity(db.session, family.household, period, tz, with_signals=False)
    assert seen.per_kind[EntryKind.went_wrong] == 1 and entry in seen.highlights
    assert hidden.per_kind[EntryKind.went_wrong] == 0 and hidden.total == seen.total - 1 and hidden.highlights == []
    assert sum(n for _week, n in hidden.per_week) == hidden.total


def test_the_household_download_of_a_hidden_member_has_no_signals_and_says_what_it_holds(app, family):
    _signal_closed_into_the_log(app, family, "household_member")
    client = app.test_client()
    sign_in_as(client, family.users["household_member"])
    with zipfile.ZipFile(io.BytesIO(client.get(f"/h/{family.household.id}/export").data)) as archive:
        assert "signals.json" not in archive.namelist()
        assert MARKER not in archive.read("safety_log.json").decode()
    assert "as you can see them in Kring" in client.get(f"/h/{family.household.id}").get_data(as_text=True)
    seen = app.test_client()
    family.membership("household_member").signals_hidden = False
    db.session.commit()
    sign_in_as(seen, family.users["household_member"])
    with zipfile.ZipFile(io.BytesIO(seen.get(f"/h/{family.household.id}/export").data)) as archive:
        assert MARKER in archive.read("signals.json").decode()
        assert MARKER in archive.read("safety_log.json").decode()
