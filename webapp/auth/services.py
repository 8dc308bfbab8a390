"""Accounts: passwords (Argon2id), sign-in checks and ending sessions."""
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.database import prepared

_hasher = PasswordHasher()  # Argon2id with the library's current recommended (memory-hard) costs
# Checked against when no account matches, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("kring-no-such-account")

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD_LENGTH = 8


class UsernameTaken(ValueError):
    pass


def normalise_username(value: str) -> str:
    return value.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_by_login(session: Session, login_name: str) -> User | None:
    name = login_name.strip().lower()
    if not name:
        return None
    return session.scalar(
        select(User).where(or_(User.username == name, func.lower(User.email) == name))
    )


def authenticate(session: Session, login_name: str, password: str) -> User | None:
    """The user if the password is right; None otherwise, without saying which part was wrong."""
    user = find_by_login(session, login_name)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.password_hash is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def username_available(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(User.username == normalise_username(username))) is None


def free_username(session: Session, wanted: str) -> str:
    """`wanted` when nobody has it, else `wanted` with a random number after it ("ria" → "ria47").

    A username is the handle people sign in with, so it has to be unique, and whoever is given another one learns
    that theirs was taken: that cannot be hidden from them. What can be, is an answer that tells a stranger
    more: joining always makes the account (with this name), so finding out whether a name exists costs a new
    single-use invitation link each time and leaves a new member behind in a household, instead of any number
    of tries on one link. The number is random, not the next free one, so it says nothing about how many similar
    names exist."""
    wanted = normalise_username(wanted)
    if username_available(session, wanted):
        return wanted
    separator = "." if wanted[-1].isdigit() else ""  # "buurman2" → "buurman2.47", not "buurman247"
    for digits in (2, 2, 2, 3, 3, 4, 4, 6, 6):
        number = str(10 ** (digits - 1) + secrets.randbelow(9 * 10 ** (digits - 1)))
        candidate = wanted[:40 - digits - len(separator)] + separator + number
        if username_available(session, candidate):
            return candidate
    raise UsernameTaken(wanted)  # nine random tries all taken: not in this world


def create_user(
    session: Session,
    display_name: str,
    username: str | None = None,
    password: str | None = None,
    email: str | None = None,
    locale: str | None = None,
) -> User:
    if username is not None:
        username = normalise_username(username)
        if not username_available(session, username):
            raise UsernameTaken(username)
    user = User(
        display_name=display_name.strip(),
        username=username,
        email=(email or "").strip().lower() or None,
        password_hash=hash_password(password) if password else None,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session and remember-me cookie of this user, on every device."""
    user.session_epoch += 1


@prepared
def _user_by_id():
    return select(User).where(User.id == bindparam("id"))


def load_user(session: Session, user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session epoch, so old sessions stop matching."""
    raw_id, _, raw_epoch = user_id.partition(":")
    if not raw_id.isdigit() or not raw_epoch.isdigit():
        return None
    user = session.execute(_user_by_id(), {"id": int(raw_id)}).scalar_one_or_none()
    if user is None or user.session_epoch != int(raw_epoch) or not user.can_sign_in:
        return None
    return user


def email_taken(session: Session, user: User | None, email: str | None) -> bool:
    """Is this e-mail address already someone else's sign-in?"""
    if not email:
        return False
    query = select(User.id).where(func.lower(User.email) == email.strip().lower())
    if user is not None:
        query = query.where(User.id != user.id)
    return session.scalar(query) is not None
