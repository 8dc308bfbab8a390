"""Getting back into one's own account without handing it to someone else: one-time recovery codes, a reset link
to the person's own verified e-mail address, and a household manager's "new sign-in for this same person" that
waits, tells the person everywhere, and that the person can cancel.

Every secret (code, link) is stored only as a keyed hash (HMAC with the app's secret key), so a copy of the
database alone opens nothing. Setting a new password through any of them ends every other session of the account
and keeps its passkeys, history, devices and place in the alert plan: it is the same account.
"""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, exists, func, select, update
from sqlalchemy.orm import Session

from webapp.auth.models import RecoveryCode, RecoveryKind, RecoveryRequest, User
from webapp.auth.services import find_by_login, set_password, sign_out_everywhere
from webapp.database import prepared

CODE_COUNT = 8
# No 0/o, 1/l/i: a code copied by hand from paper must not be misread. 31 letters, 10 of them: ~49 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10
EMAIL_LINK_MINUTES = 60
MANAGER_LINK_HOURS = 24


class RecoveryRefused(Exception):
    """A manager's request that may not be started; `reason` names why (for the message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _hash(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def clean_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


# --- recovery codes ---------------------------------------------------------------------------------------------

def make_codes(session: Session, user: User, secret_key: str, now: datetime) -> list[str]:
    """New codes for `user`; the old ones stop working. Returns the codes to show, once, as "abcde-fghjk"."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(secret_key, f"code:{user.id}:{raw}"), created_at=now))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    session.flush()
    return codes


def codes_left(session: Session, user: User) -> int:
    return session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def find_code(session: Session, login_name: str, code: str, secret_key: str) -> RecoveryCode | None:
    """The unused code of the account named `login_name`; None when either is wrong (without saying which)."""
    user = find_by_login(session, login_name)
    raw = clean_code(code)
    if user is None or not user.can_sign_in or len(raw) != CODE_LENGTH:
        return None
    return session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == _hash(secret_key, f"code:{user.id}:{raw}")))


def use_code(session: Session, code_id: int, now: datetime) -> bool:
    """Use the code up; False when it was used meanwhile (two tabs, two people at once)."""
    used = session.execute(update(RecoveryCode).where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
                           .values(used_at=now), execution_options={"synchronize_session": False}).rowcount
    return bool(used)


# --- links (e-mail, and a manager's after the wait) ---------------------------------------------------------------

def _new_token(secret_key: str) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(secret_key, f"link:{token}")


def start_email_reset(session: Session, login_name: str, secret_key: str, now: datetime) -> tuple[User, str] | None:
    """A reset link for the account named `login_name`, when it has an e-mail address (only ever stored once its
    owner opened a link sent to it); None otherwise. Returns the person and the link's token (to mail, not to
    show). Earlier links of the person stop working."""
    user = find_by_login(session, login_name)
    if user is None or not user.can_sign_in or not user.email:
        return None
    _end_email_links(session, user, now)
    token, token_hash = _new_token(secret_key)
    session.add(RecoveryRequest(user_id=user.id, kind=RecoveryKind.email, created_at=now, ready_at=now,
                                token_hash=token_hash, token_expires_at=now + timedelta(minutes=EMAIL_LINK_MINUTES)))
    session.flush()
    return user, token


def _end_email_links(session: Session, user: User, now: datetime) -> None:
    session.execute(update(RecoveryRequest).where(
        RecoveryRequest.user_id == user.id, RecoveryRequest.kind == RecoveryKind.email,
        RecoveryRequest.completed_at.is_(None), RecoveryRequest.token_expires_at > now)
        .values(token_expires_at=now), execution_options={"synchronize_session": False})


def find_link(session: Session, token: str, secret_key: str, now: datetime) -> RecoveryRequest | None:
    """The request a link belongs to, while it can still be used: not used, not cancelled, not expired, and (for a
    manager's) after the waiting period."""
    if not token or len(token) > 100:
        return None
    request = session.scalar(select(RecoveryRequest).where(RecoveryRequest.token_hash == _hash(secret_key, f"link:{token}")))
    if request is None or not request.open or request.ready_at > now:
        return None
    if request.token_expires_at is None or request.token_expires_at <= now:
        return None
    return request


def use_link(session: Session, request: RecoveryRequest, now: datetime) -> bool:
    """Mark the link used, only if nobody cancelled or used it meanwhile (a conditional update: the owner's Cancel
    and the link cannot both win)."""
    used = session.execute(update(RecoveryRequest).where(
        RecoveryRequest.id == request.id, RecoveryRequest.cancelled_at.is_(None),
        RecoveryRequest.completed_at.is_(None), RecoveryRequest.token_expires_at > now)
        .values(completed_at=now), execution_options={"synchronize_session": False}).rowcount
    session.expire(request)
    return bool(used)


def set_new_password(session: Session, user: User, password: str, now: datetime) -> None:
    """The same account with a new password: every other session ends; passkeys, history and devices stay."""
    set_password(user, password)
    sign_out_everywhere(user)
    _end_email_links(session, user, now)
    session.flush()


# --- a household manager's new sign-in for this person ------------------------------------------------------------

def open_manager_request(session: Session, user_id: int) -> RecoveryRequest | None:
    """Every page asks (its notice); nearly always there is none, which a plain EXISTS says faster than the ORM."""
    if not session.execute(_any_open_manager_request(), {"user_id": user_id}).scalar():
        return None
    return session.scalar(_open_manager_request(), {"user_id": user_id})


def _open_for(request) -> list:
    return [request.user_id == bindparam("user_id"), request.kind == RecoveryKind.manager,
            request.cancelled_at.is_(None), request.completed_at.is_(None)]


@prepared
def _any_open_manager_request():
    return select(exists().where(*_open_for(RecoveryRequest.__table__.c)))


@prepared
def _open_manager_request():
    return select(RecoveryRequest).where(*_open_for(RecoveryRequest)).order_by(RecoveryRequest.id.desc()).limit(1)


def start_manager_request(session: Session, household_id: int, manager: User, person: User, is_professional: bool,
                          wait: timedelta, now: datetime) -> RecoveryRequest:
    """Start the waiting period for a new sign-in for `person`. Never for oneself (that is what codes and the
    e-mail link are for), never for a professional (their account is theirs and their employer's), never twice
    at once."""
    if person.id == manager.id:
        raise RecoveryRefused("self")
    if is_professional:
        raise RecoveryRefused("professional")
    if not person.can_sign_in:
        raise RecoveryRefused("no_sign_in")
    if open_manager_request(session, person.id) is not None:
        raise RecoveryRefused("open")
    request = RecoveryRequest(user_id=person.id, kind=RecoveryKind.manager, started_by_id=manager.id,
                              household_id=household_id, created_at=now, ready_at=now + wait)
    session.add(request)
    session.flush()
    return request


def cancel(session: Session, request: RecoveryRequest, owner: User, now: datetime) -> bool:
    """The owner stops it for good; False when it is not theirs or not open any more."""
    if request.user_id != owner.id or request.kind != RecoveryKind.manager:
        return False
    done = session.execute(update(RecoveryRequest).where(
        RecoveryRequest.id == request.id, RecoveryRequest.cancelled_at.is_(None),
        RecoveryRequest.completed_at.is_(None)).values(cancelled_at=now, token_hash=None, token_expires_at=None),
        execution_options={"synchronize_session": False}).rowcount
    session.expire(request)
    return bool(done)


def make_manager_link(session: Session, request: RecoveryRequest, secret_key: str, now: datetime) -> str | None:
    """The one-time link to hand over in person, once the waiting period is over (a new one replaces the last)."""
    if not request.open or request.ready_at > now:
        return None
    token, request.token_hash = _new_token(secret_key)
    request.token_expires_at = now + timedelta(hours=MANAGER_LINK_HOURS)
    session.flush()
    return token


def latest_manager_request(session: Session, user_id: int, household_id: int) -> RecoveryRequest | None:
    """What the member page shows a manager: the last request for this person from this household."""
    return session.scalar(select(RecoveryRequest).where(
        RecoveryRequest.user_id == user_id, RecoveryRequest.household_id == household_id,
        RecoveryRequest.kind == RecoveryKind.manager).order_by(RecoveryRequest.id.desc()).limit(1))


def history(session: Session, user: User) -> list[RecoveryRequest]:
    """Every manager's request for this person, newest first: the person sees who started each and how it ended."""
    return list(session.scalars(select(RecoveryRequest).where(
        RecoveryRequest.user_id == user.id, RecoveryRequest.kind == RecoveryKind.manager)
        .order_by(RecoveryRequest.id.desc())))
