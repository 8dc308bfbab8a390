"""Professionals' access to a household (ending and extending the grants of `webapp.grants`) and what they see.

Every view is recorded for the household to see. The summary gathers the figures of a period from
`webapp.evidence`. Plain functions taking a session; times are naive UTC, days are local to the household (`tz`).
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from webapp import evidence
from webapp.auth.models import User
from webapp.children.services import current as current_children
from webapp.drills import services as drill_services
from webapp.three_houses import services as three_houses
from webapp.drills.models import Drill
from webapp.evidence import Period
from webapp.grants.models import AccessGrant
from webapp.grants.services import (
    DEFAULT_MONTHS, active_at, active_grant, add_months, end_of_day, is_professional_membership, local_today,
    start_of_day,
)
from webapp.households.models import Household, Membership, Role
from webapp.households.services import membership_of, remove_member
from webapp.invitations.models import Invitation
from webapp.meetings.models import Meeting
from webapp.meetings.services import last_held, next_planned
from webapp.professionals.models import ProfessionalView
from webapp.safety_plan.models import PlanVersion
from webapp.safety_plan.services import version_in_force
from webapp.safety_scales.services import PhaseProgress, phase_progress
from webapp.signals.models import Signal, SignalStatus

AUDIT_PAGE_SIZE = 50
MAX_PERIOD_DAYS = 2 * 366  # a longer summary is not a summary any more


# --- days and periods ----------------------------------------------------------------------------------------

def last_day(moment: datetime, tz: tzinfo) -> date:
    """The local day an end moment (exclusive) belongs to."""
    return evidence.local_date(moment - timedelta(microseconds=1), tz)


def days_period(first: date, last: date, tz: tzinfo) -> Period:
    return Period(start_of_day(first, tz), end_of_day(last, tz))


# --- grants --------------------------------------------------------------------------------------------------

def end_grant(session: Session, grant: AccessGrant, by: User, now: datetime) -> None:
    """End access at once: the professional's next request is refused, and they are no longer in the household."""
    if grant.active(now):
        grant.ended_at, grant.ended_by_id = now, by.id
    _remove_membership_without_grant(session, grant.household_id, grant.user_id, now)
    session.flush()


def extend_grant(session: Session, grant: AccessGrant, ends_at: datetime, now: datetime) -> None:
    """A new end date for access that is still active."""
    if not grant.active(now):
        raise ValueError("the access has ended")
    grant.ends_at = ends_at
    session.flush()


def _remove_membership_without_grant(session: Session, household_id: int, user_id: int | None,
                                     now: datetime) -> bool:
    if user_id is None or active_grant(session, household_id, user_id, now) is not None:
        return False
    membership = membership_of(session, household_id, user_id)
    if membership is None or not is_professional_membership(membership):
        return False
    remove_member(session, membership)
    return True


def retire_ended(session: Session, now: datetime) -> int:
    """Remove the memberships of professionals whose grants have all ended (the grants stay as history).
    Run by the worker; until then the access rule already treats them as not a member."""
    pairs = session.execute(  # only people still in the household: this stays small as the history grows
        select(AccessGrant.household_id, AccessGrant.user_id).distinct()
        .join(Membership, (Membership.household_id == AccessGrant.household_id)
              & (Membership.user_id == AccessGrant.user_id))
        .where(~active_at(now))).all()
    return sum(_remove_membership_without_grant(session, household_id, user_id, now)
               for household_id, user_id in pairs)


def grants(session: Session, household_id: int, now: datetime) -> list[AccessGrant]:
    """Every grant of the household, the active ones first, then the newest."""
    rows = session.scalars(select(AccessGrant).where(AccessGrant.household_id == household_id)
                           .options(selectinload(AccessGrant.user), selectinload(AccessGrant.ended_by))
                           .order_by(AccessGrant.created_at.desc(), AccessGrant.id.desc())).all()
    return sorted(rows, key=lambda grant: not grant.active(now))


def waiting_invitations(session: Session, household_id: int, now: datetime) -> list[Invitation]:
    """Links for professionals that have not been used yet and still work."""
    return list(session.scalars(select(Invitation).where(
        Invitation.household_id == household_id, Invitation.role == Role.professional,
        Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc())))


# --- the audit -----------------------------------------------------------------------------------------------

def record_view(session: Session, household_id: int, user_id: int, page: str, query: str,
                now: datetime) -> ProfessionalView:
    view = ProfessionalView(household_id=household_id, user_id=user_id, viewed_at=now, page=page[:80],
                            query=query[:300])
    session.add(view)
    session.flush()
    return view


def note_period(session: Session, view_id: int, period: Period) -> None:
    """Which period the recorded view of the summary showed (known only once the page worked it out)."""
    session.execute(update(ProfessionalView).where(ProfessionalView.id == view_id)
                    .values(period_start=period.start, period_end=period.end))


def views(session: Session, household_id: int, before_id: int | None = None,
          limit: int = AUDIT_PAGE_SIZE) -> list[ProfessionalView]:
    """The household's audit list, newest first, a page at a time."""
    query = select(ProfessionalView).where(ProfessionalView.household_id == household_id)
    if before_id is not None:
        query = query.where(ProfessionalView.id < before_id)
    return list(session.scalars(query.options(selectinload(ProfessionalView.user))
                                .order_by(ProfessionalView.id.desc()).limit(limit)))


# --- the caseload --------------------------------------------------------------------------------------------

@dataclass
class CaseloadLine:
    household: Household
    grant: AccessGrant
    last_activity: datetime | None
    open_signals: int


def caseload(session: Session, user_id: int, now: datetime) -> list[CaseloadLine]:
    """One line per household where the person has access now; nothing of any other household."""
    rows = session.execute(
        select(Household, AccessGrant).join(AccessGrant, AccessGrant.household_id == Household.id)
        .join(Membership, (Membership.household_id == Household.id) & (Membership.user_id == user_id))
        .where(AccessGrant.user_id == user_id, active_at(now)).order_by(Household.name, Household.id)).all()
    ids = [household.id for household, _grant in rows]
    open_counts = dict(session.execute(
        select(Signal.household_id, func.count()).where(Signal.household_id.in_(ids),
                                                        Signal.status == SignalStatus.open, Signal.drill.is_(False))
        .group_by(Signal.household_id)).all()) if ids else {}
    lines, seen = [], set()
    for household, grant in rows:
        if household.id not in seen:
            seen.add(household.id)
            lines.append(CaseloadLine(household, grant, evidence.last_activity(session, household),
                                      open_counts.get(household.id, 0)))
    return lines


# --- the summary ---------------------------------------------------------------------------------------------

def default_days(session: Session, household_id: int, now: datetime, tz: tzinfo) -> tuple[date, date, bool]:
    """(first day, last day, since a meeting?): since the last network meeting, else the last three months."""
    today = local_today(now, tz)
    meeting = last_held(session, household_id, now)
    if meeting is not None:
        return evidence.local_date(meeting.starts_at, tz), today, True
    return add_months(today, -DEFAULT_MONTHS), today, False


@dataclass
class Summary:
    """Everything the professional's summary shows, for one period."""
    period: Period
    progress: PhaseProgress
    plan: PlanVersion | None
    agreements: list[evidence.AgreementCheck]
    trends: list[evidence.ScaleTrend]
    signals: evidence.SignalResponses | None  # None: not shown to a member who is hidden from signals
    log: evidence.LogActivity
    calendar: evidence.CalendarFilled
    network: evidence.Network
    circle: evidence.CircleSince
    drills: list[Drill] | None  # held in the period; None for someone hidden from signals
    last_drill: Drill | None  # the plan was last tested then, whatever the period
    voices: list[three_houses.ChildVoice]  # the child's houses: counts, and what they chose to share with everyone
    next_meeting: Meeting | None

    @property
    def weeks(self) -> list[tuple[date, int, int]]:
        """(Monday, log entries, filled calendar days) per week of the period."""
        filled = dict(self.calendar.per_week)
        return [(monday, entries, filled.get(monday, 0)) for monday, entries in self.log.per_week]


def summary(session: Session, household: Household, period: Period, tz: tzinfo, now: datetime,
            with_signals: bool = True) -> Summary:
    return Summary(
        period=period,
        progress=phase_progress(session, household, now, tz),
        plan=version_in_force(session, household.id),
        agreements=evidence.agreement_checks(session, household, period, with_signals),
        trends=evidence.scale_trends(session, household, period),
        signals=evidence.signal_responses(session, household, period) if with_signals else None,
        log=evidence.log_activity(session, household, period, tz, with_signals),
        calendar=evidence.calendar_filled(session, household, period, tz),
        network=evidence.network(session, household, period, with_signals),
        circle=evidence.safety_circle(session, household, period),
        drills=drill_services.done_between(session, household.id, period.start, period.end) if with_signals else None,
        last_drill=(drill_services.held(session, household.id) or [None])[-1] if with_signals else None,
        voices=three_houses.voices(session, household, current_children(session, household), with_worries=with_signals),
        next_meeting=next_planned(session, household.id, now),
    )


# --- erasing and leaving -------------------------------------------------------------------------------------

def erase_household_access(session: Session, household_id: int) -> None:
    """Remove the household's grants and audit (when it is erased)."""
    for statement in (delete(ProfessionalView).where(ProfessionalView.household_id == household_id),
                      delete(AccessGrant).where(AccessGrant.household_id == household_id)):
        session.execute(statement, execution_options={"synchronize_session": False})


# --- exports -------------------------------------------------------------------------------------------------

def _name(user: User | None) -> str | None:
    return user.display_name if user else None


def _view_row(view: ProfessionalView) -> dict:
    return {"who": _name(view.user), "at": view.viewed_at, "page": view.page, "query": view.query,
            "period_start": view.period_start, "period_end": view.period_end}


def household_export(session: Session, household_id: int) -> dict:
    """The household's grants and every view by a professional, for the household's own records."""
    grant_rows = session.scalars(select(AccessGrant).where(AccessGrant.household_id == household_id)
                                 .order_by(AccessGrant.created_at, AccessGrant.id))
    view_rows = session.scalars(select(ProfessionalView).where(ProfessionalView.household_id == household_id)
                                .order_by(ProfessionalView.viewed_at, ProfessionalView.id))
    return {"access": [{"who": _name(g.user), "granted_by": _name(g.granted_by), "from": g.created_at,
                        "until": g.ends_at, "ended_at": g.ended_at, "ended_by": _name(g.ended_by)}
                       for g in grant_rows],
            "views": [_view_row(v) for v in view_rows]}


def person_export(session: Session, user_id: int) -> dict:
    """A professional's own access and views, for their own export."""
    grant_rows = session.scalars(select(AccessGrant).where(AccessGrant.user_id == user_id)
                                 .order_by(AccessGrant.created_at, AccessGrant.id))
    view_rows = session.scalars(select(ProfessionalView).where(ProfessionalView.user_id == user_id)
                                .order_by(ProfessionalView.viewed_at, ProfessionalView.id))
    return {"access": [{"household": g.household_id, "from": g.created_at, "until": g.ends_at,
                        "ended_at": g.ended_at} for g in grant_rows],
            "views": [{"household": v.household_id, **_view_row(v)} for v in view_rows]}
