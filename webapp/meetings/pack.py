"""The preparation pack of a meeting: everything since the previous meeting, in figures from webapp.evidence, and
the agenda the method follows (what are we worried about, what is going well, what needs to happen, a scaling round).
"""
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from webapp import evidence
from webapp.drills import services as drills
from webapp.drills.models import Drill
from webapp.children.services import current as current_children
from webapp.households.models import Household
from webapp.three_houses import services as three_houses
from webapp.meetings import services
from webapp.meetings.models import Meeting, MeetingQuestion
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_scales.models import DangerStatement

WORRY_KINDS = frozenset({EntryKind.went_wrong, EntryKind.nearly_wrong})
GOOD_KINDS = frozenset({EntryKind.went_well, EntryKind.calm_moment})


@dataclass
class Agenda:
    """The meeting's agenda along the method, filled from the pack."""
    topics: list[DangerStatement]  # the danger statements this meeting is about
    worrying_entries: list[LogEntry]  # highlights that went (nearly) wrong
    not_kept: list[evidence.AgreementCheck]
    good_entries: list[LogEntry]  # highlights that went well, calm moments
    kept: list[evidence.AgreementCheck]
    questions: list[MeetingQuestion]
    unclear: list[evidence.AgreementCheck]  # agreements the log says nothing about: an open point
    scales: list[evidence.ScaleTrend]  # the scaling round: every active scale


@dataclass
class Pack:
    meeting: Meeting
    previous: Meeting | None
    period: evidence.Period
    log: evidence.LogActivity
    signals: evidence.SignalResponses | None  # None for someone hidden from signals
    calendar: evidence.CalendarFilled
    scales: list[evidence.ScaleTrend]
    agreements: list[evidence.AgreementCheck]
    network: evidence.Network
    agenda: Agenda
    circle: evidence.CircleSince
    drills: list[Drill] | None  # None for someone hidden from signals
    voices: list[three_houses.ChildVoice]  # what each child chose to share with everyone, in their own words


def period_of(session: Session, household: Household, meeting: Meeting, now: datetime) -> tuple[
        evidence.Period, Meeting | None]:
    """From the previous meeting's start (or the household's beginning) up to now, or up to this meeting's start
    once it has begun: a pack shows what the meeting had to go on."""
    previous = services.previous_meeting(session, meeting)
    start = previous.starts_at if previous is not None else household.created_at
    end = max(start, min(now, meeting.starts_at))
    return evidence.Period(start, end), previous


def _agenda(meeting: Meeting, log: evidence.LogActivity, checks: list[evidence.AgreementCheck],
            trends: list[evidence.ScaleTrend]) -> Agenda:
    return Agenda(
        topics=list(meeting.topics),
        worrying_entries=[e for e in log.highlights if e.kind in WORRY_KINDS],
        not_kept=[c for c in checks if c.state == "not_kept"],
        good_entries=[e for e in log.highlights if e.kind in GOOD_KINDS],
        kept=[c for c in checks if c.state == "kept"],
        questions=list(meeting.questions),
        unclear=[c for c in checks if c.state == "unclear"],
        scales=trends,
    )


def build(session: Session, household: Household, meeting: Meeting, now: datetime, tz: tzinfo,
          with_signals: bool) -> Pack:
    """The whole pack: a handful of small queries, each through webapp.evidence."""
    period, previous = period_of(session, household, meeting, now)
    log = evidence.log_activity(session, household, period, tz, with_signals)
    checks = evidence.agreement_checks(session, household, period, with_signals)
    trends = evidence.scale_trends(session, household, period)
    return Pack(meeting, previous, period, log,
                evidence.signal_responses(session, household, period) if with_signals else None,
                evidence.calendar_filled(session, household, period, tz), trends, checks,
                evidence.network(session, household, period, with_signals), _agenda(meeting, log, checks, trends),
                evidence.safety_circle(session, household, period),
                drills.done_between(session, household.id, period.start, period.end) if with_signals else None,
                three_houses.voices(session, household, current_children(session, household), with_worries=with_signals))
