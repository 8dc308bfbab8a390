"""A second factor for signing in: a code app (TOTP, RFC 6238) beside the password. A passkey counts as two
factors by itself (the phone and its lock).

Professionals must have one before anything of a household shows. Anyone who set up a code app is asked for a
code after their password. The shared secret is stored encrypted (Fernet) with a key derived from the app's
secret key: a copy of the database alone gives nobody the codes. Changing the secret key makes the stored
secrets unreadable; the person then sets up the code app again (see `CodeAppUnreadable`).
"""
import base64
import hmac
import re
from datetime import datetime, timezone

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import session as web_session
from flask_login import current_user
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from webapp.auth.models import TotpCredential, User

ISSUER = "Kring"
STEP_SECONDS = 30
# One step either side: a phone clock a little off still works.
DRIFT_STEPS = 1
CODE_RE = re.compile(r"^\d{6}$")
# In the session: the id (with its session epoch) of the user who proved a second factor in this session.
SECOND_FACTOR_KEY = "second_factor"


class CodeAppUnreadable(Exception):
    """The stored secret cannot be decrypted (the secret key changed)."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kring totp secret").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def decrypt(token: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CodeAppUnreadable() from exc


def has_code_app(user: User) -> bool:
    return user.totp is not None and user.totp.confirmed_at is not None


def start_set_up(session: Session, user: User, secret_key: str) -> str:
    """A new secret for a person without a confirmed code app (the one being set up is kept, so that a code app
    that already scanned it keeps working after a reload). Returns the secret to show, once."""
    credential = user.totp
    if credential is not None and credential.confirmed_at is not None:
        raise ValueError("a code app is set up already")
    if credential is not None:
        try:
            return decrypt(credential.secret_encrypted, secret_key)
        except CodeAppUnreadable:
            pass
        session.delete(credential)
        session.flush()
    secret = pyotp.random_base32()
    user.totp = TotpCredential(secret_encrypted=encrypt(secret, secret_key))
    session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """What the QR code holds: an otpauth:// address with the account name and "Kring" as issuer."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username or str(user.id), issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type over."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def step_of(now: datetime) -> int:
    """The 30-second step of a naive UTC moment."""
    return int(now.replace(tzinfo=timezone.utc).timestamp()) // STEP_SECONDS


def clean_code(code: str | None) -> str:
    return re.sub(r"[\s-]", "", code or "")


def check_code(session: Session, credential: TotpCredential, code: str | None, secret_key: str,
               now: datetime) -> bool:
    """Is `code` right for now (one step either side), and not used before? A right code is used up at once, also
    against a second request with the same code at the same moment (a conditional update)."""
    code = clean_code(code)
    if not CODE_RE.match(code):
        return False
    totp = pyotp.TOTP(decrypt(credential.secret_encrypted, secret_key))
    current = step_of(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            used = session.execute(
                update(TotpCredential).where(TotpCredential.id == credential.id,
                                             or_(TotpCredential.last_step.is_(None), TotpCredential.last_step < step))
                .values(last_step=step), execution_options={"synchronize_session": False}).rowcount
            session.expire(credential)
            return bool(used)
    return False


def confirm(session: Session, user: User, code: str | None, secret_key: str, now: datetime) -> bool:
    """Switch the code app on with its first right code."""
    credential = user.totp
    if credential is None or credential.confirmed_at is not None:
        return False
    if not check_code(session, credential, code, secret_key, now):
        return False
    credential.confirmed_at = now
    session.flush()
    return True


def remove(session: Session, user: User) -> None:
    if user.totp is not None:
        session.delete(user.totp)
        session.flush()


def has_second_factor() -> bool:
    """Did the signed-in person prove a second factor (passkey, or password and code) in this browser session?"""
    return current_user.is_authenticated and web_session.get(SECOND_FACTOR_KEY) == current_user.get_id()


def mark_second_factor() -> None:
    web_session[SECOND_FACTOR_KEY] = current_user.get_id()


def forget_second_factor() -> None:
    web_session.pop(SECOND_FACTOR_KEY, None)
