"""Who can be reached how, and the books of each device: what a push did to it, removing it when its push service no
longer knows it, and sending a batch of reminders and notices with each device's outcome recorded. Every capability
that pushes goes through here instead of keeping its own copy; a signal's deliveries keep their own record
(`signals/delivery.py`) and call `record_probe` for the device's part.

Functions take a session and write rows; they never commit.
"""
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from webapp.database import prepared
from webapp.hooks import device_leaving
from webapp.notify.messages import GONE, Outcome, Outgoing
from webapp.notify.models import PushSubscription, SmsNumber
from webapp.notify.sender import Sender, send_all

DEVICE_REMOVED = "the device was removed"
DEVICE_MOVED = "the device now belongs to someone else"
DEVICE_UNKNOWN = "the push service no longer knows the device"


@prepared
def _devices_of():
    return (select(PushSubscription).where(PushSubscription.user_id.in_(bindparam("user_ids", expanding=True)))
            .order_by(PushSubscription.id))


def devices_of(session: Session, user_ids: list[int]) -> dict[int, list[PushSubscription]]:
    found: dict[int, list[PushSubscription]] = {uid: [] for uid in user_ids}
    if user_ids:
        for sub in session.scalars(_devices_of(), {"user_ids": list(user_ids)}):
            found[sub.user_id].append(sub)
    return found


def sms_numbers(session: Session, user_ids: list[int]) -> dict[int, str]:
    """The confirmed mobile numbers of these people (E.164)."""
    if not user_ids:
        return {}
    return dict(session.execute(select(SmsNumber.user_id, SmsNumber.number).where(
        SmsNumber.user_id.in_(user_ids), SmsNumber.confirmed_at.is_not(None))).all())


def let_go(session: Session, device: PushSubscription, now: datetime, why: str,
           keep_user_id: int | None = None) -> set[int]:
    """End what still waits to go to this device, in each capability that keeps such a thing (`hooks.device_leaving`).
    Returns the signals with a message written to send instead."""
    instead: set[int] = set()
    for _receiver, signal_ids in device_leaving.send(session, device=device, now=now, why=why,
                                                     keep_user_id=keep_user_id):
        instead |= signal_ids
    return instead


def remove_device(session: Session, device: PushSubscription, now: datetime, why: str = DEVICE_REMOVED) -> set[int]:
    """Remove a device after ending what waits for it (not left to ON DELETE SET NULL: the record says why).
    Returns the signals with an e-mail to send instead."""
    emailed = let_go(session, device, now, why)
    session.delete(device)
    session.flush()
    return emailed


def record_probe(session: Session, device: PushSubscription, outcome: Outcome, now: datetime,
                 check: bool = True) -> None:
    """What a push did to its device: a test alert (`check`), a reminder, a notice or a signal's delivery
    (`check=False`). The device page and the chair show it; a device the push service no longer knows is removed."""
    if check:
        device.last_check_at = now
    if outcome.error is None:
        device.last_success_at, device.last_error = now, None
    elif outcome.status_code in GONE:
        remove_device(session, device, now, DEVICE_UNKNOWN)
    else:
        device.last_failure_at, device.last_error = now, outcome.error[:200]
    session.flush()


def send_notices(session: Session, messages: list[Outgoing], config, now: datetime) -> list[Outcome]:
    """Send reminders and notices (not a signal's deliveries) all at once, and record on each device what its push
    did. A push's outcome names its device (`messages.notice`); an e-mail's or a text's names nothing."""
    outcomes = list(send_all(messages, Sender(config), config["PUSH_PARALLEL"]))
    for outcome in outcomes:
        device = session.get(PushSubscription, outcome.delivery_id) if outcome.delivery_id else None
        if device is not None:
            record_probe(session, device, outcome, now, check=False)
    return outcomes
