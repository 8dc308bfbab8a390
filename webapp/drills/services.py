"""Planning a drill, running a signal drill through the real alert path (marked as practice), and its result: how
fast the network answered, and what it learned. Never commits (the view owns the transaction); the worker is
started by the view after the commit, as for a real signal."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from webapp.auth.models import User
from webapp.drills.models import Drill, DrillKind, drill_participant
from webapp.households.models import Household, Membership
from webapp.safety_plan.models import Agreement
from webapp.signals import services as signals
from webapp.signals.models import Signal, SignalSource


@dataclass(frozen=True)
class DrillInput:
    kind: DrillKind
    scenario: str
    planned_at: datetime
    agreement: Agreement | None
    participants: list[Membership]


def plan(session: Session, household: Household, by: User, data: DrillInput) -> Drill:
    drill = Drill(household_id=household.id, kind=data.kind, scenario=data.scenario.strip(), agreement=data.agreement,
                  planned_at=data.planned_at, planned_by=by, participants=list(data.participants))
    session.add(drill)
    session.flush()
    return drill


def drills(session: Session, household_id: int) -> list[Drill]:
    return list(session.scalars(select(Drill).where(Drill.household_id == household_id)
                                .options(selectinload(Drill.signal).selectinload(Signal.acknowledgements))
                                .order_by(Drill.planned_at.desc(), Drill.id.desc())))


def start_signal_drill(session: Session, household: Household, drill: Drill, by: User, now: datetime,
                       undo_seconds: int) -> Signal:
    """Raise the drill's practice signal: the same rings, escalation, e-mail and answers as a real one, every message
    saying PRACTICE. Starting twice gives the same signal."""
    if drill.kind != DrillKind.signal:
        raise ValueError("only a signal drill raises a signal")
    signal, _created = signals.raise_signal(session, household, by, f"drill-{drill.id}", SignalSource.safe_object,
                                            drill.scenario, now, undo_seconds, drill=True)
    drill.signal, drill.started_at = signal, drill.started_at or now
    return signal


def finish(drill: Drill, learned: str, now: datetime) -> None:
    drill.learned, drill.done_at = learned.strip(), drill.done_at or now


@dataclass(frozen=True)
class Result:
    """How fast the network answered a signal drill, and who."""
    seconds_to_first_answer: int | None
    answered_by: list[str]


def result(drill: Drill) -> Result | None:
    if drill.signal is None:
        return None
    names = [a.user.display_name for a in drill.signal.acknowledgements if a.user is not None]
    return Result(drill.signal.seconds_to_first_ack, names)


def held(session: Session, household_id: int) -> list[Drill]:
    """The drills that took place (started, or written up), in the order they did."""
    return sorted((d for d in drills(session, household_id) if d.held_at is not None), key=lambda d: d.held_at)


def done_between(session: Session, household_id: int, start: datetime, end: datetime) -> list[Drill]:
    """Drills held in a period: for the meeting pack and the professional's summary."""
    return [d for d in held(session, household_id) if start <= d.held_at < end]


def erase_household_drills(session: Session, household_id: int) -> None:
    ids = select(Drill.id).where(Drill.household_id == household_id)
    session.execute(delete(drill_participant).where(drill_participant.c.drill_id.in_(ids)),
                    execution_options={"synchronize_session": False})
    session.execute(delete(Drill).where(Drill.household_id == household_id),
                    execution_options={"synchronize_session": False})


def export(session: Session, household_id: int) -> list[dict]:
    return [{"kind": d.kind.value, "scenario": d.scenario, "planned_at": d.planned_at, "started_at": d.started_at,
             "practice_signal": d.signal_id, "participants": [m.user.display_name for m in d.participants],
             "learned": d.learned, "done_at": d.done_at} for d in drills(session, household_id)]
