"""A person's mobile number for alerts by SMS: adding it, confirming it with a one-time code sent to it, their
choice per household of when alerts come by SMS, and the replies "1" / "2" that arrive through the provider.

Functions take a session and write rows; they never commit and never send (the view sends the code).
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.households.models import Membership
from webapp.notify import sms
from webapp.notify.models import SmsNumber
from webapp.notify.services import devices_of
from webapp.signals.models import AckKind, SmsChoice, SmsPreference
from webapp.signals.services import alertable, answer_by_sms, sms_choice, sms_choices

CODE_LIFE = timedelta(minutes=10)
MAX_ATTEMPTS = 5  # wrong codes before a new one must be asked for
MAX_CODES_PER_DAY = 5  # each costs money and lands on someone's phone
ANSWERS = {"1": AckKind.going, "2": AckKind.calling}


class NumberRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def own_number(session: Session, user: User) -> SmsNumber | None:
    return session.scalar(select(SmsNumber).where(SmsNumber.user_id == user.id))


def _code_hash(secret: str, row: SmsNumber, code: str) -> str:
    # Keyed and bound to the person and the number: a leaked table does not give the code away, and a code
    # sent to one number never confirms another.
    message = f"sms-code:{row.user_id}:{row.number}:{code}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def start(session: Session, user: User, raw: str, country_codes: list[int], secret: str,
          now: datetime) -> tuple[SmsNumber, str]:
    """Keep the number (unconfirmed) and make a new code for it. Returns the row and the code to text."""
    number = sms.normalise(raw, country_codes)
    if number is None:
        raise NumberRefused(_("This is not a mobile number we can text. Write it like 06 12345678, or with "
                              "+31, +32 or +49 in front."))
    row = own_number(session, user)
    if row is None:
        row = SmsNumber(user_id=user.id, number=number, created_at=now)
        session.add(row)
    if row.first_code_at is None or row.first_code_at < now - timedelta(days=1):
        row.first_code_at, row.codes_sent = now, 0
    if row.codes_sent >= MAX_CODES_PER_DAY:
        raise NumberRefused(_("You asked for too many codes today. Try again tomorrow."))
    if row.number != number:
        row.number, row.confirmed_at = number, None
    code = f"{secrets.randbelow(10 ** 6):06d}"
    row.code_hash = _code_hash(secret, row, code)
    row.code_expires_at, row.code_attempts = now + CODE_LIFE, 0
    row.codes_sent += 1
    session.flush()
    return row, code


def code_text(user: User, code: str) -> str:
    app_name = _("Notes") if user.discreet else "Kring"
    return _("%(app)s: your code is %(code)s. It works for 10 minutes.", app=app_name, code=code)


def confirm(session: Session, user: User, code: str, secret: str, now: datetime) -> bool:
    """True when the code is right, in time, and within the attempts allowed; then the number is confirmed."""
    row = own_number(session, user)
    if row is None or row.code_hash is None or row.code_expires_at is None:
        return False
    if row.code_expires_at < now or row.code_attempts >= MAX_ATTEMPTS:
        row.code_hash = None  # a new code must be asked for
        session.flush()
        return False
    row.code_attempts += 1
    if not hmac.compare_digest(_code_hash(secret, row, code.strip()), row.code_hash):
        session.flush()
        return False
    row.confirmed_at, row.code_hash, row.code_expires_at = now, None, None
    session.flush()
    return True


def remove(session: Session, user: User) -> None:
    row = own_number(session, user)
    if row is not None:
        session.delete(row)
        session.flush()


@dataclass
class HouseholdChoice:
    membership: Membership
    choice: SmsChoice
    chosen: bool  # False: the default, from whether a device works


def choices(session: Session, user: User) -> list[HouseholdChoice]:
    """Per household in which the person can be alerted: when alerts come by SMS."""
    memberships = [m for m in session.scalars(select(Membership).where(Membership.user_id == user.id)
                                              .order_by(Membership.id)) if alertable(m)]
    chosen = sms_choices(session, [m.id for m in memberships])
    devices = devices_of(session, [user.id])[user.id]
    return [HouseholdChoice(m, sms_choice(chosen.get(m.id), devices), m.id in chosen) for m in memberships]


def save_choice(session: Session, user: User, membership_id: int, choice: SmsChoice) -> bool:
    membership = session.scalar(select(Membership).where(Membership.id == membership_id,
                                                         Membership.user_id == user.id))
    if membership is None:
        return False
    row = session.scalar(select(SmsPreference).where(SmsPreference.membership_id == membership.id))
    if row is None:
        session.add(SmsPreference(membership_id=membership.id, choice=choice))
    else:
        row.choice = choice
    session.flush()
    return True


def reply(session: Session, number: str, body: str, default_locale: str, now: datetime) -> str:
    """A text that came in: "1" or "2" answers the newest open signal that texted this number; anything
    else gets a short help text. The answer back is in the person's language when the number is theirs."""
    kind = ANSWERS.get(body.strip().rstrip("."))
    answered = answer_by_sms(session, number, kind, now) if kind is not None else None
    owner = session.scalar(select(User).join(SmsNumber, SmsNumber.user_id == User.id).where(
        SmsNumber.number == number, SmsNumber.confirmed_at.is_not(None)).limit(1))
    with force_locale((owner.locale if owner else None) or default_locale):
        if answered is not None and kind == AckKind.going:
            return _("Thank you. The others see that you are going.")
        if answered is not None:
            return _("Thank you. The others see that you are calling.")
        if kind is not None:
            return _("No alert is waiting for your answer. Open the app to see more.")
        return _("Reply 1 if you are going, or 2 if you are calling. Or open the app.")
