"""The safety log's domain logic: writing (idempotently), correcting with history, withdrawing,
highlighting, and reading the timeline a week at a time, with filters and keyset paging."""
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

from sqlalchemy import DateTime, Integer, bindparam, delete, exists, select, tuple_
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from webapp.auth.models import User, utcnow
from webapp.database import prepared, save_once
from webapp.households.models import Child, Household
from webapp import uploads as images
from webapp.uploads import upload_folder  # noqa: F401  (callers find it here too)
from webapp.safety_log.models import AttachmentKind, EntryKind, LogAttachment, LogEntry, LogEntryVersion, LogHighlight

MAX_TEXT = 5000
PAGE_SIZE = 50  # entries on one page of a week; a busy week goes on with "Older entries"
# The weeks a link may ask for: far enough from the ends of Python's dates that a week and its local midnights
# in UTC are real moments (a typed or crafted year 1 or 9999 must not crash the page).
FIRST_MONDAY = date(1900, 1, 1)
PICTOGRAMS = {  # what a child can pick: key -> emoji shown
    "happy": "😊", "sad": "😢", "angry": "😠", "scared": "😨", "love": "❤️",
    "home": "🏠", "school": "🏫", "play": "⚽", "sleep": "😴", "hurt": "🤕",
}


class NotAuthor(PermissionError):
    """Only the author may correct or withdraw an entry."""


@dataclass
class NewEntry:
    kind: EntryKind
    occurred_at: datetime
    what_happened: str = ""
    what_was_done: str = ""
    child_mood: int | None = None
    pictogram: str | None = None
    photos: list[images.CleanImage] = field(default_factory=list)
    drawing: images.CleanImage | None = None
    agreement_id: int | None = None  # the lineage id of the plan's agreement this is about
    from_signal: bool = False  # written when a signal was closed


def find_by_client_id(session: Session, household: Household, client_id: str) -> LogEntry | None:
    return session.scalar(
        select(LogEntry).where(LogEntry.household_id == household.id, LogEntry.client_id == client_id)
    )


def write_entry(session: Session, instance_path: str, household: Household, author: User, client_id: str,
                new: NewEntry, recorded_by: User | None = None, child: Child | None = None) -> tuple[LogEntry, bool]:
    """Save an entry once per client id. Returns (entry, created); a resend returns the first one. A child's
    message names the child, and keeps the grown-up whose phone it was as author and as recorded_by."""
    entry = LogEntry(
        household_id=household.id, client_id=client_id, author=author,
        recorded_by=recorded_by if recorded_by is not None and (child is not None or recorded_by.id != author.id)
        else None, child_id=child.id if child is not None else None,
        kind=new.kind, occurred_at=new.occurred_at, what_happened=new.what_happened.strip(),
        what_was_done=new.what_was_done.strip(), child_mood=new.child_mood, pictogram=new.pictogram,
        agreement_id=new.agreement_id, from_signal=new.from_signal,
    )
    entry, created = save_once(session, entry, lambda: find_by_client_id(session, household, client_id))
    if not created:
        return entry, False
    folder = upload_folder(instance_path, household.id)
    pictures = [(AttachmentKind.photo, p) for p in new.photos]
    if new.drawing is not None:
        pictures.append((AttachmentKind.drawing, new.drawing))
    for kind, picture in pictures:
        filename, size = images.store(folder, picture)
        entry.attachments.append(LogAttachment(
            household_id=household.id, kind=kind, filename=filename, mimetype=picture.mimetype,
            width=picture.width, height=picture.height, size=size,
        ))
    session.flush()
    return entry, True


def _keep_version(entry: LogEntry, editor: User) -> None:
    entry.versions.append(LogEntryVersion(
        version=entry.version, kind=entry.kind, occurred_at=entry.occurred_at,
        what_happened=entry.what_happened, what_was_done=entry.what_was_done,
        child_mood=entry.child_mood, replaced_by_id=editor.id,
    ))
    entry.version += 1
    entry.updated_at = utcnow()


def _check_author(entry: LogEntry, user: User) -> None:
    if entry.author_id != user.id and entry.recorded_by_id != user.id:
        raise NotAuthor()


def may_change(entry: LogEntry, user: User) -> bool:
    return not entry.withdrawn and user.id in (entry.author_id, entry.recorded_by_id)


def correct_entry(session: Session, entry: LogEntry, editor: User, kind: EntryKind, occurred_at: datetime,
                  what_happened: str, what_was_done: str, child_mood: int | None) -> None:
    """The author corrects their entry; the earlier text stays in its history."""
    _check_author(entry, editor)
    if entry.withdrawn:
        raise NotAuthor()
    changed = (kind, occurred_at, what_happened.strip(), what_was_done.strip(), child_mood) != (
        entry.kind, entry.occurred_at, entry.what_happened, entry.what_was_done, entry.child_mood)
    if not changed:
        return
    _keep_version(entry, editor)
    entry.kind, entry.occurred_at, entry.child_mood = kind, occurred_at, child_mood
    entry.what_happened, entry.what_was_done = what_happened.strip(), what_was_done.strip()
    session.flush()


def withdraw_entry(session: Session, entry: LogEntry, editor: User) -> None:
    """Withdrawing is not deleting: the entry stays in the history, marked as withdrawn."""
    _check_author(entry, editor)
    if entry.withdrawn:
        return
    _keep_version(entry, editor)
    entry.withdrawn_at = utcnow()
    entry.withdrawn_by_id = editor.id
    session.flush()


def toggle_highlight(session: Session, entry: LogEntry, user: User) -> bool:
    """Mark or unmark the entry for the next network meeting. Returns whether it is now marked."""
    removed = session.execute(
        delete(LogHighlight).where(LogHighlight.entry_id == entry.id, LogHighlight.user_id == user.id)
    ).rowcount
    if not removed:
        session.add(LogHighlight(entry_id=entry.id, user_id=user.id))
    session.flush()
    session.expire(entry, ["highlights"])
    return not removed


@dataclass
class TimelineFilter:
    author_id: int | None = None
    kind: EntryKind | None = None
    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive
    agreement_id: int | None = None
    highlighted: bool = False
    # For a member hidden from signals: entries written when a signal was closed do not exist.
    hide_signals: bool = False


def visible(query, hide_signals: bool, entry=LogEntry):
    """`query` of log entries without those that come from a signal, when the reader is hidden from signals.
    `entry`: the mapped class, or the table's columns for a plain statement."""
    return query.where(entry.from_signal.is_(False)) if hide_signals else query


def readable(entry: LogEntry | None, hide_signals: bool) -> bool:
    return entry is not None and not (hide_signals and entry.from_signal)


# The filters that narrow by a value; `highlighted` and `hide_signals` only change the statement's shape.
_VALUED = ("author_id", "kind", "start", "end", "agreement_id")


def _shape(filters: TimelineFilter) -> tuple[bool, ...]:
    """Which filters are in use. The timeline's statements are built once per shape (database.prepared), and the
    filters' values bound when they run (_values)."""
    return (*(bool(getattr(filters, name)) for name in _VALUED), filters.highlighted, filters.hide_signals)


def _values(household: Household, filters: TimelineFilter) -> dict:
    return {"household_id": household.id, **{name: getattr(filters, name) for name in _VALUED if getattr(filters, name)}}


def _matching(query, shape: tuple[bool, ...], entry=LogEntry):
    """`query` (anything selecting from log entries) narrowed to a household, the reader and the filters in use.
    `entry` is the mapped class, or the table's columns for a plain statement without the ORM (_step)."""
    author, kind, start, end, agreement, highlighted, hide_signals = shape
    query = visible(query.where(entry.household_id == bindparam("household_id")), hide_signals, entry)
    if author:
        query = query.where(entry.author_id == bindparam("author_id"))
    if kind:
        query = query.where(entry.kind == bindparam("kind"))
    if start:
        query = query.where(entry.occurred_at >= bindparam("start"))
    if end:
        query = query.where(entry.occurred_at < bindparam("end"))
    if agreement:
        query = query.where(entry.agreement_id == bindparam("agreement_id"))
    if highlighted:
        query = query.where(exists().where(LogHighlight.__table__.c.entry_id == entry.id))
    return query


def _filtered(shape: tuple[bool, ...]):
    # Attachments and highlights come from _with_collections; the rest of what a card shows in the same statement.
    return _matching(select(LogEntry), shape).options(
        joinedload(LogEntry.author), joinedload(LogEntry.recorded_by),
        joinedload(LogEntry.child).lazyload(Child.safety_person_rows))


def _with_collections(session: Session, entries: list[LogEntry]) -> list[LogEntry]:
    """The entries' attachments and highlights, each read by one prepared statement and set as loaded. selectinload
    builds its statement anew every time: for a week of one entry that took 0.7 ms of the timeline's 6."""
    if entries:
        ids = [entry.id for entry in entries]
        for name, statement in (("attachments", _attachments_of()), ("highlights", _highlights_of())):
            found: dict[int, list] = {entry_id: [] for entry_id in ids}
            for row in session.scalars(statement, {"ids": ids}):
                found[row.entry_id].append(row)
            for entry in entries:
                set_committed_value(entry, name, found[entry.id])
    return entries


@prepared
def _attachments_of():
    return select(LogAttachment).where(LogAttachment.entry_id.in_(bindparam("ids", expanding=True))).order_by(LogAttachment.id)


@prepared
def _highlights_of():
    return select(LogHighlight).where(LogHighlight.entry_id.in_(bindparam("ids", expanding=True))).order_by(LogHighlight.id)


@prepared
def _page(shape: tuple[bool, ...], after_cursor: bool, limit: int):
    """A page of the timeline, newest first (limit: one more than shown, to know whether there is more)."""
    query = _filtered(shape)
    if after_cursor:
        # A row-value comparison lets the index jump straight to the cursor on SQLite and PostgreSQL.
        query = query.where(tuple_(LogEntry.occurred_at, LogEntry.id)
                            < tuple_(bindparam("cursor_at", type_=DateTime()), bindparam("cursor_id", type_=Integer())))
    return query.order_by(LogEntry.occurred_at.desc(), LogEntry.id.desc()).limit(limit)


@prepared
def _period(shape: tuple[bool, ...]):
    return _filtered(shape).order_by(LogEntry.occurred_at, LogEntry.id)


def encode_cursor(entry: LogEntry) -> str:
    return f"{entry.occurred_at.isoformat()}_{entry.id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    stamp, _, raw_id = cursor.rpartition("_")
    try:
        return datetime.fromisoformat(stamp), int(raw_id)
    except ValueError:
        return None


def timeline(session: Session, household: Household, filters: TimelineFilter, cursor: str | None = None,
             limit: int | None = None) -> tuple[list[LogEntry], str | None]:
    """One page of entries, newest first, and the cursor of the next (older) page if there is one.

    Keyset paging on (occurred_at, id): as fast on the thousandth page as on the first.
    """
    limit = limit or PAGE_SIZE
    values = _values(household, filters)
    after = decode_cursor(cursor)
    if after:
        values["cursor_at"], values["cursor_id"] = after
    rows = list(session.scalars(_page(_shape(filters), bool(after), limit + 1), values))
    more = len(rows) > limit
    rows = _with_collections(session, rows[:limit])
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


def entries_in_period(session: Session, household: Household, filters: TimelineFilter) -> list[LogEntry]:
    """Every entry matching the filters, oldest first: for printing an evaluation's period."""
    return _with_collections(session, list(session.scalars(_period(_shape(filters)), _values(household, filters))))


# --- weeks ------------------------------------------------------------------------------------------

def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_monday(moment: datetime, tz: tzinfo) -> date:
    """The Monday of the local week a (naive UTC) moment falls in."""
    return monday_of(moment.replace(tzinfo=timezone.utc).astimezone(tz).date())


def week_start(monday: date, tz: tzinfo) -> datetime:
    """Local midnight at the start of `monday`, as naive UTC (the way moments are stored)."""
    return datetime.combine(monday, time(), tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)


def parse_week(value: str | None, this_monday: date) -> date | None:
    """'2026-11-30' (or any day of that week) to its Monday; None when missing, malformed, before FIRST_MONDAY or
    after this week: the caller then shows this week (or, when nothing was asked, the newest week with entries)."""
    try:
        monday = monday_of(date.fromisoformat(value or ""))
    except ValueError:
        return None
    return monday if FIRST_MONDAY <= monday <= this_monday else None


@dataclass
class Week:
    """One week of the timeline: its Monday, this page of its entries (newest first), the cursor of the rest of a
    busy week, and the Mondays of the nearest older and newer weeks that have entries for these filters."""
    monday: date
    entries: list[LogEntry]
    next_cursor: str | None
    older: date | None
    newer: date | None

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def _nearest(session: Session, household: Household, filters: TimelineFilter, tz: tzinfo, before: datetime
             ) -> date | None:
    """The Monday of the newest matching entry before `before`."""
    found = session.scalar(_step(_shape(filters)), {**_values(household, filters), "before": before})
    return local_monday(found, tz) if found is not None else None


def _around(session: Session, household: Household, filters: TimelineFilter, tz: tzinfo, start: datetime,
            end: datetime) -> tuple[date | None, date | None]:
    """The Mondays of the newest matching entry before `start` and of the oldest one from `end` on: the pager's two
    steps in one statement."""
    values = {**_values(household, filters), "before": start, "after": end}
    return tuple(local_monday(found, tz) if found is not None else None
                 for found in session.execute(_steps(_shape(filters)), values).one())


def _older(shape: tuple[bool, ...]):
    """The moment of the nearest matching entry before `before`: one step back along the timeline index."""
    entry = LogEntry.__table__.c  # the table's columns: a plain statement, as _agreement_titles
    return (_matching(select(entry.occurred_at), shape, entry).where(entry.occurred_at < bindparam("before"))
            .order_by(entry.occurred_at.desc()).limit(1))


@prepared
def _step(shape: tuple[bool, ...]):
    return _older(shape)


@prepared
def _steps(shape: tuple[bool, ...]):
    """One step back from `before` and one forward from `after` (the nearest matching entry from then on), each a
    subquery of one statement."""
    entry = LogEntry.__table__.c
    newer = (_matching(select(entry.occurred_at), shape, entry).where(entry.occurred_at >= bindparam("after"))
             .order_by(entry.occurred_at).limit(1))
    return select(_older(shape).scalar_subquery().label("older"), newer.scalar_subquery().label("newer"))


def newest_week(session: Session, household: Household, filters: TimelineFilter, now: datetime, tz: tzinfo) -> date:
    """The week a timeline opens on: the newest week with matching entries up to this one, else this week."""
    this_monday = local_monday(now, tz)
    found = _nearest(session, household, filters, tz, week_start(this_monday + timedelta(weeks=1), tz))
    return found if found is not None and found >= FIRST_MONDAY else this_monday


def week(session: Session, household: Household, filters: TimelineFilter, monday: date, tz: tzinfo,
         cursor: str | None = None) -> Week:
    """The entries of the local week starting `monday` (within the filters), newest first, and where the pager goes:
    empty weeks are skipped, so "previous" and "next" always lead to entries."""
    start, end = week_start(monday, tz), week_start(monday + timedelta(weeks=1), tz)
    in_week = replace(filters, start=max(filters.start or start, start), end=min(filters.end or end, end))
    entries, next_cursor = timeline(session, household, in_week, cursor)
    older, newer = _around(session, household, filters, tz, start, end)
    return Week(monday, entries, next_cursor, older if older and older >= FIRST_MONDAY else None, newer)
