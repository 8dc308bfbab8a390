"""The household's road, gathered from the records of the capabilities below: nothing of its own is stored.

A phase's dates come from the phase moves (a household that moved back has walked a phase twice: its first start
and its last end are shown). Milestones are in the order they happened; meetings still to come are at the end."""
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.drills.models import Drill
from webapp.drills.services import held as held_drills
from webapp.households.models import Household, Phase
from webapp.i18n import lazy_gettext as _l
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.safety_circle.services import AIM, inner_ring_over_time
from webapp.safety_plan.models import PlanVersion, SafetyPlan
from webapp.safety_scales import services as scales
from webapp.safety_scales.models import DangerStatement, PhaseMove


# The four phases as the child view says them: a drawn picture and a few words each, in the method's order.
PHASES_FOR_THE_CHILD = (
    ("alignment", "🤝", _l("We get to know each other.")),
    ("direct_safety", "🏠", _l("We make it safe at home.")),
    ("risk_driven", "⭐", _l("We keep practising together.")),
    ("recovery", "☀️", _l("Things are going well.")),
)


# Where the Routekaart asks for a plan tested in a stress test before the household moves on.
TESTED_PLAN_PHASES = frozenset({Phase.risk_driven})


@dataclass(frozen=True)
class Stretch:
    """One of the four phases on the road: when the household first came into it and last left it."""
    phase: Phase
    start: datetime | None  # None: not reached yet
    end: datetime | None  # None: not left (yet)
    current: bool


@dataclass(frozen=True)
class Milestone:
    when: datetime
    kind: str  # started, phase, meeting_held, meeting_planned, plan_agreed, plan_approved, circle_aim, drill
    phase: Phase | None = None  # the phase moved to
    meeting: Meeting | None = None
    version: PlanVersion | None = None
    approved_by: str = ""  # name and role of who approved a plan version


@dataclass(frozen=True)
class ScaleLine:
    statement: DangerStatement
    trend: scales.Trend | None


@dataclass
class Road:
    stretches: list[Stretch]
    milestones: list[Milestone]
    upcoming: list[Milestone]
    scales: list[ScaleLine]
    progress: scales.PhaseProgress
    last_drill: Drill | None = None  # the plan's last test, where the phase asks for one (None when hidden)
    asks_for_a_test: bool = False  # the method asks for a tested plan before moving on from this phase


def stretches(household: Household, moves: list[PhaseMove]) -> list[Stretch]:
    """The four phases in the method's order, with the household's own dates (moves oldest first)."""
    start: dict[Phase, datetime] = {}
    end: dict[Phase, datetime] = {}
    phase = moves[0].from_phase if moves else household.phase
    start[phase] = household.created_at
    for move in moves:
        end[move.from_phase] = move.moved_at
        start.setdefault(move.to_phase, move.moved_at)
        end.pop(move.to_phase, None)  # back in a phase: it has not ended
    return [Stretch(p, start.get(p), end.get(p) if p != household.phase else None, p == household.phase)
            for p in scales.PHASE_ORDER]


def _plan_milestones(session: Session, household_id: int) -> list[Milestone]:
    versions = session.scalars(select(PlanVersion).join(SafetyPlan).where(SafetyPlan.household_id == household_id))
    out = []
    for version in versions:
        if version.agreed_at is not None:
            out.append(Milestone(version.agreed_at, "plan_agreed", version=version))
        for approval in version.approvals:
            out.append(Milestone(datetime.combine(approval.approved_on, datetime.min.time()), "plan_approved",
                                 version=version, approved_by=f"{approval.name} ({approval.role})"))
    return out


def road(session: Session, household: Household, now: datetime, tz: tzinfo, with_drills: bool = True) -> Road:
    """`with_drills`: False for a member hidden from signals, who finds no drill anywhere."""
    moves = sorted(scales.phase_moves(session, household.id), key=lambda m: (m.moved_at, m.id))
    milestones = [Milestone(household.created_at, "started")]
    milestones += [Milestone(m.moved_at, "phase", phase=m.to_phase) for m in moves]
    meetings = session.scalars(select(Meeting).where(Meeting.household_id == household.id,
                                                     Meeting.status != MeetingStatus.cancelled)).all()
    milestones += [Milestone(m.starts_at, "meeting_held", meeting=m) for m in meetings
                   if m.status == MeetingStatus.held]
    milestones += _plan_milestones(session, household.id)
    reached = next((moment for moment, count in inner_ring_over_time(session, household.id) if count >= AIM), None)
    if reached is not None:
        milestones.append(Milestone(reached, "circle_aim"))
    drills = held_drills(session, household.id) if with_drills else []
    milestones += [Milestone(d.held_at, "drill") for d in drills]
    upcoming = sorted((Milestone(m.starts_at, "meeting_planned", meeting=m) for m in meetings
                       if m.status == MeetingStatus.planned and m.starts_at >= now), key=lambda m: m.when)
    return Road(stretches(household, moves), sorted(milestones, key=lambda m: m.when), upcoming,
                _scale_lines(session, household, tz), scales.phase_progress(session, household, now, tz),
                drills[-1] if drills else None,
                with_drills and household.phase in TESTED_PLAN_PHASES)


def _scale_lines(session: Session, household: Household, tz: tzinfo) -> list[ScaleLine]:
    statements = scales.active_statements(session, household.id)
    scores = scales.scores_of(session, [s.scale.id for s in statements])
    members = scales.member_names(session, household.id)
    return [ScaleLine(s, scales.trend_sentence_parts(scales.monthly_rounds(
        scales.series_per_person(scores[s.scale.id], members), tz))) for s in statements]
