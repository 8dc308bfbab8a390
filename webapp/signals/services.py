"""Signals: raising one (once, however often it is sent), the alert plan's rings, escalation, answers, closing.

Everything here writes rows only; sending is `delivery.py`'s job. A signal and the deliveries of its first
ring are written in one transaction before anything is sent, so a crash can delay an alert, never lose it.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, selectinload

from webapp.auth.models import User
from webapp.database import prepared, save_once
from webapp.hooks import device_leaving, member_removing
from webapp.households.models import Child, Household, Membership, Role
from webapp.households.services import people
from webapp.notify import sms
from webapp.notify.models import Channel, PushSubscription
from webapp.notify.services import devices_of, sms_numbers
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, write_entry
from webapp.safety_plan.services import watchers_in_force
from webapp.signals.delivery import add_delivery, device_problem, end_deliveries_to_device, still_alerted
from webapp.signals.models import (
    Acknowledgement, AckKind, AlertRing, Delivery, DeliveryAttempt, DeliveryStatus, Purpose, Signal,
    SignalEvent, SignalSource, SignalStatus, SmsChoice, SmsPreference,
)

RINGS = (1, 2, 3)
LAST_RING = 3
# A second signal of the same kind by the same person within this time is the same worry, not a new one.
DUPLICATE_WINDOW = timedelta(minutes=2)


# --- the alert plan -----------------------------------------------------------------------------

def alertable(membership: Membership) -> bool:
    """People who can be alerted: adults with a sign-in in the network, not professionals, not hidden."""
    roles = membership.roles - {Role.professional, Role.child}
    return bool(roles) and membership.user.can_sign_in and not membership.signals_hidden


def default_ring(membership: Membership, watchers: set[int] | None = None) -> int:
    """Safety persons, and whoever watches for the safe object in the safety plan in force, are alerted first.
    `watchers` (membership ids) saves a query per member when a whole household is placed."""
    if Role.safety_person in membership.roles:
        return 1
    if watchers is None:
        watchers = watchers_in_force(object_session(membership), membership.household_id)
    return 1 if membership.id in watchers else LAST_RING


def rings(session: Session, household: Household) -> dict[int, list[Membership]]:
    """The household's alert plan: who is in which ring."""
    chosen = dict(session.execute(
        select(AlertRing.membership_id, AlertRing.ring).where(AlertRing.household_id == household.id)).all())
    watchers = watchers_in_force(session, household.id)
    plan: dict[int, list[Membership]] = {ring: [] for ring in RINGS}
    for membership in people(session, household):
        if alertable(membership):
            plan[chosen.get(membership.id) or default_ring(membership, watchers)].append(membership)
    return plan


def set_ring(session: Session, membership: Membership, ring: int) -> None:
    row = session.scalar(select(AlertRing).where(AlertRing.membership_id == membership.id))
    if ring == default_ring(membership):
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(AlertRing(household_id=membership.household_id, membership_id=membership.id, ring=ring))
    else:
        row.ring = ring
    session.flush()


def unreachable(user: User, now: datetime) -> bool:
    return user.unreachable_until is not None and user.unreachable_until > now


def set_unreachable(user: User, hours: int | None, now: datetime) -> datetime | None:
    user.unreachable_until = now + timedelta(hours=hours) if hours else None
    return user.unreachable_until


def sms_on() -> bool:
    return sms.enabled(current_app.config)


def sms_choices(session: Session, membership_ids: list[int]) -> dict[int, SmsChoice]:
    if not membership_ids:
        return {}
    return dict(session.execute(select(SmsPreference.membership_id, SmsPreference.choice).where(
        SmsPreference.membership_id.in_(membership_ids))).all())


def sms_choice(chosen: SmsChoice | None, devices: list[PushSubscription]) -> SmsChoice:
    """Without a choice of their own, someone with no working device gets every alert by SMS too: for them a
    push may never arrive (an iPhone without Kring on its home screen)."""
    if chosen is not None:
        return chosen
    return SmsChoice.fallback if any(not d.failing for d in devices) else SmsChoice.always


@dataclass
class Reach:
    """How a member of the alert plan can be reached right now: for the chair's overview."""
    membership: Membership
    ring: int
    devices: list[PushSubscription]
    unreachable_until: datetime | None
    sms_number: str | None = None  # a confirmed mobile number
    channels: tuple[Channel, ...] = (Channel.push, Channel.email)  # the channels this server sends by

    @property
    def by_push(self) -> bool:
        return any(not d.failing for d in self.devices)

    @property
    def failing_devices(self) -> list[PushSubscription]:
        return [d for d in self.devices if d.failing]

    def unconfirmed_devices(self, now: datetime) -> list[PushSubscription]:
        return [d for d in self.devices if not d.failing and d.unconfirmed(now)]

    @property
    def reachable_by(self) -> list[Channel]:
        """The channels an alert could reach this person by right now, in the order of `Channel`."""
        return [c for c in self.channels if REACH_RULES[c](self)]

    @property
    def missing(self) -> list[Channel]:
        """The channels this person lacks: the chair sees what to ask them to add."""
        return [c for c in self.channels if not REACH_RULES[c](self)]


# Whether a person in the alert plan can be reached by a channel: one rule per `Channel` (a new channel adds its
# rule here, its label and its "missing" reason in labels.py; tests/signals/test_reach.py holds that).
REACH_RULES = {
    Channel.push: lambda r: r.by_push,
    Channel.email: lambda r: bool(r.membership.user.email),
    Channel.sms: lambda r: r.sms_number is not None,
}


def reach(session: Session, household: Household, now: datetime, sms_on: bool = False) -> list[Reach]:
    """Who in the alert plan can be reached by which channel right now; SMS only counts when it is set up."""
    plan = rings(session, household)
    members = [m for ring in RINGS for m in plan[ring]]
    devices = devices_of(session, [m.user_id for m in members])
    numbers = sms_numbers(session, [m.user_id for m in members]) if sms_on else {}
    channels = tuple(Channel) if sms_on else (Channel.push, Channel.email)
    return [Reach(m, ring, devices[m.user_id], m.user.unreachable_until if unreachable(m.user, now) else None,
                  numbers.get(m.user_id), channels)
            for ring in RINGS for m in plan[ring]]


# --- raising --------------------------------------------------------------------------------------

def find_by_client_id(session: Session, household: Household, client_id: str) -> Signal | None:
    return session.scalar(select(Signal).where(Signal.household_id == household.id, Signal.client_id == client_id))


def _recent_duplicate(session: Session, household: Household, raiser: User, source: SignalSource,
                      now: datetime, drill: bool = False) -> Signal | None:
    return session.scalar(
        select(Signal).where(Signal.household_id == household.id, Signal.raised_by_id == raiser.id,
                             Signal.source == source, Signal.status == SignalStatus.open, Signal.drill.is_(drill),
                             Signal.created_at > now - DUPLICATE_WINDOW)
        .order_by(Signal.id.desc()).limit(1))


def raise_signal(session: Session, household: Household, raiser: User, client_id: str, source: SignalSource,
                 note: str, now: datetime, undo_seconds: int, child: Child | None = None,
                 drill: bool = False) -> tuple[Signal, bool]:
    """Store a signal and the deliveries to its first ring. Returns (signal, created); a resend, a double
    tap or a second press within two minutes returns the first signal (a drill's never stands for a real one, nor
    a real one for a drill's). `drill`: a practice signal, marked as such everywhere."""
    signal = Signal(household_id=household.id, client_id=client_id, source=source, raised_by=raiser,
                    child_id=child.id if child is not None else None, drill=drill,
                    note=note.strip(), created_at=now, send_at=now + timedelta(seconds=undo_seconds))
    signal, created = save_once(session, signal, lambda: find_by_client_id(session, household, client_id)
                                or _recent_duplicate(session, household, raiser, source, now, drill))
    if not created:
        return signal, False
    signal.events.append(SignalEvent(at=now, kind="raised", user_id=raiser.id))
    _alert_ring(session, household, signal, 1, now)
    return signal, True


def _already_alerted(signal: Signal) -> set[int]:
    return {d.user_id for d in signal.deliveries if d.purpose == Purpose.alert and d.user_id is not None}


def _alert_ring(session: Session, household: Household, signal: Signal, ring: int, now: datetime) -> None:
    """Write the deliveries for `ring`; a ring with nobody to reach passes straight on to the next.
    From the last ring on, everyone alerted also gets an e-mail."""
    plan = rings(session, household)
    while True:
        signal.level = ring
        done = _already_alerted(signal) | ({signal.raised_by_id} - {None})
        members = [m for m in plan[ring] if m.user_id not in done]
        skipped = [m for m in members if unreachable(m.user, now)]
        members = [m for m in members if not unreachable(m.user, now)]
        devices = devices_of(session, [m.user_id for m in members])
        numbers = sms_numbers(session, [m.user_id for m in members]) if sms_on() else {}
        choices = sms_choices(session, [m.id for m in members if m.user_id in numbers])
        count = 0
        for m in members:
            # Push to every device, and SMS when the person chose it (or has no working device); a person
            # with neither gets an e-mail straight away. SMS "only when the push was not taken" waits for
            # the ring's time (`escalate`) or for the push to fail (`delivery._email_when_push_failed`).
            texted = m.user_id in numbers and sms_choice(choices.get(m.id), devices[m.user_id]) == SmsChoice.always
            for device in devices[m.user_id]:
                add_delivery(signal, Purpose.alert, m.user, ring, Channel.push, device)
            if texted:
                add_delivery(signal, Purpose.alert, m.user, ring, Channel.sms, phone=numbers[m.user_id])
            if devices[m.user_id] or texted:
                count += 1
            elif m.user.email:
                add_delivery(signal, Purpose.alert, m.user, ring, Channel.email)
                count += 1
        for m in skipped:
            signal.events.append(SignalEvent(at=now, kind="skipped", ring=ring, user_id=m.user_id))
        signal.events.append(SignalEvent(at=now, kind="ring_alerted", ring=ring, count=count))
        if ring == LAST_RING:
            _email_everyone(signal, now)
            signal.next_escalation_at = None
            break
        if count:
            signal.next_escalation_at = max(now, signal.send_at) + timedelta(minutes=household.escalate_after_minutes)
            break
        ring += 1
    session.flush()


def _email_everyone(signal: Signal, now: datetime) -> None:
    if signal.emailed:
        return
    signal.emailed = True
    rings_by_user = {}
    for d in signal.deliveries:
        if d.purpose == Purpose.alert and d.user is not None:
            rings_by_user.setdefault(d.user_id, (d.user, d.ring))
    count = 0
    for user, ring in rings_by_user.values():
        if user.email and add_delivery(signal, Purpose.alert, user, ring, Channel.email) is not None:
            count += 1
    if count:
        signal.events.append(SignalEvent(at=now, kind="emailed", count=count))


def undo(session: Session, signal: Signal, user: User, now: datetime) -> bool:
    """Take back a signal within its undo window. Only the person who raised it can."""
    if signal.raised_by_id != user.id:
        return False
    taken_back = session.execute(
        update(Signal).where(Signal.id == signal.id, Signal.status == SignalStatus.open, Signal.send_at > now)
        .values(status=SignalStatus.cancelled, next_escalation_at=None)).rowcount
    if not taken_back:
        return False
    session.execute(update(Delivery).where(Delivery.signal_id == signal.id, Delivery.status == DeliveryStatus.queued)
                    .values(status=DeliveryStatus.cancelled))
    session.add(SignalEvent(signal_id=signal.id, at=now, kind="undone", user_id=user.id))
    session.flush()
    session.refresh(signal)
    return True


# --- escalation -------------------------------------------------------------------------------------

def escalate(session: Session, signal_id: int, now: datetime) -> bool:
    """Alert the next ring when nobody answered in time. Safe to run twice: only one run moves a signal on."""
    signal = session.get(Signal, signal_id)
    if signal is None:
        return False
    moved = session.execute(
        update(Signal).where(Signal.id == signal_id, Signal.status == SignalStatus.open,
                             Signal.first_ack_at.is_(None), Signal.level == signal.level,
                             Signal.next_escalation_at.is_not(None), Signal.next_escalation_at <= now)
        .values(next_escalation_at=None)).rowcount
    if not moved:
        return False
    session.refresh(signal)
    household = session.get(Household, signal.household_id)
    _text_when_push_not_taken(session, signal)
    _alert_ring(session, household, signal, signal.level + 1, now)
    return True


def _text_when_push_not_taken(session: Session, signal: Signal) -> None:
    """The ring's time is up and nobody answered: whoever chose SMS "only when the push was not taken", and
    none of whose devices took it, gets the text now."""
    if not sms_on():
        return
    pushed: dict[int, list[Delivery]] = {}
    for d in signal.deliveries:
        if d.purpose == Purpose.alert and d.user_id is not None and d.channel in (Channel.push, Channel.sms):
            pushed.setdefault(d.user_id, []).append(d)
    numbers = sms_numbers(session, list(pushed))
    for user_id, deliveries in pushed.items():
        if user_id not in numbers or any(d.channel == Channel.sms or d.status == DeliveryStatus.sent
                                         for d in deliveries):
            continue
        add_delivery(signal, Purpose.alert, deliveries[0].user, deliveries[0].ring, Channel.sms, phone=numbers[user_id])
    session.flush()


def escalations_due(session: Session, now: datetime) -> list[int]:
    return list(session.scalars(select(Signal.id).where(
        Signal.status == SignalStatus.open, Signal.first_ack_at.is_(None), Signal.next_escalation_at <= now)))


# --- answers and closing ------------------------------------------------------------------------------

def acknowledge(session: Session, signal: Signal, user: User, kind: AckKind, now: datetime) -> bool:
    """Record "I'm going" / "I'm calling". A second answer by the same person changes its kind."""
    if signal.status != SignalStatus.open or now < signal.send_at - timedelta(seconds=1):
        return False
    ack = session.scalar(select(Acknowledgement).where(
        Acknowledgement.signal_id == signal.id, Acknowledgement.user_id == user.id))
    if ack is not None:
        ack.kind = kind
        session.flush()
        return True
    try:
        with session.begin_nested():
            session.add(Acknowledgement(signal_id=signal.id, user_id=user.id, kind=kind, created_at=now))
            session.flush()
    except IntegrityError:  # the notification's button and the page at once: the first answer counts
        return True
    if signal.first_ack_at is None:
        signal.first_ack_at = now
        signal.next_escalation_at = None
    session.add(SignalEvent(signal_id=signal.id, at=now, kind=f"ack_{kind.value}", user_id=user.id))
    session.flush()
    return True


def answer_by_sms(session: Session, number: str, kind: AckKind, now: datetime) -> Delivery | None:
    """A reply "1" or "2" from a number: the answer counts for the newest open signal that texted this number,
    for the person it was texted to while they are still in the household, not hidden, and still have this
    number. Returns the delivery answered, or None (nothing recorded)."""
    texted = session.scalars(
        select(Delivery).join(Signal).where(
            Delivery.channel == Channel.sms, Delivery.purpose == Purpose.alert, Delivery.phone == number,
            Delivery.user_id.is_not(None), Delivery.status.in_((DeliveryStatus.sent, DeliveryStatus.sending)),
            Signal.status == SignalStatus.open)
        .order_by(Signal.id.desc(), Delivery.id.desc()).limit(20))
    for delivery in texted:
        if delivery.user_id not in still_alerted(session, delivery.signal, {delivery.user_id}):
            continue
        if sms_numbers(session, [delivery.user_id]).get(delivery.user_id) != number:
            continue
        if acknowledge(session, delivery.signal, delivery.user, kind, now):
            return delivery
    return None


def close(session: Session, signal: Signal, user: User, outcome: str, now: datetime) -> bool:
    """Close an open signal with what happened, and send the all-clear to every device that was alerted."""
    closed = session.execute(
        update(Signal).where(Signal.id == signal.id, Signal.status == SignalStatus.open)
        .values(status=SignalStatus.closed, closed_at=now, closed_by_id=user.id, outcome=outcome.strip(),
                next_escalation_at=None)).rowcount
    if not closed:
        return False
    session.refresh(signal)
    # Only to devices that still belong to the person they alerted: a phone now someone else's gets nothing.
    alerted = {d.subscription_id: d for d in signal.deliveries
               if d.purpose == Purpose.alert and d.channel == Channel.push and device_problem(d) is None
               and d.status in (DeliveryStatus.sent, DeliveryStatus.sending, DeliveryStatus.queued)}
    for d in alerted.values():
        add_delivery(signal, Purpose.all_clear, d.user, d.ring, Channel.push, d.subscription)
    # Whoever got the alert by text gets the all-clear by text, on the number it went to.
    for d in signal.deliveries:
        if d.purpose == Purpose.alert and d.channel == Channel.sms and d.user is not None \
                and d.status in (DeliveryStatus.sent, DeliveryStatus.sending):
            add_delivery(signal, Purpose.all_clear, d.user, d.ring, Channel.sms, phone=d.phone)
    # Whatever had not gone out yet is no longer needed.
    for d in signal.deliveries:
        if d.purpose == Purpose.alert and d.status == DeliveryStatus.queued:
            d.status = DeliveryStatus.cancelled
    signal.events.append(SignalEvent(at=now, kind="closed", user_id=user.id))
    session.flush()
    return True


# --- reading ----------------------------------------------------------------------------------------------

def signal_in(session: Session, household: Household, signal_id: int) -> Signal | None:
    return session.scalar(select(Signal).where(Signal.household_id == household.id, Signal.id == signal_id)
                          .options(selectinload(Signal.deliveries), selectinload(Signal.acknowledgements)))


def open_signals(session: Session, household: Household) -> list[Signal]:
    """Every page of a household asks (the banner); nearly always there is none, and a plain EXISTS says so in a
    third of the time the ORM takes to find no rows."""
    if not session.execute(_any_open(), {"household_id": household.id}).scalar():
        return []
    return list(session.scalars(_open_signals(), {"household_id": household.id}))


@prepared
def _any_open():
    signal = Signal.__table__.c
    return select(exists().where(signal.household_id == bindparam("household_id"), signal.status == SignalStatus.open))


@prepared
def _open_signals():
    return (select(Signal).where(Signal.household_id == bindparam("household_id"), Signal.status == SignalStatus.open)
            .order_by(Signal.id.desc()))


def history(session: Session, household: Household, since: datetime | None = None,
            limit: int = 100) -> list[Signal]:
    """Signals that went out (undone ones left out), newest first, with their answers loaded."""
    query = (select(Signal).where(Signal.household_id == household.id, Signal.status != SignalStatus.cancelled)
             .options(selectinload(Signal.acknowledgements).selectinload(Acknowledgement.user),
                      selectinload(Signal.raised_by))
             .order_by(Signal.created_at.desc(), Signal.id.desc()).limit(limit))
    if since is not None:
        query = query.where(Signal.created_at >= since)
    return list(session.scalars(query))


@dataclass
class Recipient:
    """One person alerted by a signal, with how it reached them: for the signal page."""
    user: User | None
    ring: int
    deliveries: list[Delivery]
    acknowledgement: Acknowledgement | None

    @property
    def reached(self) -> bool:
        return any(d.status == DeliveryStatus.sent for d in self.deliveries)

    @property
    def failed(self) -> bool:
        return bool(self.deliveries) and all(
            d.status in (DeliveryStatus.failed, DeliveryStatus.gone) for d in self.deliveries)

    @property
    def reached_by(self) -> list[Delivery]:
        """The deliveries that reached this person (accepted by the push service, mail server, …), first first."""
        return sorted((d for d in self.deliveries if d.status == DeliveryStatus.sent and d.sent_at is not None),
                      key=lambda d: d.sent_at)

    @property
    def waiting(self) -> bool:
        return any(d.status in (DeliveryStatus.queued, DeliveryStatus.sending) for d in self.deliveries)

    @property
    def not_sent(self) -> list[Delivery]:
        """What did not (yet) reach them: shown with its state under the channels that did."""
        return [d for d in self.deliveries if d.status != DeliveryStatus.sent]


def recipients(signal: Signal) -> list[Recipient]:
    acks = {a.user_id: a for a in signal.acknowledgements}
    by_user: dict[int | None, Recipient] = {}
    for d in signal.deliveries:
        if d.purpose != Purpose.alert:
            continue
        r = by_user.setdefault(d.user_id, Recipient(d.user, d.ring, [], acks.get(d.user_id)))
        r.deliveries.append(d)
    # Someone who answered from the page without being alerted is shown too.
    for user_id, ack in acks.items():
        by_user.setdefault(user_id, Recipient(ack.user, 0, [], ack))
    return sorted(by_user.values(), key=lambda r: (r.acknowledgement is None, r.ring, r.user.display_name if r.user else ""))


def count_open(session: Session, household: Household) -> int:
    return session.scalar(select(func.count(Signal.id)).where(
        Signal.household_id == household.id, Signal.status == SignalStatus.open)) or 0


# --- the alert plan page ---------------------------------------------------------------------------------

def plan_members(session: Session, household: Household) -> list[Membership]:
    """Everyone who could be in the alert plan (hidden people included, so they can be un-hidden)."""
    return [m for m in people(session, household)
            if (m.roles - {Role.professional, Role.child}) and m.user.can_sign_in]


def fill_plan_form(session: Session, household: Household, members: list[Membership], form) -> None:
    chosen = dict(session.execute(
        select(AlertRing.membership_id, AlertRing.ring).where(AlertRing.household_id == household.id)).all())
    form.escalate_after_minutes.data = household.escalate_after_minutes
    for m in members:
        form[f"ring_{m.id}"].data = str(chosen.get(m.id) or default_ring(m))
        form[f"hidden_{m.id}"].data = m.signals_hidden


def save_plan(session: Session, household: Household, members: list[Membership], form) -> None:
    household.escalate_after_minutes = form.escalate_after_minutes.data
    for m in members:
        set_ring(session, m, int(form[f"ring_{m.id}"].data))
        m.signals_hidden = bool(form[f"hidden_{m.id}"].data)
    session.flush()


def close_with_outcome(session: Session, instance_path: str, signal: Signal, user: User, outcome: str,
                       log_kind: str | None, now: datetime) -> bool:
    """Close the signal; its outcome can become a safety-log entry, as evidence for the next meeting."""
    if not close(session, signal, user, outcome, now):
        return False
    if log_kind and not signal.drill:  # a drill is practice, not something that happened
        household = session.get(Household, signal.household_id)
        what = outcome.strip() if not signal.note else f"{signal.note}\n\n{outcome.strip()}"
        entry, _created = write_entry(session, instance_path, household, user, f"signal-{signal.id}",
                                      NewEntry(kind=EntryKind(log_kind), occurred_at=signal.created_at,
                                               what_happened=what, from_signal=True))
        signal.log_entry_id = entry.id
        session.flush()
    return True


# --- leaving and erasing -------------------------------------------------------------------------------

def forget_member(session: Session, household_id: int, user_id: int) -> None:
    """Someone leaves: their signals, answers and the steps they took stay as evidence, under "former
    member"; their place in the alert plan goes. Explicit, because the person's row stays (they may be in
    other households), so no ON DELETE happens; with their name taken off, what still waited to go to them
    is ended by the worker instead of sent (`delivery._refuse_strangers`)."""
    in_household = select(Signal.id).where(Signal.household_id == household_id)
    for model, column in ((Signal, Signal.raised_by_id), (Signal, Signal.closed_by_id)):
        session.execute(update(model).where(model.household_id == household_id, column == user_id)
                        .values({column.key: None}))
    # A text's number goes with the name: nothing left to tie a former member to the household.
    session.execute(update(Delivery).where(Delivery.signal_id.in_(in_household), Delivery.user_id == user_id)
                    .values(phone=None), execution_options={"synchronize_session": False})
    for model in (Acknowledgement, SignalEvent, Delivery):
        session.execute(update(model).where(model.signal_id.in_(in_household), model.user_id == user_id)
                        .values(user_id=None), execution_options={"synchronize_session": False})
    session.execute(delete(AlertRing).where(AlertRing.household_id == household_id, AlertRing.membership_id.in_(
        select(Membership.id).where(Membership.household_id == household_id, Membership.user_id == user_id))))


def erase_household_signals(session: Session, household_id: int) -> None:
    """Every signal of a household and all that hangs from it, for erasing a closed household."""
    in_household = select(Signal.id).where(Signal.household_id == household_id)
    deliveries = select(Delivery.id).where(Delivery.signal_id.in_(in_household))
    for statement in (
        delete(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(deliveries)),
        delete(Delivery).where(Delivery.signal_id.in_(in_household)),
        delete(Acknowledgement).where(Acknowledgement.signal_id.in_(in_household)),
        delete(SignalEvent).where(SignalEvent.signal_id.in_(in_household)),
        delete(Signal).where(Signal.household_id == household_id),
        delete(AlertRing).where(AlertRing.household_id == household_id),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})


def purge_old_deliveries(session: Session, now: datetime, keep_days: int) -> int:
    """Retention: the per-device delivery records of signals that ended longer ago than `keep_days` go, and so
    do signals that were taken back at once. The signals, their answers and their steps stay: they are the
    household's evidence, erased with the household."""
    cutoff = now - timedelta(days=keep_days)
    ended = select(Signal.id).where(Signal.status != SignalStatus.open, Signal.created_at < cutoff)
    undone = select(Signal.id).where(Signal.status == SignalStatus.cancelled, Signal.created_at < cutoff)
    old = select(Delivery.id).where(Delivery.signal_id.in_(ended))
    session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(old)),
                    execution_options={"synchronize_session": False})
    removed = session.execute(delete(Delivery).where(Delivery.signal_id.in_(ended)),
                              execution_options={"synchronize_session": False}).rowcount or 0
    for model in (Acknowledgement, SignalEvent):
        session.execute(delete(model).where(model.signal_id.in_(undone)), execution_options={"synchronize_session": False})
    session.execute(delete(Signal).where(Signal.status == SignalStatus.cancelled, Signal.created_at < cutoff),
                    execution_options={"synchronize_session": False})
    return removed


def _on_member_removing(session: Session, membership: Membership, **_) -> None:
    """The person's place in the alert plan goes with their membership."""
    session.execute(delete(AlertRing).where(AlertRing.membership_id == membership.id))


def _on_device_leaving(session: Session, device: PushSubscription, now: datetime, why: str,
                       keep_user_id: int | None = None, **_) -> set[int]:
    """What still waits to go to the device ends, on the signal's record; returns the signals with an e-mail instead."""
    return end_deliveries_to_device(session, device, now, why, keep_user_id)


def connect_hooks() -> None:
    member_removing.connect(_on_member_removing, weak=False)
    device_leaving.connect(_on_device_leaving, weak=False)
