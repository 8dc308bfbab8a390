"""People who can sign in, and their passkeys."""
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


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
    def can_sign_in(self) -> bool:
        return self.username is not None

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ")[0]


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
