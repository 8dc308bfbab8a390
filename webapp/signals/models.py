"""Signals (the safe object moved, or a child's "I am worried"), who is alerted, every delivery and attempt,
the responses, and each person's choice of when alerts come by SMS. The devices and numbers themselves are
`notify`'s."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Child, _enum
from webapp.notify.models import Channel, PushSubscription


class SignalSource(enum.StrEnum):
    child = "child"  # "I am worried" from the child view
    safe_object = "safe_object"  # an adult saw the safe object moved


class SignalStatus(enum.StrEnum):
    open = "open"
    cancelled = "cancelled"  # undone within the undo window: nobody was alerted
    closed = "closed"


class SmsChoice(enum.StrEnum):
    """When a person with a confirmed mobile number gets an alert by text message, per household."""
    always = "always"  # beside the push, at once
    fallback = "fallback"  # only when no device took the push within the ring's time


class Purpose(enum.StrEnum):
    alert = "alert"
    all_clear = "all_clear"


class DeliveryStatus(enum.StrEnum):
    queued = "queued"  # written with the signal, waiting for the worker (or for its next try)
    sending = "sending"  # claimed by a worker; a sweep takes it back if the worker died
    sent = "sent"  # accepted by the push service or the mail server
    failed = "failed"  # given up after the last try, or refused for good: shown to people
    gone = "gone"  # the device's subscription has ended (404/410) and is removed
    cancelled = "cancelled"  # the signal was undone before it went out


class AckKind(enum.StrEnum):
    going = "going"
    calling = "calling"


class AlertRing(HouseholdScoped, db.Model):
    """A member's ring in the household's alert plan, when it differs from the default
    (safety persons in ring 1, everyone else in the network in ring 3)."""
    __tablename__ = "alert_ring"

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), unique=True)
    ring: Mapped[int]


class Signal(db.Model):
    __tablename__ = "signal"
    __table_args__ = (UniqueConstraint("household_id", "client_id"),
                      Index("ix_signal_history", "household_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    # Made when the page was shown: a double tap or a resend finds the first signal.
    client_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[SignalSource] = mapped_column(_enum(SignalSource))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # "I am worried" from the child view: which child said it.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Nothing goes out before this moment: the undo window.
    send_at: Mapped[datetime]
    status: Mapped[SignalStatus] = mapped_column(_enum(SignalStatus), default=SignalStatus.open, index=True)
    level: Mapped[int] = mapped_column(default=1)  # the highest ring alerted so far
    emailed: Mapped[bool] = mapped_column(default=False)
    next_escalation_at: Mapped[datetime | None] = mapped_column(index=True)
    first_ack_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(Text, default="")
    log_entry_id: Mapped[int | None] = mapped_column(ForeignKey("log_entry.id", ondelete="SET NULL"))
    # A practice drill: it goes through the real alert path, but every message and page says PRACTICE, it never
    # counts as a signal in any figure, and closing it writes nothing in the safety log.
    drill: Mapped[bool] = mapped_column(server_default=false())  # no Python default: rows of older revisions stay valid

    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    child: Mapped[Child | None] = relationship()
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    deliveries: Mapped[list["Delivery"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="Delivery.id")
    acknowledgements: Mapped[list["Acknowledgement"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="Acknowledgement.created_at")
    events: Mapped[list["SignalEvent"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalEvent.id")

    @property
    def seconds_to_first_ack(self) -> int | None:
        if self.first_ack_at is None:
            return None
        return max(0, int((self.first_ack_at - self.send_at).total_seconds()))


class Delivery(db.Model):
    """One message to one device (push) or one person (e-mail), written with the signal before anything
    is sent, so that nothing is ever dropped without a trace."""
    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"), index=True)
    # signal:purpose:channel:device-or-person. One delivery per device per purpose, however often a
    # step is retried or run twice.
    dedup_key: Mapped[str] = mapped_column(String(80), unique=True)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose), default=Purpose.alert)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    ring: Mapped[int]
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("push_subscription.id", ondelete="SET NULL"))
    device_name: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus), default=DeliveryStatus.queued)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # SMS only: the number it went to (a reply is matched against it), the provider's message id and the
    # cost units (message segments) the provider reported.
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    provider_id: Mapped[str | None] = mapped_column(String(64))
    cost_units: Mapped[int | None]

    signal: Mapped[Signal] = relationship(back_populates="deliveries")
    user: Mapped[User | None] = relationship()
    subscription: Mapped[PushSubscription | None] = relationship()
    attempt_log: Mapped[list["DeliveryAttempt"]] = relationship(
        cascade="all, delete-orphan", order_by="DeliveryAttempt.id")


class DeliveryAttempt(db.Model):
    """The outcome of one try to send one delivery."""
    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(200))


class Acknowledgement(db.Model):
    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("signal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[AckKind] = mapped_column(_enum(AckKind))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="acknowledgements")
    user: Mapped[User | None] = relationship()


class SignalEvent(db.Model):
    """A step in a signal's story, shown on its page: raised, ring alerted, e-mailed, answered, closed."""
    __tablename__ = "signal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    ring: Mapped[int | None]
    count: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    signal: Mapped[Signal] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class SmsPreference(db.Model):
    """A person's choice of when a household's alerts come by SMS; without a row the default holds
    (always when none of their devices works, else only when the push was not taken)."""
    __tablename__ = "sms_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), unique=True)
    choice: Mapped[SmsChoice] = mapped_column(_enum(SmsChoice))
