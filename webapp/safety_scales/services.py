"""Danger statements with their goals and scales, the scores people give, the phase exit criteria computed from
those scores, phase moves, and who to remind to score.

Plain functions taking a session. Times are stored as naive UTC; "a month" is a calendar month where the household
lives (`tz`), so a score given on the evening of the 31st counts for that month.
"""
import enum
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import NamedTuple

from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.orm import Session, selectinload

from webapp.auth.models import User
from webapp.database import prepared
from webapp.households.models import Household, Membership, MembershipRole, Phase, Role
from webapp.notify.messages import Outgoing, notice
from webapp.notify.models import PushSubscription
from webapp.safety_scales.models import (MAX_ACTIVE_STATEMENTS, DangerStatement, PhaseMove, SafetyGoal, SafetyScale,
                                         ScaleScore)

MIN_SCORE, MAX_SCORE = 0, 10
# The exit criteria of the Routekaart naar Veiligheid, per phase.
DIRECT_SAFETY_MINIMUM = 6
RISK_DRIVEN_MINIMUM = 6
RISK_DRIVEN_MONTHS = 6
RECOVERY_MINIMUM = 7
PHASE_ORDER = [Phase.alignment, Phase.direct_safety, Phase.risk_driven, Phase.recovery]
# The people who score: everyone in the network (professionals only read).
SCORING_ROLES = frozenset({Role.household_member, Role.safety_person, Role.network_member, Role.chair})


class TooManyStatements(Exception):
    """There are already MAX_ACTIVE_STATEMENTS active danger statements."""


class InvalidScore(ValueError):
    """A score outside 0-10, a missing behaviour note, or a scale that is archived."""


# --- danger statements, goals and scales -------------------------------------------------------------

@dataclass
class StatementInput:
    who_is_worried: str
    what_adults_do: str
    worst_case: str
    goal: str
    scale_name: str

    def cleaned(self) -> "StatementInput":
        cleaned = StatementInput(*(value.strip() for value in (self.who_is_worried, self.what_adults_do,
                                                               self.worst_case, self.goal, self.scale_name)))
        if not all((cleaned.who_is_worried, cleaned.what_adults_do, cleaned.worst_case, cleaned.goal,
                    cleaned.scale_name)):
            raise ValueError("every part of a danger statement is needed")
        return cleaned


def active_statements(session: Session, household_id: int) -> list[DangerStatement]:
    """The active danger statements, most urgent first (each comes with its goal and scale)."""
    return list(session.scalars(_active_statements(), {"household_id": household_id}).unique())


@prepared
def _active_statements():
    return (select(DangerStatement).where(DangerStatement.household_id == bindparam("household_id"), DangerStatement.active)
            .order_by(DangerStatement.priority, DangerStatement.id))


def archived_statements(session: Session, household_id: int) -> list[Row]:
    """The archived danger statements, newest first, as rows of what their list shows: id, archived_at, scale_id
    and question (the scale's)."""
    return session.execute(_archived_statements(), {"household_id": household_id}).all()


@prepared
def _archived_statements():
    statement, scale = DangerStatement.__table__.c, SafetyScale.__table__.c
    return (select(statement.id, statement.archived_at, scale.id.label("scale_id"), scale.question)
            .join_from(DangerStatement.__table__, SafetyScale.__table__, scale.statement_id == statement.id)
            .where(statement.household_id == bindparam("household_id"), statement.active.is_(False))
            .order_by(statement.archived_at.desc(), statement.id.desc()))


def _lock_household(session: Session, household_id: int) -> None:
    """Two editors adding a statement at the same moment must not make a fifth (PostgreSQL; SQLite writes one at
    a time anyway)."""
    session.execute(select(Household.id).where(Household.id == household_id).with_for_update())


def _renumber(statements: list[DangerStatement]) -> None:
    for number, statement in enumerate(statements, start=1):
        statement.priority = number


def add_statement(session: Session, household: Household, user: User, data: StatementInput,
                  now: datetime) -> DangerStatement:
    """A new danger statement with its goal and its scale, last in priority. Raises TooManyStatements."""
    data = data.cleaned()
    _lock_household(session, household.id)
    active = active_statements(session, household.id)
    if len(active) >= MAX_ACTIVE_STATEMENTS:
        raise TooManyStatements()
    statement = DangerStatement(household_id=household.id, priority=len(active) + 1, created_by_id=user.id,
                                created_at=now, who_is_worried=data.who_is_worried,
                                what_adults_do=data.what_adults_do, worst_case=data.worst_case, active=True)
    statement.goal = SafetyGoal(text=data.goal)
    statement.scale = SafetyScale(household_id=household.id, question=data.scale_name)
    session.add(statement)
    session.flush()
    return statement


def update_statement(session: Session, statement: DangerStatement, data: StatementInput) -> None:
    """Change the words. The scores stay with the scale: the scale is still about the same worry."""
    data = data.cleaned()
    statement.who_is_worried, statement.what_adults_do = data.who_is_worried, data.what_adults_do
    statement.worst_case = data.worst_case
    statement.goal.text = data.goal
    statement.scale.question = data.scale_name
    session.flush()


def archive_statement(session: Session, statement: DangerStatement, now: datetime) -> None:
    """No longer active; stays readable with all its scores."""
    if not statement.active:
        return
    statement.active, statement.archived_at = False, now
    session.flush()
    _renumber(active_statements(session, statement.household_id))
    session.flush()


def restore_statement(session: Session, statement: DangerStatement) -> None:
    """Active again, last in priority. Raises TooManyStatements."""
    if statement.active:
        return
    _lock_household(session, statement.household_id)
    active = active_statements(session, statement.household_id)
    if len(active) >= MAX_ACTIVE_STATEMENTS:
        raise TooManyStatements()
    statement.active, statement.archived_at, statement.priority = True, None, len(active) + 1
    session.flush()


def move_statement(session: Session, statement: DangerStatement, offset: int) -> bool:
    """Move one place up (-1) or down (+1) in priority. Returns whether it moved."""
    active = active_statements(session, statement.household_id)
    if statement not in active:
        return False
    here = active.index(statement)
    there = here + offset
    if offset not in (-1, 1) or not 0 <= there < len(active):
        return False
    active[here], active[there] = active[there], active[here]
    _renumber(active)
    session.flush()
    return True


# --- scores --------------------------------------------------------------------------------------------

def add_score(session: Session, scale: SafetyScale, user: User, score: int | None, behaviour: str,
              now: datetime) -> ScaleScore:
    """One person's score with the behaviour they saw. Scores are only ever added: the history is the evidence."""
    if not isinstance(score, int) or isinstance(score, bool) or not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidScore("score")
    if not (behaviour or "").strip():
        raise InvalidScore("behaviour")
    if not scale.statement.active:
        raise InvalidScore("archived")
    row = ScaleScore(household_id=scale.household_id, scale_id=scale.id, user_id=user.id, score=score,
                     behaviour=behaviour.strip(), scored_at=now)
    session.add(row)
    session.flush()
    return row


class Score(NamedTuple):
    """A score as the scales page reads it: ScaleScore's columns, without an ORM object. A plain named tuple, not
    SQLAlchemy's Row: a Row's attribute first fails as an ordinary attribute (raising and formatting an
    AttributeError) before it finds the column, about ten times the cost, and a page reads a few thousand."""
    id: int
    scale_id: int
    user_id: int | None
    score: int
    behaviour: str
    scored_at: datetime  # naive UTC
    meeting_id: int | None


def scores_of(session: Session, scale_ids: list[int]) -> dict[int, list[Score]]:
    """Every score of these scales, oldest first, per scale. The scales page reads a few hundred; as ORM objects
    they took a sixth of its time."""
    found: dict[int, list[Score]] = {scale_id: [] for scale_id in scale_ids}
    if not scale_ids:
        return found
    for score in map(Score._make, session.execute(_scores_of(), {"scale_ids": list(scale_ids)})):
        found[score.scale_id].append(score)
    return found


@prepared
def _scores_of():
    score = ScaleScore.__table__.c  # columns of the table, not the mapped class: rows without objects
    return (select(score.id, score.scale_id, score.user_id, score.score, score.behaviour, score.scored_at,
                   score.meeting_id)
            .where(score.scale_id.in_(bindparam("scale_ids", expanding=True)))
            .order_by(score.scored_at, score.id))


def last_score_by(session: Session, scale: SafetyScale, user: User) -> ScaleScore | None:
    return session.scalar(select(ScaleScore).where(ScaleScore.scale_id == scale.id, ScaleScore.user_id == user.id)
                          .order_by(ScaleScore.scored_at.desc(), ScaleScore.id.desc()).limit(1))


def member_names(session: Session, household_id: int) -> dict[int, str]:
    """user id -> display name of everyone in the household now."""
    return dict(session.execute(_member_names(), {"household_id": household_id}).all())


@prepared
def _member_names():
    user, membership = User.__table__.c, Membership.__table__.c
    return (select(user.id, user.display_name).join_from(User.__table__, Membership.__table__,
                                                        membership.user_id == user.id)
            .where(membership.household_id == bindparam("household_id")))


@dataclass
class Series:
    """One person's scores on one scale, oldest first. `name` is None for someone who is no longer in the
    household (shown as "former member")."""
    index: int  # tells the person's line and marker apart from the others
    user_id: int | None
    name: str | None
    scores: list[Score]

    @property
    def latest(self) -> Score:
        return self.scores[-1]


def series_per_person(scores: list[Score], members: dict[int, str]) -> list[Series]:
    """Split a scale's scores (scores_of's rows) per person, in the order people first scored."""
    by_user: dict[int | None, list[Score]] = {}
    for score in scores:
        by_user.setdefault(score.user_id, []).append(score)
    return [Series(i, user_id, members.get(user_id), items) for i, (user_id, items) in enumerate(by_user.items())]


@dataclass
class LatestRound:
    """The latest score of each person in the household now, lowest first."""
    scores: list[Score]

    @property
    def lowest(self) -> int | None:
        return self.scores[0].score if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(s.score for s in self.scores) if self.scores else None


def latest_round(series: list[Series]) -> LatestRound:
    return LatestRound(sorted((s.latest for s in series if s.name is not None), key=lambda r: (r.score, r.scored_at)))


# --- the trend a chart starts with -------------------------------------------------------------------

@dataclass(frozen=True)
class Round:
    """Everyone's latest score at the end of a month in which someone scored, reduced to its middle score.

    It is the latest round as it stood then, so the newest round is the latest round the page shows."""
    month: date  # its first day, local
    at: datetime  # the month's last score (naive UTC): where a chart puts the round
    median: float


def monthly_rounds(series: list[Series], tz: tzinfo, since: datetime | None = None) -> list[Round]:
    """The rounds of the months with a score since `since` (naive UTC), oldest first. Only the people in the
    household now count, as in the latest round; an earlier score of theirs still counts in a later month."""
    rows = sorted(((row, s.user_id) for s in series if s.name is not None for row in s.scores),
                  key=lambda pair: (pair[0].scored_at, pair[0].id or 0))
    latest: dict[int | None, int] = {}
    rounds: dict[date, Round] = {}
    for row, user_id in rows:
        latest[user_id] = row.score
        if since is None or row.scored_at >= since:
            month = local_month(row.scored_at, tz)
            rounds[month] = Round(month, row.scored_at, statistics.median(latest.values()))
    return list(rounds.values())


class Direction(enum.StrEnum):
    better = "better"
    worse = "worse"
    same = "same"
    first = "first"  # one round only: nothing to compare with yet


TREND_STEP = 1  # a middle score this much higher or lower is a change; less is "the same"


@dataclass(frozen=True)
class Trend:
    """What the one sentence above a chart says: the middle score of the first round against the latest."""
    direction: Direction
    first_value: float
    first_date: date
    last_value: float


def trend_sentence_parts(rounds: list[Round]) -> Trend | None:
    """None without rounds."""
    if not rounds:
        return None
    first, last = rounds[0], rounds[-1]
    if len(rounds) == 1:
        return Trend(Direction.first, first.median, first.month, last.median)
    change = last.median - first.median
    direction = (Direction.better if change >= TREND_STEP else Direction.worse if change <= -TREND_STEP
                 else Direction.same)
    return Trend(direction, first.median, first.month, last.median)


# --- phase exit criteria -------------------------------------------------------------------------------

class Point(NamedTuple):
    """A score reduced to what the criteria need (a named tuple, read straight from a row: see Score)."""
    scale_id: int
    user_id: int | None
    score: int
    scored_at: datetime  # naive UTC


def local_month(moment: datetime, tz: tzinfo) -> date:
    """The first day of the local calendar month of a naive UTC moment."""
    return moment.replace(tzinfo=timezone.utc).astimezone(tz).date().replace(day=1)


def months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class LatestCheck:
    """Everyone's latest score on every active scale is at least `minimum`; every scale has a score."""
    kind = "latest"
    minimum: int
    scale_ids: list[int]
    latest: dict[int, dict[int, Point]]  # scale id -> user id -> that person's latest score

    @property
    def unscored(self) -> list[int]:
        return [s for s in self.scale_ids if not self.latest.get(s)]

    @property
    def below(self) -> list[Point]:
        """The latest scores under the minimum, lowest first."""
        return sorted((p for s in self.scale_ids for p in self.latest.get(s, {}).values() if p.score < self.minimum),
                      key=lambda p: (p.score, p.scale_id, p.user_id))

    @property
    def below_by_person(self) -> list[Point]:
        """Each person held under the minimum once, with their lowest latest score, lowest first: the names the
        phase box gives for "what is needed next"."""
        lowest: dict[int, Point] = {}
        for point in self.below:
            lowest.setdefault(point.user_id, point)
        return list(lowest.values())

    @property
    def lowest(self) -> int | None:
        scores = [p.score for s in self.scale_ids for p in self.latest.get(s, {}).values()]
        return min(scores) if scores else None

    @property
    def people(self) -> int:
        return len({u for s in self.scale_ids for u in self.latest.get(s, {})})

    @property
    def people_at_minimum(self) -> int:
        """People whose latest score on every scale they scored is at least the minimum."""
        below = {p.user_id for p in self.below}
        return self.people - len(below)

    @property
    def met(self) -> bool:
        return bool(self.scale_ids) and not self.unscored and not self.below


def check_latest(scale_ids: list[int], points: list[Point], minimum: int,
                 people: set[int] | None = None) -> LatestCheck:
    """`people`: only these people's scores count (the household's members now); None: everyone's."""
    latest: dict[int, dict[int, Point]] = {s: {} for s in scale_ids}
    for point in sorted(points, key=lambda p: p.scored_at):
        if point.scale_id in latest and point.user_id is not None and (people is None or point.user_id in people):
            latest[point.scale_id][point.user_id] = point
    return LatestCheck(minimum, list(scale_ids), latest)


class MonthState(enum.StrEnum):
    met = "met"  # every scale has a score and every score is at least the minimum
    below = "below"  # some score under the minimum
    missing = "missing"  # some scale without a score that month


@dataclass
class MonthResult:
    month: date  # its first day
    state: MonthState
    below: list[int] = field(default_factory=list)  # scale ids with a score under the minimum
    unscored: list[int] = field(default_factory=list)  # scale ids without a score


@dataclass
class MonthsCheck:
    """Every active scale at least `minimum` in each of the last `needed` months, with a score every month.

    `done` counts the months in a row that qualify, ending this month, or last month while this month is still
    open (not every scale scored yet, and nothing under the minimum so far)."""
    kind = "months"
    minimum: int
    needed: int
    scale_ids: list[int]
    current: MonthResult
    months: list[MonthResult]  # the `needed` months counted back from where counting starts, newest first

    @property
    def current_open(self) -> bool:
        return self.current.state == MonthState.missing

    @property
    def done(self) -> int:
        if not self.scale_ids:
            return 0
        count = 0
        for result in self.months:
            if result.state != MonthState.met:
                break
            count += 1
        return count

    @property
    def met(self) -> bool:
        return bool(self.scale_ids) and self.done >= self.needed


def check_months(scale_ids: list[int], points: list[Point], today: date, tz: tzinfo,
                 minimum: int = RISK_DRIVEN_MINIMUM, needed: int = RISK_DRIVEN_MONTHS) -> MonthsCheck:
    per_month: dict[date, dict[int, list[int]]] = {}
    for point in points:
        if point.scale_id in scale_ids:
            per_month.setdefault(local_month(point.scored_at, tz), {}).setdefault(point.scale_id, []).append(point.score)

    def result(month: date) -> MonthResult:
        scores = per_month.get(month, {})
        below = [s for s in scale_ids if any(v < minimum for v in scores.get(s, []))]
        unscored = [s for s in scale_ids if not scores.get(s)]
        state = MonthState.below if below else MonthState.missing if unscored else MonthState.met
        return MonthResult(month, state, below, unscored)

    this_month = today.replace(day=1)
    current = result(this_month)
    start = 1 if current.state == MonthState.missing else 0
    months = [result(months_before(this_month, start + i)) for i in range(needed)]
    return MonthsCheck(minimum, needed, list(scale_ids), current, months)


@dataclass
class PhaseProgress:
    """Where the household is, and how far the scores are towards the next phase."""
    phase: Phase
    scale_names: dict[int, str]  # scale id -> its question, of the active statements, most urgent first
    members: dict[int, str]
    check: LatestCheck | MonthsCheck | None  # None: this phase's exit is not measured by scores

    @property
    def next_phase(self) -> Phase | None:
        index = PHASE_ORDER.index(self.phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    def names(self, scale_ids: list[int]) -> list[str]:
        return [f"“{self.scale_names[s]}”" for s in scale_ids]

    @property
    def met(self) -> bool:
        return self.check is not None and self.check.met


def _points(session: Session, scale_ids: list[int], since: datetime) -> list[Point]:
    """The scores since `since`."""
    if not scale_ids:
        return []
    return list(map(Point._make, session.execute(_points_since(), {"scale_ids": list(scale_ids), "since": since})))


@prepared
def _points_since():
    score = ScaleScore.__table__.c  # the table's columns: plain rows, without the ORM's work per row
    return select(score.scale_id, score.user_id, score.score, score.scored_at).where(
        score.scale_id.in_(bindparam("scale_ids", expanding=True)), score.scored_at >= bindparam("since"))


def _latest_points(session: Session, scale_ids: list[int]) -> list[Point]:
    """Each person's latest score per scale, as rows with Point's fields: all the latest check needs (the database
    picks them, instead of every score of every month coming back to be sorted here)."""
    if not scale_ids:
        return []
    return list(map(Point._make, session.execute(_latest_points_of(), {"scale_ids": list(scale_ids)})))


@prepared
def _latest_points_of():
    score = ScaleScore.__table__.c
    newest_first = func.row_number().over(partition_by=(score.scale_id, score.user_id),
                                          order_by=(score.scored_at.desc(), score.id.desc()))
    ranked = (select(score.scale_id, score.user_id, score.score, score.scored_at, newest_first.label("newest"))
              .where(score.scale_id.in_(bindparam("scale_ids", expanding=True)), score.user_id.is_not(None))
              .subquery())
    return select(ranked.c.scale_id, ranked.c.user_id, ranked.c.score, ranked.c.scored_at).where(ranked.c.newest == 1)


def active_scale_names(session: Session, household_id: int) -> dict[int, str]:
    """scale id -> question of the active danger statements, most urgent first."""
    return dict(session.execute(_active_scale_names(), {"household_id": household_id}).all())


@prepared
def _active_scale_names():
    statement, scale = DangerStatement.__table__.c, SafetyScale.__table__.c
    return (select(scale.id, scale.question).join_from(DangerStatement.__table__, SafetyScale.__table__,
                                                        scale.statement_id == statement.id)
            .where(statement.household_id == bindparam("household_id"), statement.active.is_(True))
            .order_by(statement.priority, statement.id))


def phase_progress(session: Session, household: Household, now: datetime, tz: tzinfo,
                   people: list[Membership] | None = None) -> PhaseProgress:
    """The exit criterion of the household's phase, computed from its scores (three small queries).

    Latest scores count for the people in the household now (someone who left no longer blocks or carries the
    network); a month's scores count whoever gave them, because they were the network then."""
    names = active_scale_names(session, household.id)
    scale_ids = list(names)
    # The household's people, when the page has read them (the home), name the members without asking again.
    members = ({m.user_id: m.user.display_name for m in people} if people is not None
               else member_names(session, household.id))
    phase = household.phase
    check: LatestCheck | MonthsCheck | None = None
    if phase in (Phase.direct_safety, Phase.recovery):
        minimum = DIRECT_SAFETY_MINIMUM if phase == Phase.direct_safety else RECOVERY_MINIMUM
        check = check_latest(scale_ids, _latest_points(session, scale_ids), minimum, set(members))
    elif phase == Phase.risk_driven:
        today = now.replace(tzinfo=timezone.utc).astimezone(tz).date()
        # A day's margin before the first month counted, for the time zone.
        since = datetime.combine(months_before(today.replace(day=1), RISK_DRIVEN_MONTHS + 1), datetime.min.time())
        check = check_months(scale_ids, _points(session, scale_ids, since), today, tz)
    return PhaseProgress(phase, names, members, check)


def move_phase(session: Session, household: Household, user: User, to_phase: Phase, note: str,
               now: datetime) -> PhaseMove:
    """The chair moves the household to another phase; the move is recorded."""
    if to_phase == household.phase:
        raise ValueError("the household is in that phase already")
    move = PhaseMove(household_id=household.id, from_phase=household.phase, to_phase=to_phase, moved_by_id=user.id,
                     moved_at=now, note=(note or "").strip())
    household.phase = to_phase
    session.add(move)
    session.flush()
    return move


def phase_moves(session: Session, household_id: int) -> list[PhaseMove]:
    return list(session.scalars(select(PhaseMove).options(selectinload(PhaseMove.moved_by))
                                .where(PhaseMove.household_id == household_id)
                                .order_by(PhaseMove.moved_at.desc(), PhaseMove.id.desc())))


# --- the monthly reminder ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    user_id: int
    household_id: int
    household_name: str
    scales_left: int  # active scales this person has not scored this month


def people_to_remind(session: Session, now: datetime, tz: tzinfo) -> list[Reminder]:
    """Everyone in the network of a household with active scales who has not scored every one of them this
    calendar month. People without a sign-in (a child) and households that are being closed are left out."""
    month_start_local = local_month(now, tz)
    month_start = (datetime.combine(month_start_local, datetime.min.time(), tzinfo=tz)
                   .astimezone(timezone.utc).replace(tzinfo=None))
    scales: dict[int, set[int]] = {}
    for household_id, scale_id in session.execute(
            select(SafetyScale.household_id, SafetyScale.id).join(DangerStatement)
            .join(Household, Household.id == SafetyScale.household_id)
            .where(DangerStatement.active, Household.erase_at.is_(None))):
        scales.setdefault(household_id, set()).add(scale_id)
    if not scales:
        return []
    scored: dict[tuple[int, int], set[int]] = {}
    for household_id, user_id, scale_id in session.execute(
            select(ScaleScore.household_id, ScaleScore.user_id, ScaleScore.scale_id)
            .where(ScaleScore.household_id.in_(scales), ScaleScore.scored_at >= month_start,
                   ScaleScore.user_id.is_not(None))):
        scored.setdefault((household_id, user_id), set()).add(scale_id)
    people = session.execute(
        select(Membership.household_id, Membership.user_id, Household.name).distinct()
        .join(MembershipRole, MembershipRole.membership_id == Membership.id)
        .join(Household, Household.id == Membership.household_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.household_id.in_(scales), MembershipRole.role.in_(SCORING_ROLES),
               User.username.is_not(None)))
    reminders = []
    for household_id, user_id, name in people:
        left = scales[household_id] - scored.get((household_id, user_id), set())
        if left:
            reminders.append(Reminder(user_id, household_id, name, len(left)))
    return sorted(reminders, key=lambda r: (r.household_id, r.user_id))


# --- erasing -------------------------------------------------------------------------------------------

def erase_household_scales(session: Session, household_id: int) -> None:
    """Remove every statement, goal, scale, score and phase move of a household (when it is erased)."""
    statements = select(DangerStatement.id).where(DangerStatement.household_id == household_id)
    for statement in (
        delete(ScaleScore).where(ScaleScore.household_id == household_id),
        delete(SafetyScale).where(SafetyScale.household_id == household_id),
        delete(SafetyGoal).where(SafetyGoal.statement_id.in_(statements)),
        delete(DangerStatement).where(DangerStatement.household_id == household_id),
        delete(PhaseMove).where(PhaseMove.household_id == household_id),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})


# --- sending the reminder ------------------------------------------------------------------------------

def reminder_messages(session: Session, reminder: Reminder, locale: str) -> list[Outgoing]:
    """A discreet Web Push to each of the person's devices (needs an app context for the translations).

    On a lock screen it says nothing about safety unless the person chose detailed notifications."""
    from flask_babel import force_locale, gettext as _
    user = session.get(User, reminder.user_id)
    devices = list(session.scalars(select(PushSubscription).where(PushSubscription.user_id == reminder.user_id)))
    if user is None or not devices:
        return []
    with force_locale(user.locale or locale):
        if user.push_detail:
            title = _("%(household)s: safety scales", household=reminder.household_name)
            body = _("You have not scored the safety scales this month yet. It takes a minute.")
        else:
            title = _("Notes") if user.discreet else "Kring"
            body = _("A monthly question is waiting for you. Please open the app.")
    # One notification per household at a time; it may wait three days for a phone that is off.
    return [notice(d, "reminder", title, body, f"/h/{reminder.household_id}/scales",
                   tag=f"scales-{reminder.household_id}", urgency="low", ttl=3 * 24 * 3600)
            for d in devices]
