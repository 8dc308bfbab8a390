"""Grants: whether a professional's access is active now, starting one, and the days they are counted in.

A professional is a member of the household with the professional role only, and counts as a member only while a
grant of the household is active: from the moment the invitation link is used until its end date, or until the
household ends it. Plain functions taking a session; times are naive UTC, days are local to the household (`tz`).
"""
import calendar
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.grants.models import AccessGrant
from webapp.households.models import Household, Membership, MembershipRole, Role

DEFAULT_MONTHS = 3  # how long access lasts unless the household chooses otherwise
MAX_MONTHS = 12


class RoleConflict(Exception):
    """A professional has no other role in a household, and nobody in it becomes a professional as well."""


# --- days ----------------------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def local_today(now: datetime, tz: tzinfo) -> date:
    return now.replace(tzinfo=timezone.utc).astimezone(tz).date()


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """Local midnight at the start of `day`, as naive UTC."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """The end of local `day` (midnight after it), as naive UTC: access "until 1 March" includes 1 March."""
    return start_of_day(day + timedelta(days=1), tz)


# --- who is a professional, and is their access active -------------------------------------------------------

def is_professional_membership(membership: Membership) -> bool:
    return Role.professional in membership.roles


def is_professional(session: Session, user_id: int) -> bool:
    """Is the person a professional in any household?"""
    return session.scalar(select(exists().where(
        MembershipRole.membership_id == Membership.id, Membership.user_id == user_id,
        MembershipRole.role == Role.professional))) or False


def active_at(now: datetime):
    """The condition on AccessGrant for a grant that is active at `now`."""
    return (AccessGrant.ended_at.is_(None)) & (AccessGrant.ends_at > now)


def active_grant(session: Session, household_id: int, user_id: int, now: datetime) -> AccessGrant | None:
    return session.scalar(select(AccessGrant).where(AccessGrant.household_id == household_id,
                                                    AccessGrant.user_id == user_id, active_at(now))
                          .order_by(AccessGrant.ends_at.desc()).limit(1))


def has_active_grants(session: Session, user_id: int, now: datetime) -> bool:
    """Does the person have access to a household now (and are they still in it)?"""
    return session.scalar(select(exists().where(
        AccessGrant.user_id == user_id, active_at(now), Membership.household_id == AccessGrant.household_id,
        Membership.user_id == user_id))) or False


def check_roles(existing: Membership | None, role: Role) -> None:
    """Raise RoleConflict when accepting `role` would mix the professional role with another one."""
    if existing is not None and (role == Role.professional) != is_professional_membership(existing):
        raise RoleConflict()


def start_grant(session: Session, household: Household, user: User, granted_by_id: int | None, ends_at: datetime,
                now: datetime) -> AccessGrant:
    """Access from now until `ends_at`. A new link for someone who still has access replaces the old grant."""
    for old in session.scalars(select(AccessGrant).where(AccessGrant.household_id == household.id,
                                                         AccessGrant.user_id == user.id, active_at(now))):
        old.ended_at, old.ended_by_id = now, granted_by_id
    grant = AccessGrant(household_id=household.id, user_id=user.id, granted_by_id=granted_by_id, created_at=now,
                        ends_at=ends_at)
    session.add(grant)
    session.flush()
    return grant
