"""People who can sign in, and their passkeys."""
import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, LargeBinary, String, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import utcnow
from webapp.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased; None for a person without a sign-in of their own (a young child).
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    discreet: Mapped[bool] = mapped_column(default=False)
    # Raised by "sign out everywhere": every session and remember cookie carrying the old value dies.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # "I can't be reached until …": alert rings skip the person, and the chair sees it.
    unreachable_until: Mapped[datetime | None]
    # Notifications say what happened (household, who) instead of only "open Kring".
    push_detail: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    passkeys: Mapped[list["Passkey"]] = relationship(back_populates="user", cascade="all, delete-orphan")
    totp: Mapped["TotpCredential | None"] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def known_id(self) -> int:
        """The id, without reading the row again: a commit expires every loaded value, so `id` after a form is
        saved would cost a SELECT (the service worker's header on each saved form's answer does not need one)."""
        identity = inspect(self).identity
        return identity[0] if identity else self.id  # not yet (or no longer) in the database: what it holds

    @property
    def can_sign_in(self) -> bool:
        return self.username is not None

    @property
    def first_name(self) -> str:
        return self.first_name_of(self.display_name)

    @staticmethod
    def first_name_of(display_name: str) -> str:
        return display_name.split(" ")[0]


class Passkey(db.Model):
    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="passkeys")


class TotpCredential(db.Model):
    """A code app (authenticator) as a second factor: its shared secret, encrypted with a key derived from the
    app's secret key, so that a copy of the database alone does not give the codes away.

    It counts once confirmed with a first code; `last_step` is the 30-second step of the last code accepted, so
    a code cannot be used twice."""
    __tablename__ = "totp_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None]

    user: Mapped[User] = relationship(back_populates="totp")


class RecoveryCode(db.Model):
    """One of a person's one-time recovery codes: only a keyed hash is kept; `used_at` once it let them in."""
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class RecoveryKind(enum.StrEnum):
    email = "email"  # a reset link to the person's own verified e-mail address
    manager = "manager"  # a new sign-in started by a household manager, after a waiting period


class RecoveryRequest(db.Model):
    """A way back into an account: an e-mail reset link, or a household manager's "new sign-in for this person".

    The link itself is only ever stored as a hash. A manager's request is kept as a record for the person (who
    started it, when, cancelled or completed); its link exists only once the waiting period is over."""
    __tablename__ = "recovery_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RecoveryKind] = mapped_column(Enum(RecoveryKind, native_enum=False, length=24,
                                                    validate_strings=True))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A manager's request: the link can be made from this moment on (the owner can cancel until it is used).
    ready_at: Mapped[datetime]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])

    @property
    def open(self) -> bool:
        return self.cancelled_at is None and self.completed_at is None
