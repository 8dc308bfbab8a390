"""What happened in a household over a period, in figures: the evidence a network meeting's preparation pack and a
professional's summary are built from.

Plain functions taking a session, each a few small queries. A period is half open, [start, end), in naive UTC like
every stored time; "a week" and "a day" are where the household lives (`tz`). Signals are in here: a page that shows
them must itself keep them from a member who is hidden from signals, and pass `with_signals=False` for such a member
to the figures below: then no figure counts what a signal left behind (log entries written when one was closed,
answers to one), so that a count cannot jump on the night of a signal.
"""
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from webapp.children.services import current as current_children
from webapp.households.models import Household, Membership, Role
from webapp.i18n import lazy_gettext as _l
from webapp.resilience_calendar.models import CalendarActivity
from webapp.resilience_calendar.services import ELEMENTS, IN_CALENDAR, activities_between
from webapp.safety_circle import services as circle
from webapp.safety_log.models import EntryKind, LogEntry, LogHighlight
from webapp.safety_log.services import visible
from webapp.safety_plan.models import Agreement
from webapp.safety_plan.services import version_in_force
from webapp.safety_scales.models import DangerStatement, SafetyScale, ScaleScore
from webapp.safety_scales.services import (LatestRound, active_statements, latest_round, member_names,
                                           series_per_person)
from webapp.notify.models import PushSubscription
from webapp.signals.models import Acknowledgement, AckKind, Signal, SignalStatus

NETWORK_TARGET = 3  # the method asks for at least three people from the network, not paid to help


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def local_days(self, tz: tzinfo) -> tuple[date, date]:
        """The first and the last local day the period touches."""
        return local_date(self.start, tz), local_date(self.end - timedelta(microseconds=1), tz)


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.replace(tzinfo=timezone.utc).astimezone(tz).date()


def _mondays(first: date, last: date) -> list[date]:
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def _per_week(days: list[date], first: date, last: date) -> list[tuple[date, int]]:
    counts = {monday: 0 for monday in _mondays(first, last)}
    for day in days:
        counts[day - timedelta(days=day.weekday())] += 1
    return list(counts.items())


# --- the safety log ---------------------------------------------------------------------------------------

@dataclass
class LogActivity:
    total: int
    per_kind: dict[EntryKind, int]
    per_week: list[tuple[date, int]]  # (local Monday, entries that week)
    highlights: list[LogEntry]  # marked for the network meeting, oldest first


def _entries_in(household: Household, period: Period, with_signals: bool):
    return visible(select(LogEntry).where(LogEntry.household_id == household.id, LogEntry.withdrawn_at.is_(None),
                                          LogEntry.occurred_at >= period.start, LogEntry.occurred_at < period.end),
                   hide_signals=not with_signals)


def log_activity(session: Session, household: Household, period: Period, tz: tzinfo,
                 with_signals: bool = True) -> LogActivity:
    """Entries written about the period (withdrawn ones left out), per kind and per week, and the highlights."""
    entries = _entries_in(household, period, with_signals).subquery()
    rows = session.execute(select(entries.c.kind, entries.c.occurred_at)).all()
    per_kind = {kind: 0 for kind in EntryKind}
    for kind, _at in rows:
        per_kind[kind] += 1
    highlighted = select(LogHighlight.entry_id)
    highlights = session.scalars(_entries_in(household, period, with_signals).where(LogEntry.id.in_(highlighted))
                                 .options(selectinload(LogEntry.author))
                                 .order_by(LogEntry.occurred_at, LogEntry.id)).all()
    first, last = period.local_days(tz)
    per_week = _per_week([local_date(at, tz) for _kind, at in rows], first, last)
    return LogActivity(len(rows), per_kind, per_week, list(highlights))


# --- signals and how fast the network answered --------------------------------------------------------------

def _minutes(since: datetime, then: datetime) -> float:
    return max(0.0, (then - since).total_seconds() / 60)


@dataclass
class Responder:
    name: str | None  # None: someone who is no longer in the household
    kind: AckKind
    minutes: float


@dataclass
class SignalResponse:
    signal: Signal
    responders: list[Responder]

    @property
    def minutes_to_first_ack(self) -> float | None:
        """From the moment the alert went out (after the undo window) to the first answer."""
        if self.signal.first_ack_at is None:
            return None
        return _minutes(self.signal.send_at, self.signal.first_ack_at)


@dataclass
class SignalResponses:
    items: list[SignalResponse]  # oldest first

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def _times(self) -> list[float]:
        return [t for t in (item.minutes_to_first_ack for item in self.items) if t is not None]

    @property
    def answered(self) -> int:
        return len(self._times)

    @property
    def unanswered(self) -> int:
        return self.count - self.answered

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self._times) if self._times else None

    @property
    def longest_minutes(self) -> float | None:
        return max(self._times, default=None)


def signal_responses(session: Session, household: Household, period: Period) -> SignalResponses:
    """Signals raised in the period (undone ones left out) with who answered and after how long."""
    signals = session.scalars(
        select(Signal).where(Signal.household_id == household.id, Signal.status != SignalStatus.cancelled,
                             Signal.drill.is_(False),  # a drill is practice: never a figure about signals
                             Signal.created_at >= period.start, Signal.created_at < period.end)
        .options(selectinload(Signal.acknowledgements).selectinload(Acknowledgement.user),
                 selectinload(Signal.raised_by))
        .order_by(Signal.created_at, Signal.id)).all()
    names = member_names(session, household.id)
    return SignalResponses([SignalResponse(s, [Responder(names.get(a.user_id), a.kind, _minutes(s.send_at, a.created_at))
                                               for a in s.acknowledgements]) for s in signals])


# --- the resilience calendar --------------------------------------------------------------------------------

@dataclass
class CalendarFilled:
    filled_days: int  # days with all six resilience elements
    days: int  # days the period touches
    per_week: list[tuple[date, int]]  # (Monday, filled days that week)


def calendar_filled(session: Session, household: Household, period: Period, tz: tzinfo) -> CalendarFilled:
    first, last = period.local_days(tz)
    present: dict[date, set] = {}
    for activity in activities_between(session, household, first, last + timedelta(days=1)):
        present.setdefault(activity.day, set()).update(activity.elements)
    filled = sorted(day for day, elements in present.items() if len(elements) == len(ELEMENTS))
    return CalendarFilled(len(filled), (last - first).days + 1, _per_week(filled, first, last))


# --- safety scales ------------------------------------------------------------------------------------------

@dataclass
class ScaleTrend:
    statement: DangerStatement
    latest: LatestRound  # the latest score of each person in the household now
    before: LatestRound  # the same, as it stood when the period began
    scores_in_period: int

    @property
    def median_now(self) -> float | None:
        return self.latest.median

    @property
    def median_before(self) -> float | None:
        return self.before.median

    @property
    def direction(self) -> str | None:
        """"up", "down" or "same" between the start of the period and now; None without both."""
        if self.median_now is None or self.median_before is None:
            return None
        if self.median_now == self.median_before:
            return "same"
        return "up" if self.median_now > self.median_before else "down"


def scale_trends(session: Session, household: Household, period: Period) -> list[ScaleTrend]:
    """Per active danger statement: where its scale stands now against where it stood when the period began."""
    statements = active_statements(session, household.id)
    scale_ids = [s.scale.id for s in statements]
    by_scale: dict[int, list[ScaleScore]] = {sid: [] for sid in scale_ids}
    if scale_ids:
        for score in session.scalars(select(ScaleScore).where(ScaleScore.scale_id.in_(scale_ids),
                                                              ScaleScore.scored_at < period.end)
                                     .order_by(ScaleScore.scored_at, ScaleScore.id)):
            by_scale[score.scale_id].append(score)
    members = member_names(session, household.id)
    trends = []
    for statement in statements:
        scores = by_scale[statement.scale.id]
        earlier = [s for s in scores if s.scored_at < period.start]
        trends.append(ScaleTrend(statement, latest_round(series_per_person(scores, members)),
                                 latest_round(series_per_person(earlier, members)), len(scores) - len(earlier)))
    return trends


# --- agreements of the plan in force, as the log shows them --------------------------------------------------

AGREEMENT_STATES = {
    "kept": _l("kept"),
    "not_kept": _l("not kept at least once"),
    # Not "not kept": an agreement nobody linked an entry to may well be kept. The meeting asks how it goes.
    "unclear": _l("no entries linked yet"),
}


@dataclass
class AgreementCheck:
    agreement: Agreement
    entries: list[LogEntry]  # log entries about this agreement in the period, oldest first

    @property
    def state(self) -> str:
        """What went wrong says the agreement was not kept; any other entry about it says it was."""
        if not self.entries:
            return "unclear"
        return "not_kept" if any(e.kind == EntryKind.went_wrong for e in self.entries) else "kept"

    @property
    def state_text(self) -> str:
        return str(AGREEMENT_STATES[self.state])


def agreement_checks(session: Session, household: Household, period: Period,
                     with_signals: bool = True) -> list[AgreementCheck]:
    """Per agreement of the plan in force: the log entries that name it (in any version of the agreement)."""
    version = version_in_force(session, household.id)
    if version is None:
        return []
    lineages = {a.lineage_id or a.id: a for a in version.agreements}
    found: dict[int, list[LogEntry]] = {lineage: [] for lineage in lineages}
    if lineages:
        for entry in session.scalars(_entries_in(household, period, with_signals).where(LogEntry.agreement_id.in_(list(lineages)))
                                     .order_by(LogEntry.occurred_at, LogEntry.id)):
            found[entry.agreement_id].append(entry)
    return [AgreementCheck(agreement, found[lineage]) for lineage, agreement in lineages.items()]


# --- the network --------------------------------------------------------------------------------------------

@dataclass
class Network:
    members: list[str]  # adults of the network with a sign-in (not professionals)
    active_people: list[str]  # of those: who wrote, scored, answered a signal or used the calendar in the period
    reachable_by_push: list[str] | None  # of those: who has a phone that takes alerts (None: not shown)
    target: int = field(default=NETWORK_TARGET)

    @property
    def met(self) -> bool:
        return len(self.active_people) >= self.target


def _active_user_ids(session: Session, household: Household, period: Period, with_signals: bool) -> set[int]:
    def ids(column, *where) -> set[int]:
        return set(session.scalars(select(column).where(column.is_not(None), *where).distinct()))
    in_log = ids(LogEntry.author_id, LogEntry.household_id == household.id,
                 LogEntry.created_at >= period.start, LogEntry.created_at < period.end,
                 *([] if with_signals else [LogEntry.from_signal.is_(False)]))
    scale_ids = select(SafetyScale.id).where(SafetyScale.household_id == household.id)
    scored = ids(ScaleScore.user_id, ScaleScore.scale_id.in_(scale_ids),
                 ScaleScore.scored_at >= period.start, ScaleScore.scored_at < period.end)
    signal_ids = select(Signal.id).where(Signal.household_id == household.id, Signal.drill.is_(False))
    answered = ids(Acknowledgement.user_id, Acknowledgement.signal_id.in_(signal_ids),
                   Acknowledgement.created_at >= period.start, Acknowledgement.created_at < period.end
                   ) if with_signals else set()
    planned = ids(CalendarActivity.created_by_id, CalendarActivity.household_id == household.id, IN_CALENDAR,
                  CalendarActivity.created_at >= period.start, CalendarActivity.created_at < period.end)
    return in_log | scored | answered | planned


def network(session: Session, household: Household, period: Period, with_signals: bool = True) -> Network:
    members = [m for m in session.scalars(select(Membership).where(Membership.household_id == household.id)
                                          .options(selectinload(Membership.user)))
               if m.user.can_sign_in and m.roles - {Role.child} and Role.professional not in m.roles]
    members.sort(key=lambda m: m.user.display_name.lower())
    active = _active_user_ids(session, household, period, with_signals)
    if not with_signals:  # who can be alerted is the alert plan, which does not exist for this reader
        return Network([m.user.display_name for m in members],
                       [m.user.display_name for m in members if m.user_id in active], None)
    # Alerts reach a phone whose last push did not fail; nobody hidden from signals is ever alerted.
    alertable = [m.user_id for m in members if not m.signals_hidden]
    with_push = set(session.scalars(select(PushSubscription.user_id).where(
        PushSubscription.user_id.in_(alertable), PushSubscription.last_failure_at.is_(None)
        | (PushSubscription.last_success_at >= PushSubscription.last_failure_at)))) if alertable else set()
    return Network([m.user.display_name for m in members],
                   [m.user.display_name for m in members if m.user_id in active],
                   [m.user.display_name for m in members if m.user_id in with_push])


@dataclass
class CircleSince:
    """The safety circle at the end of a period, who came onto it, moved or left during it, and its picture."""
    now: "circle.Circle"
    changes: list["circle.Change"]
    drawing: "circle.Drawing"


def safety_circle(session: Session, household: Household, period: Period) -> CircleSince:
    then = circle.circle_on(session, household.id, period.start)
    now = circle.circle_on(session, household.id, period.end)
    return CircleSince(now, circle.changes_between(then, now), circle.drawing(now, current_children(session, household)))


def last_activity(session: Session, household: Household) -> datetime | None:
    """When someone last wrote in the log: one line on a professional's caseload."""
    return session.scalar(select(func.max(LogEntry.created_at)).where(LogEntry.household_id == household.id))

