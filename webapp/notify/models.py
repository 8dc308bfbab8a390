"""The ways a person can be reached: the devices (browsers) that receive their Web Push, and their mobile number
for texts. Tied to the person, not to a household or to what a message is for."""
import enum
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, and_, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import utcnow
from webapp.extensions import db

# The monthly test alert: unanswered this long after it went, it may not show on the device.
CONFIRM_WITHIN = timedelta(days=2)


class Channel(enum.StrEnum):
    push = "push"
    email = "email"
    sms = "sms"


class PushSubscription(db.Model):
    """One device (browser) of one person that receives Web Push."""
    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # the app re-sent it on a page load
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    # The monthly test alert ("did you get it?"): when it was sent, and when the person said it arrived.
    last_check_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]

    # By name: the person's model lives in `auth`, a floor above this one.
    user: Mapped["User"] = relationship()

    @hybrid_property
    def failing(self) -> bool:
        return self.last_failure_at is not None and (
            self.last_success_at is None or self.last_failure_at > self.last_success_at)

    @failing.inplace.expression
    @classmethod
    def _failing_expression(cls):
        """The same rule in SQL, to ask "does this person have a working device?" without loading them."""
        return and_(cls.last_failure_at.is_not(None),
                    or_(cls.last_success_at.is_(None), cls.last_failure_at > cls.last_success_at))

    def unconfirmed(self, now: datetime) -> bool:
        """A test alert went out over two days ago and nobody said it arrived: it may not show on this phone."""
        return (self.last_check_at is not None and self.last_check_at < now - CONFIRM_WITHIN
                and (self.confirmed_at is None or self.confirmed_at < self.last_check_at))


class SmsNumber(db.Model):
    """A person's mobile number for alerts by text message; it is used only once confirmed with a code sent
    to it. Only a hash of the code is kept."""
    __tablename__ = "sms_number"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(20), index=True)  # E.164, e.g. +31612345678
    confirmed_at: Mapped[datetime | None]
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(default=0)
    codes_sent: Mapped[int] = mapped_column(default=0)  # codes sent since `first_code_at`, against abuse
    first_code_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship()
