"""The resilience calendar's logic: weeks, completeness per day and week, repeating and copying, removing with
a trace and bringing back."""
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.database import prepared
from webapp.households.models import Child, Household
from webapp.resilience_calendar.models import ActivityElement, CalendarActivity, PartOfDay, ResilienceElement

ELEMENTS = list(ResilienceElement)
REPEAT_WEEKS = 12  # a weekly activity is planned this many weeks ahead; each week can then differ
PART_ORDER = {PartOfDay.morning: time(7), PartOfDay.afternoon: time(13), PartOfDay.evening: time(18),
              PartOfDay.night: time(21)}
# The days the calendar takes: far enough from the ends of Python's dates that a week, the weeks around it
# and a weekly repeat after it are all real dates (a typed or crafted year 9999 must not crash a page).
FIRST_DAY = date.min + timedelta(weeks=2)
LAST_DAY = date.max - timedelta(weeks=REPEAT_WEEKS + 2)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(value: str | None, today: date) -> date:
    """'2026-W47' (ISO week) to its Monday; this week when missing, malformed or out of range."""
    if value:
        try:
            year, week = value.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
        else:
            if FIRST_DAY <= monday <= LAST_DAY:
                return monday
    return monday_of(today)


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Planned:
    """An activity as a week shows it (the week page, its print, the trend of filled days): read as plain rows.
    A week holds dozens of activities; loading each as an ORM object with its elements took a third of the page."""
    id: int
    day: date
    start_time: time | None
    end_time: time | None
    part_of_day: PartOfDay | None
    description: str
    with_whom: str
    by_child: bool
    elements: frozenset[ResilienceElement]


def _sort_key(activity: Planned):
    return (activity.start_time or PART_ORDER.get(activity.part_of_day, time(12)), activity.id)


@dataclass
class Day:
    """One day of a week as a page shows it: what it holds is worked out once (the week page asks for each
    day's elements a dozen times)."""
    day: date
    activities: list[Planned]

    @cached_property
    def present(self) -> set[ResilienceElement]:
        return set().union(*(a.elements for a in self.activities)) if self.activities else set()

    @cached_property
    def missing(self) -> list[ResilienceElement]:
        return [e for e in ELEMENTS if e not in self.present]

    @property
    def filled(self) -> bool:
        return not self.missing


@dataclass
class Week:
    monday: date
    days: list[Day]

    @property
    def filled_days(self) -> int:
        return sum(1 for d in self.days if d.filled)

    @cached_property
    def most_missing(self) -> ResilienceElement | None:
        """The element missing on the most days (None when every day is filled)."""
        counts = Counter(e for d in self.days for e in d.missing)
        if not counts:
            return None
        return max(ELEMENTS, key=lambda e: (counts[e], -ELEMENTS.index(e)))


# Removed activities stay in the table, marked, so that a removal leaves a trace and can be undone; every reader
# of the calendar (weeks, figures, copies, prints, evidence) looks at the ones still in it.
IN_CALENDAR = CalendarActivity.removed_at.is_(None)


def activities_between(session: Session, household: Household, start: date, end: date) -> list[CalendarActivity]:
    """The activities still in the calendar from `start` up to (not including) `end`."""
    return list(session.scalars(_activities_between(), {"household_id": household.id, "start": start, "end": end}))


@prepared
def _activities_between():
    return select(CalendarActivity).where(CalendarActivity.household_id == bindparam("household_id"), IN_CALENDAR,
                                          CalendarActivity.day >= bindparam("start"), CalendarActivity.day < bindparam("end"))


def planned_between(session: Session, household: Household, start: date, end: date) -> list[Planned]:
    """The activities still in the calendar from `start` up to (not including) `end`, with their elements, in one
    statement: a row per element (an activity without elements has one, with None)."""
    rows, elements = {}, {}
    for row in session.execute(_planned_between(), {"household_id": household.id, "start": start, "end": end}):
        key, element = row[0], row[-1]  # by position: a Row's attribute costs ten times as much (scales: Score)
        if key not in rows:
            rows[key], elements[key] = row, set()
        if element is not None:
            elements[key].add(element)
    return [Planned(*row[:-1], elements=frozenset(elements[key])) for key, row in rows.items()]


@prepared
def _planned_between():
    activity, element = CalendarActivity.__table__.c, ActivityElement.__table__.c  # columns: plain rows, no objects
    return (select(activity.id, activity.day, activity.start_time, activity.end_time, activity.part_of_day,
                   activity.description, activity.with_whom, activity.by_child, element.element)
            .select_from(CalendarActivity.__table__.outerjoin(ActivityElement.__table__, element.activity_id == activity.id))
            .where(activity.household_id == bindparam("household_id"), activity.removed_at.is_(None),
                   activity.day >= bindparam("start"), activity.day < bindparam("end")))


def week(session: Session, household: Household, monday: date) -> Week:
    by_day: dict[date, list[Planned]] = {monday + timedelta(days=i): [] for i in range(7)}
    for activity in planned_between(session, household, monday, monday + timedelta(days=7)):
        by_day[activity.day].append(activity)
    return Week(monday, [Day(d, sorted(items, key=_sort_key)) for d, items in by_day.items()])


@dataclass
class ActivityInput:
    day: date
    description: str
    elements: set[ResilienceElement]
    start_time: time | None = None
    end_time: time | None = None
    part_of_day: PartOfDay | None = None
    with_whom: str = ""


def _apply(activity: CalendarActivity, data: ActivityInput, day: date) -> None:
    activity.day = day
    activity.description = data.description.strip()
    activity.with_whom = data.with_whom.strip()
    activity.start_time, activity.end_time, activity.part_of_day = data.start_time, data.end_time, data.part_of_day
    activity.set_elements(set(data.elements))


def add_activity(session: Session, household: Household, user: User, data: ActivityInput, repeat_weekly: bool = False,
                 by_child: bool = False, child: Child | None = None) -> list[CalendarActivity]:
    series = str(uuid.uuid4()) if repeat_weekly else None
    made = []
    for week_number in range(REPEAT_WEEKS if repeat_weekly else 1):
        activity = CalendarActivity(household_id=household.id, created_by=user, series_id=series, by_child=by_child,
                                    child_id=child.id if child is not None else None)
        _apply(activity, data, data.day + timedelta(weeks=week_number))
        session.add(activity)
        made.append(activity)
    session.flush()
    return made


def _series_from(session: Session, activity: CalendarActivity) -> list[CalendarActivity]:
    """This activity and the later ones of its weekly series that are still in the calendar."""
    if activity.series_id is None:
        return [activity]
    return list(session.scalars(
        select(CalendarActivity).where(CalendarActivity.household_id == activity.household_id, IN_CALENDAR,
                                       CalendarActivity.series_id == activity.series_id,
                                       CalendarActivity.day >= activity.day)
    ))


def update_activity(session: Session, activity: CalendarActivity, data: ActivityInput, following: bool = False) -> None:
    """Change this activity, or (following=True) this one and the later weeks of its series."""
    shift = data.day - activity.day
    targets = _series_from(session, activity) if following else [activity]
    if not following:
        activity.series_id = None  # this week now differs from the series
    for target in targets:
        _apply(target, data, target.day + shift)
    session.flush()


def removal_targets(session: Session, activity: CalendarActivity, following: bool) -> list[CalendarActivity]:
    """What removing this activity (and, following=True, the later weeks of its series) takes out of the calendar."""
    return _series_from(session, activity) if following else [activity]


def remove_activity(session: Session, activity: CalendarActivity, user: User, now: datetime,
                    following: bool = False) -> int:
    """Take this activity (or, following=True, also the later weeks of its series) out of the calendar.

    Nothing is deleted: each is marked with who removed it and when, the same moment for all of them, so that the
    week page can show the removal and one "undo" brings back everything removed in one go. Returns how many."""
    if activity.removed_at is not None:
        return 0
    targets = removal_targets(session, activity, following)
    for target in targets:
        target.removed_at, target.removed_by = now, user
    session.flush()
    return len(targets)


def removed_together(session: Session, activity: CalendarActivity) -> list[CalendarActivity]:
    """The activities taken out of the calendar in the same removal as this one (itself included)."""
    if activity.removed_at is None:
        return []
    if activity.series_id is None:
        return [activity]
    return list(session.scalars(
        select(CalendarActivity).where(CalendarActivity.household_id == activity.household_id,
                                       CalendarActivity.series_id == activity.series_id,
                                       CalendarActivity.removed_at == activity.removed_at)
        .order_by(CalendarActivity.day)))


def restore_activity(session: Session, activity: CalendarActivity) -> int:
    """Undo a removal: the activity, or every week of a series removed in one go, is back in the calendar.
    Returns how many came back (0 when it was not removed)."""
    group = removed_together(session, activity)
    for member in group:
        member.removed_at, member.removed_by = None, None
    session.flush()
    return len(group)


@dataclass
class Removal:
    activity: CalendarActivity
    together: int  # how many activities this removal took out of the calendar, this one included


@prepared
def _removed_between():
    return (select(CalendarActivity).where(CalendarActivity.household_id == bindparam("household_id"),
                                           CalendarActivity.removed_at.is_not(None),
                                           CalendarActivity.day >= bindparam("start"), CalendarActivity.day < bindparam("end"))
            .order_by(CalendarActivity.removed_at.desc(), CalendarActivity.day, CalendarActivity.id))


def removed_in_week(session: Session, household: Household, monday: date) -> list[Removal]:
    """What was taken out of this week's days, latest removal first, each with the size of its removal."""
    removed = list(session.scalars(_removed_between(), {"household_id": household.id, "start": monday,
                                                         "end": monday + timedelta(days=7)}))
    series = {a.series_id for a in removed if a.series_id is not None}
    sizes: dict[tuple[str, datetime], int] = {}
    if series:
        sizes = {(series_id, at): count for series_id, at, count in session.execute(
            select(CalendarActivity.series_id, CalendarActivity.removed_at, func.count())
            .where(CalendarActivity.household_id == household.id, CalendarActivity.series_id.in_(series),
                   CalendarActivity.removed_at.is_not(None))
            .group_by(CalendarActivity.series_id, CalendarActivity.removed_at))}
    return [Removal(a, sizes.get((a.series_id, a.removed_at), 1) if a.series_id else 1) for a in removed]


def copy_week(session: Session, household: Household, user: User, source_monday: date, target_monday: date) -> int:
    """Copy every activity of one week into another, skipping what is already planned there."""
    shift = target_monday - source_monday
    existing = {(a.day, a.start_time, a.part_of_day, a.description.lower())
                for a in activities_between(session, household, target_monday, target_monday + timedelta(days=7))}
    copied = 0
    for source in activities_between(session, household, source_monday, source_monday + timedelta(days=7)):
        key = (source.day + shift, source.start_time, source.part_of_day, source.description.lower())
        if key in existing:
            continue
        copy = CalendarActivity(household_id=household.id, created_by=user)
        _apply(copy, ActivityInput(source.day, source.description, source.elements, source.start_time, source.end_time,
                                   source.part_of_day, source.with_whom), source.day + shift)
        session.add(copy)
        existing.add(key)
        copied += 1
    session.flush()
    return copied


def filled_days_trend(session: Session, household: Household, last_monday: date, weeks: int = 12) -> list[tuple[date, int]]:
    """[(monday, number of filled days)] for the `weeks` weeks up to and including `last_monday`."""
    first = last_monday - timedelta(weeks=weeks - 1)
    activities = planned_between(session, household, first, last_monday + timedelta(days=7))
    present: dict[date, set[ResilienceElement]] = {}
    for activity in activities:
        present.setdefault(activity.day, set()).update(activity.elements)
    trend = []
    for i in range(weeks):
        monday = first + timedelta(weeks=i)
        days = [monday + timedelta(days=d) for d in range(7)]
        trend.append((monday, sum(1 for d in days if len(present.get(d, ())) == len(ELEMENTS))))
    return trend
