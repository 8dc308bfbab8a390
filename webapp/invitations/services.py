"""Invitation links: made, looked up by token, accepted once, revoked, purged."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.auth.services import create_user, free_username, normalise_username
from webapp.database import prepared
from webapp.households.models import Household, Role
from webapp.households.services import add_member, membership_of
from webapp.invitations.models import Invitation
from webapp.grants.services import DEFAULT_MONTHS, RoleConflict, add_months, check_roles, start_grant


class InvitationUnusable(Exception):
    """The link is expired, used or revoked; `status` says which."""

    def __init__(self, invitation: Invitation):
        super().__init__(invitation.status)
        self.invitation = invitation
        self.status = invitation.status


@dataclass
class NewInvitation:
    invitation: Invitation
    token: str  # shown once, never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    session: Session, household: Household, inviter: User | None, invitee_name: str, role: Role, days: int,
    access_ends_at: datetime | None = None,
) -> NewInvitation:
    """A link for one person. For a professional, `access_ends_at` is when the access it gives ends (default:
    three months from now)."""
    token = secrets.token_urlsafe(24)
    if role == Role.professional and access_ends_at is None:
        access_ends_at = default_access_end(utcnow())
    invitation = Invitation(
        household=household,
        invitee_name=invitee_name.strip(),
        role=role,
        token_hash=hash_token(token),
        created_by=inviter,
        expires_at=utcnow() + timedelta(days=days),
        access_ends_at=access_ends_at if role == Role.professional else None,
    )
    session.add(invitation)
    session.flush()
    return NewInvitation(invitation, token)


def find_by_token(session: Session, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def default_access_end(now: datetime) -> datetime:
    """Three months of access from now, to the end of that day (UTC; the form picks a local day)."""
    day = add_months(now.date(), DEFAULT_MONTHS)
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


def accept(session: Session, invitation: Invitation, user: User):
    """Make `user` a member with the invited role. A link works once.

    A professional's link also starts their access (a grant) until the invitation's end date. The professional
    role is never mixed with another one in a household (raises RoleConflict)."""
    if invitation.status != "open":
        raise InvitationUnusable(invitation)
    check_roles(membership_of(session, invitation.household_id, user.id), invitation.role)
    now = utcnow()
    invitation.used_at = now
    invitation.used_by_id = user.id
    membership = add_member(session, invitation.household, user, {invitation.role})
    if invitation.role == Role.professional:
        start_grant(session, invitation.household, user, invitation.created_by_id,
                    invitation.access_ends_at or default_access_end(now), now)
    return membership


@dataclass
class Joined:
    user: User
    wanted_username: str  # what the person typed; their username differs when that one was taken


def join_with_new_account(session: Session, invitation: Invitation, display_name: str, username: str,
                          password: str, locale: str | None) -> Joined:
    """Make the invited person's account and membership in one go.

    The answer is the same whether or not the username is free (see `free_username`). An e-mail address is not
    taken from the form here: it is added only through the link sent to it (webapp.auth.email_address)."""
    if invitation.status != "open":
        raise InvitationUnusable(invitation)
    user = create_user(session, display_name, free_username(session, username), password, locale=locale)
    accept(session, invitation, user)
    return Joined(user, normalise_username(username))


def role_conflict(session: Session, invitation: Invitation, user: User) -> bool:
    """Would this link mix the professional role with another role of `user` in the household?"""
    try:
        check_roles(membership_of(session, invitation.household_id, user.id), invitation.role)
    except RoleConflict:
        return True
    return False


def already_member(session: Session, invitation: Invitation, user: User) -> bool:
    return membership_of(session, invitation.household_id, user.id) is not None


def revoke(invitation: Invitation) -> None:
    if invitation.status == "open":
        invitation.revoked_at = utcnow()


def open_invitations(session: Session, household: Household) -> list[Invitation]:
    return list(session.scalars(_open_invitations(), {"household_id": household.id, "now": utcnow()}))


@prepared
def _open_invitations():
    return (select(Invitation)
            .where(Invitation.household_id == bindparam("household_id"), Invitation.used_at.is_(None),
                   Invitation.revoked_at.is_(None), Invitation.expires_at > bindparam("now"))
            .order_by(Invitation.created_at.desc()))


def purge_stale(session: Session, older_than_days: int = 30) -> int:
    """Forget invitations that ended (expired, used or revoked) more than a month ago."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = session.execute(
        delete(Invitation).where(
            (Invitation.expires_at < cutoff) | (Invitation.used_at < cutoff) | (Invitation.revoked_at < cutoff)
        )
    )
    return result.rowcount or 0
