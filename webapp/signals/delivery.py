"""Sending the deliveries of a signal: claim them, send them all at once, record every outcome, retry with
back-off, and take back what a worker that died had claimed.

At-least-once by design: a worker that dies after the push service accepted a message but before it wrote
"sent" makes the sweep send it again. Every message for one signal carries the same notification tag and
push Topic, so a phone that gets it twice still shows one notification, and rings once.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, object_session

from webapp.auth.models import User
from webapp.households.models import Child, Household, Membership
from webapp.notify import sms
from webapp.notify.messages import GONE, Outcome, Outgoing, subscription_info
from webapp.notify.models import Channel, PushSubscription
from webapp.notify.sender import send_in_batches
from webapp.notify.services import DEVICE_MOVED, DEVICE_REMOVED, record_probe, sms_numbers
from webapp.signals.models import (
    Delivery, DeliveryAttempt, DeliveryStatus, Purpose, Signal, SignalSource, SignalStatus,
)

BACKOFF = (5, 15, 30, 60, 120, 300)  # seconds before try 2, 3, …; after the last, the delivery has failed
TRY_AGAIN = (408, 425, 429)


# --- claiming and recording ------------------------------------------------------------------------

def _due(now: datetime):
    return (Delivery.status == DeliveryStatus.queued,
            or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))


def claim(session: Session, signal_id: int, now: datetime) -> list[Delivery]:
    """Mark this signal's due deliveries as being sent by this worker, and commit, before sending: two
    workers never send the same delivery at once."""
    signal = session.get(Signal, signal_id)
    if signal is None or signal.send_at > now or signal.status == SignalStatus.cancelled:
        return []
    ids = list(session.scalars(select(Delivery.id).where(Delivery.signal_id == signal_id, *_due(now))))
    claimed = []
    for delivery_id in ids:
        got = session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.queued)
                              .values(status=DeliveryStatus.sending, claimed_at=now,
                                      attempts=Delivery.attempts + 1)).rowcount
        if got:
            claimed.append(delivery_id)
    session.commit()
    return [session.get(Delivery, i) for i in claimed]


def record(session: Session, outcomes: list[Outcome], now: datetime) -> datetime | None:
    """Write what happened to each message. Returns when the next retry is due, if any."""
    next_try = None
    for outcome in outcomes:
        delivery = session.get(Delivery, outcome.delivery_id)
        if delivery is None:
            continue
        device = delivery.subscription
        session.add(DeliveryAttempt(delivery_id=delivery.id, at=now, status_code=outcome.status_code,
                                    outcome=(outcome.error or "accepted")[:200]))
        if outcome.provider_id is not None:
            delivery.provider_id, delivery.cost_units = outcome.provider_id[:64], outcome.cost_units
        if outcome.error is None:
            delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.sent, now, None
        else:
            delivery.last_error = outcome.error[:200]
            if outcome.status_code in GONE and delivery.channel == Channel.push:
                delivery.status, delivery.subscription = DeliveryStatus.gone, None
            elif _worth_retrying(outcome.status_code) and delivery.attempts <= len(BACKOFF):
                delivery.status = DeliveryStatus.queued
                delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
                next_try = min(next_try or delivery.next_attempt_at, delivery.next_attempt_at)
            else:
                delivery.status = DeliveryStatus.failed
        if device is not None:  # the device's own record: it took the push, failed, or is gone (then removed)
            record_probe(session, device, outcome, now, check=False)
    session.flush()
    _email_when_push_failed(session, {session.get(Delivery, o.delivery_id).signal_id for o in outcomes if o.error})
    session.commit()
    return next_try


def _worth_retrying(status_code: int | None) -> bool:
    return status_code is None or status_code >= 500 or status_code in TRY_AGAIN


def _dedup_key(signal: Signal, purpose: Purpose, channel: Channel, user: User, device: PushSubscription | None) -> str:
    target = f"d{device.id}" if device is not None else f"u{user.id}"
    return f"{signal.id}:{purpose.value}:{channel.value}:{target}"


def add_delivery(signal: Signal, purpose: Purpose, user: User, ring: int, channel: Channel,
                  device: PushSubscription | None = None, phone: str | None = None) -> Delivery | None:
    """A message to send for the signal, unless the same one (purpose, channel, person or device) is already there."""
    key = _dedup_key(signal, purpose, channel, user, device)
    if any(d.dedup_key == key for d in signal.deliveries):
        return None
    delivery = Delivery(dedup_key=key, purpose=purpose, user=user, ring=ring, channel=channel,
                        subscription=device, device_name=device.device_name if device else "", phone=phone)
    signal.deliveries.append(delivery)
    return delivery


def _email_when_push_failed(session: Session, signal_ids: set[int]) -> set[int]:
    """A person none of whose devices took the alert gets it by SMS at once when they have a confirmed number
    (and SMS is on), not after escalation; when that fails too, or they have no number, by e-mail.
    Returns the signals that have a new message to send."""
    emailed = set()
    for signal in (session.get(Signal, i) for i in signal_ids):
        if signal is None or signal.status != SignalStatus.open:
            continue
        by_user: dict[int, list[Delivery]] = {}
        for d in signal.deliveries:
            if d.purpose == Purpose.alert and d.channel in (Channel.push, Channel.sms) and d.user is not None:
                by_user.setdefault(d.user_id, []).append(d)
        numbers = sms_numbers(session, list(by_user))
        for deliveries in by_user.values():
            user = deliveries[0].user
            if not all(d.status in (DeliveryStatus.failed, DeliveryStatus.gone) for d in deliveries):
                continue
            if numbers.get(user.id) and not any(d.channel == Channel.sms for d in deliveries):
                added = add_delivery(signal, Purpose.alert, user, deliveries[0].ring, Channel.sms,
                                     phone=numbers[user.id])
            elif user.email:
                added = add_delivery(signal, Purpose.alert, user, deliveries[0].ring, Channel.email)
            else:
                added = None
            if added is not None:
                emailed.add(signal.id)
    session.flush()
    return emailed


# --- only the device it was written for, only its owner -----------------------------------------------

NOT_IN_PLAN = "no longer in the household's alert plan"
NUMBER_CHANGED = "the mobile number was changed or removed"
COUNTRY_NOT_ALLOWED = "SMS to this country is not allowed"
SMS_OFF = "SMS is not set up on this server"
LIMIT_HOUR = "the household's SMS limit per hour was reached; sent by e-mail instead"
LIMIT_DAY = "the household's SMS limit per day was reached; sent by e-mail instead"


def device_problem(delivery: Delivery) -> str | None:
    """Why a push delivery may not go to its device, or be answered from it; None when it may. Only the device
    it was written for, and only while that device belongs to the person it was written for: a phone signed in
    as someone else is theirs now (`devices.save`)."""
    device = delivery.subscription
    if device is None:
        return DEVICE_REMOVED
    if delivery.user_id is None or device.user_id != delivery.user_id:
        return DEVICE_MOVED
    if device.created_at > delivery.created_at:
        # Not the device it was written for: on a database from before ids were never reused, the next
        # device could get a removed device's id.
        return DEVICE_REMOVED
    return None


def still_alerted(session: Session, signal: Signal, user_ids: set[int]) -> set[int]:
    """Of these people, who still belongs to the signal's household and is not hidden from its signals."""
    if not user_ids:
        return set()
    return set(session.scalars(select(Membership.user_id).where(
        Membership.household_id == signal.household_id, Membership.user_id.in_(user_ids),
        Membership.signals_hidden.is_(False))))


def _end(session: Session, delivery: Delivery, status: DeliveryStatus, why: str, now: datetime) -> None:
    """Stop a delivery for good, on the record: the signal page says why it did not go."""
    delivery.status, delivery.last_error, delivery.next_attempt_at = status, why, None
    if status == DeliveryStatus.gone:
        delivery.subscription = None
    session.add(DeliveryAttempt(delivery_id=delivery.id, at=now, status_code=None, outcome=why))


def end_deliveries_to_device(session: Session, device: PushSubscription, now: datetime, why: str,
                             keep_user_id: int | None = None) -> set[int]:
    """End what is still waiting to go to this device (for everyone but `keep_user_id`, the device's new owner),
    so that it never goes to a later device or owner. Its people get the alert by e-mail when no other device
    of theirs took it: returns the signals with an e-mail to send."""
    waiting = select(Delivery).where(Delivery.subscription_id == device.id, Delivery.status == DeliveryStatus.queued)
    if keep_user_id is not None:
        waiting = waiting.where(or_(Delivery.user_id.is_(None), Delivery.user_id != keep_user_id))
    ended = list(session.scalars(waiting))
    for delivery in ended:
        _end(session, delivery, DeliveryStatus.gone, why, now)
    session.flush()
    return _email_when_push_failed(session, {d.signal_id for d in ended})


def _refuse_strangers(session: Session, claimed: list[Delivery], now: datetime) -> list[Delivery]:
    """The last check before sending: a delivery whose device is not (or no longer) its person's, or whose
    person left the household or was hidden from its signals, is ended, not sent. Returns the ones that may go."""
    signal = claimed[0].signal
    members = still_alerted(session, signal, {d.user_id for d in claimed if d.user_id is not None})
    allowed, ended = [], set()
    texts = _sms_budget(session, signal, now) if any(d.channel == Channel.sms for d in claimed) else None
    for delivery in claimed:
        if delivery.user_id not in members:
            _end(session, delivery, DeliveryStatus.cancelled, NOT_IN_PLAN, now)
        elif delivery.channel == Channel.push and (why := device_problem(delivery)) is not None:
            _end(session, delivery, DeliveryStatus.gone, why, now)
            ended.add(delivery.signal_id)
        elif delivery.channel == Channel.sms and (why := sms_problem(session, delivery, texts)) is not None:
            _end(session, delivery, DeliveryStatus.failed, why, now)
            ended.add(delivery.signal_id)
        else:
            allowed.append(delivery)
    if len(allowed) < len(claimed):
        session.flush()
        _email_when_push_failed(session, ended)
        session.commit()
    return allowed


@dataclass
class _Budget:
    """How many more texts the household may send this hour and this day."""
    hour: int
    day: int


def _sms_budget(session: Session, signal: Signal, now: datetime) -> _Budget:
    config = current_app.config
    sent = select(func.count(Delivery.id)).join(Signal).where(
        Signal.household_id == signal.household_id, Delivery.channel == Channel.sms,
        Delivery.status == DeliveryStatus.sent)
    last_hour = session.scalar(sent.where(Delivery.sent_at > now - timedelta(hours=1))) or 0
    last_day = session.scalar(sent.where(Delivery.sent_at > now - timedelta(days=1))) or 0
    return _Budget(config["SMS_PER_HOUR"] - last_hour, config["SMS_PER_DAY"] - last_day)


def sms_problem(session: Session, delivery: Delivery, budget: _Budget) -> str | None:
    """Why a text may not go: SMS off, the number no longer the person's confirmed one, a country not allowed,
    or the household's limit reached (against a runaway loop and SMS pumping). None when it may; it then
    counts against the budget."""
    config = current_app.config
    if not sms.enabled(config):
        return SMS_OFF
    if delivery.phone is None or sms_numbers(session, [delivery.user_id]).get(delivery.user_id) != delivery.phone:
        return NUMBER_CHANGED
    if not sms.allowed(delivery.phone, config["SMS_COUNTRY_CODES"]):
        return COUNTRY_NOT_ALLOWED
    if budget.hour <= 0:
        return LIMIT_HOUR
    if budget.day <= 0:
        return LIMIT_DAY
    budget.hour -= 1
    budget.day -= 1
    return None


def requeue_abandoned(session: Session, now: datetime, lease: timedelta) -> int:
    """Deliveries claimed by a worker that never reported back (it died): queue them again."""
    stale = _abandoned(now, lease)
    taken_back = 0
    for delivery_id in list(session.scalars(select(Delivery.id).where(*stale))):
        # Compare and set, like claim(): two sweeps at once, or a worker that just claimed it again, win.
        if session.execute(update(Delivery).where(Delivery.id == delivery_id, *stale)
                           .values(status=DeliveryStatus.queued, next_attempt_at=None)).rowcount:
            session.add(DeliveryAttempt(delivery_id=delivery_id, at=now, status_code=None,
                                        outcome="the worker stopped before the outcome was known"))
            taken_back += 1
    session.commit()
    return taken_back


def _abandoned(now: datetime, lease: timedelta):
    return (Delivery.status == DeliveryStatus.sending, Delivery.claimed_at < now - lease)


def signals_with_due_deliveries(session: Session, now: datetime) -> list[int]:
    return list(session.scalars(select(Delivery.signal_id).join(Signal).where(
        *_due(now), Signal.send_at <= now).distinct()))


# --- what a message says ---------------------------------------------------------------------------

def ack_token(secret: str, delivery: Delivery) -> str:
    """The notification's answer buttons carry this instead of a session. It names one delivery and the signal
    it was sent for, and is signed over the delivery's key (signal, device or person), so nobody can forge one
    and a delivery row with the same id is not the same delivery."""
    message = f"ack:{delivery.id}:{delivery.signal_id}:{delivery.dedup_key}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{delivery.id}.{delivery.signal_id}.{digest}"


def answerable(session: Session, secret: str, token: str) -> Delivery | None:
    """The alert a notification's answer is for, when the answer may count: the token is genuine and names the
    delivery's own signal, and the phone it was pressed on is still the device the alert went to, owned by
    the person it went to, who is still in the household's alert plan. None otherwise: nothing is recorded."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    delivery = session.get(Delivery, int(parts[0]))
    if (delivery is None or delivery.signal_id != int(parts[1]) or delivery.purpose != Purpose.alert
            or delivery.channel != Channel.push or not hmac.compare_digest(ack_token(secret, delivery), token)):
        return None
    if device_problem(delivery) is not None or not still_alerted(session, delivery.signal, {delivery.user_id}):
        return None
    return delivery


def _several_children(signal: Signal) -> bool:
    """Does the alert need the child's name: only when the household has more than one child."""
    return (object_session(signal).scalar(select(func.count()).select_from(Child).where(
        Child.household_id == signal.household_id, Child.removed_at.is_(None))) or 0) > 1


def _texts(signal: Signal, household: Household, delivery: Delivery) -> tuple[str, str]:
    """Title and text of a push or e-mail; a drill's say PRACTICE first, whatever else they say."""
    title, body = _plain_texts(signal, household, delivery)
    if signal.drill:
        return _("PRACTICE: %(title)s", title=title), _("PRACTICE. %(text)s", text=body)
    return title, body


def _plain_texts(signal: Signal, household: Household, delivery: Delivery) -> tuple[str, str]:
    user = delivery.user
    app_name = _("Notes") if user is not None and user.discreet else "Kring"
    detailed = user is not None and user.push_detail
    if delivery.purpose == Purpose.all_clear:
        if detailed:
            return _("%(household)s: all clear", household=household.name), signal.outcome or _("The signal is closed.")
        return app_name, _("All is calm again. Thank you.")
    if not detailed:
        return app_name, _("Something needs your attention now. Please open the app.")
    if signal.source == SignalSource.child and signal.child is not None and _several_children(signal):
        body = _("%(name)s used the “I am worried” button.", name=signal.child.first_name)
    elif signal.source == SignalSource.child:
        body = _("A child used the “I am worried” button.")
    else:
        body = _("%(name)s saw the safe object moved.", name=signal.raised_by.first_name if signal.raised_by else "?")
    if signal.note:
        body = f"{body} {signal.note}"
    return _("Signal: %(household)s", household=household.name), body


def _sms_text(signal: Signal, delivery: Delivery, base_url: str) -> str:
    """As discreet as a push, and never the note: a text stays on the phone and shows on its lock screen."""
    user = delivery.user
    app_name = _("Notes") if user is not None and user.discreet else "Kring"
    if delivery.purpose == Purpose.all_clear:
        calm = _("%(app)s: all is calm again. Thank you.", app=app_name)
        return _("PRACTICE: %(text)s", text=calm) if signal.drill else calm
    caller = signal.raised_by
    if caller is not None and caller.phone and caller.id != delivery.user_id:
        text = _("%(app)s: please open the app or call %(name)s: %(phone)s.", app=app_name,
                 name=caller.first_name, phone=caller.phone)
    else:
        text = _("%(app)s: something needs your attention now. Please open the app.", app=app_name)
    if user is None or not user.discreet:  # the address would name Kring
        text = f"{text} {base_url.rstrip('/')}/h/{signal.household_id}/signals/{signal.id}"
    # Plain letters only (no curly quotes): one such character makes every part of a text cost twice as much.
    how_to_answer = _("Reply 1: I am going. Reply 2: I am calling.")
    if signal.drill:
        return _("PRACTICE: %(text)s", text=f"{text} {how_to_answer}")
    return f"{text} {how_to_answer}"


def outgoing(session: Session, delivery: Delivery, secret: str, base_url: str) -> Outgoing:
    """Build the message in the recipient's own language. Needs an app context."""
    signal = delivery.signal
    household = session.get(Household, signal.household_id)
    locale = (delivery.user.locale if delivery.user else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    path = f"/h/{signal.household_id}/signals/{signal.id}"
    with force_locale(locale):
        title, text = _texts(signal, household, delivery)
        payload = {"type": delivery.purpose.value, "title": title, "body": text, "url": path,
                   "tag": f"kring-signal-{signal.id}", "signal": signal.id}
        if delivery.purpose == Purpose.alert:
            payload["ack"] = f"/signals/ack/{ack_token(secret, delivery)}"
            payload["actions"] = [{"action": "going", "title": _("I’m going")},
                                  {"action": "calling", "title": _("I’m calling")}]
        subject = title
        body = f"{text}\n\n{_('Open it here:')} {base_url.rstrip('/')}{path}\n"
        if delivery.channel == Channel.sms:
            body = _sms_text(signal, delivery, base_url)
    sub = delivery.subscription
    if delivery.channel == Channel.sms:
        to = delivery.phone
    else:
        to = delivery.user.email if delivery.user else None
    return Outgoing(
        delivery_id=delivery.id, channel=delivery.channel, subscription=subscription_info(sub) if sub else None,
        to=to, payload=payload, subject=subject, body=body,
        topic=f"signal{signal.id}{delivery.purpose.value.replace('_', '')}",
        urgency="high" if delivery.purpose == Purpose.alert else "normal",
        ttl=24 * 3600 if delivery.purpose == Purpose.alert else 3600,
    )


# --- sending -----------------------------------------------------------------------------------------

def run(session: Session, signal_id: int, sender, now: datetime) -> datetime | None:
    """Claim, send and record this signal's due deliveries. Returns when a retry is due, if any."""
    claimed = claim(session, signal_id, now)
    if not claimed:
        return None
    secret = current_app.config["SECRET_KEY"]
    base_url = current_app.config["BASE_URL"]
    messages = [outgoing(session, d, secret, base_url) for d in _refuse_strangers(session, claimed, now)]
    next_try = None
    # Outcomes are written as they arrive (those that come together in one transaction): a worker that dies
    # halfway leaves only the messages still in flight to be sent again, not the ones already delivered.
    for outcomes in send_in_batches(messages, sender, current_app.config["PUSH_PARALLEL"]):
        retry = record(session, outcomes, now)
        if retry is not None:
            next_try = min(next_try or retry, retry)
    # An e-mail written because no device took the alert goes out now, not at the next sweep.
    if session.scalar(select(Delivery.id).where(Delivery.signal_id == signal_id, *_due(now)).limit(1)) is not None:
        return now
    return next_try


def device_token(secret: str, device: PushSubscription) -> str:
    """Carried by a test alert: tapping it tells Kring the alert really showed on this device. Signed over the
    device's push address too: a later device with the same id is not this one."""
    message = f"device:{device.id}:{device.endpoint}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{device.id}.{digest}"


def device_for_token(session: Session, secret: str, token: str) -> PushSubscription | None:
    head, _, _digest = token.partition(".")
    device = session.get(PushSubscription, int(head)) if head.isdigit() else None
    if device is None or not hmac.compare_digest(device_token(secret, device), token):
        return None
    return device


def probe_message(subscription: PushSubscription, locale: str, secret: str) -> Outgoing:
    """A test alert: "did you get it?". Tapping it (or its button) confirms that alerts show on this device."""
    with force_locale(locale):
        payload = {"type": "test", "title": "Kring", "tag": f"kring-test-{subscription.id}",
                   "body": _("Test alert: did you get it? Tap here, so the network knows alerts reach you."),
                   "url": "/settings/devices", "ack": f"/signals/devices/confirm/{device_token(secret, subscription)}",
                   "actions": [{"action": "confirm", "title": _("Yes, it arrived")}]}
    return Outgoing(delivery_id=0, channel=Channel.push, subscription=subscription_info(subscription),
                    to=None, payload=payload, subject="", body="", topic="kringtest", urgency="normal", ttl=24 * 3600)
