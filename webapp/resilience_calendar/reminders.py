"""The weekly reminder to plan next week: who gets it, and what it says."""
from dataclasses import dataclass

from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.households.models import Household, Membership
from webapp.notify.messages import Outgoing, notice
from webapp.notify.models import PushSubscription


@dataclass
class Reminder:
    device_id: int
    message: Outgoing


def set_reminder(membership: Membership, on: bool) -> None:
    membership.calendar_reminder = on


def weekly_reminders(session: Session, default_locale: str) -> list[Reminder]:
    """One message per device of everyone who asked for the reminder, in a household that is not closing."""
    rows = session.execute(
        select(PushSubscription, Membership.household_id, User.locale, User.discreet)
        .join(User, User.id == PushSubscription.user_id)
        .join(Membership, Membership.user_id == User.id)
        .join(Household, Household.id == Membership.household_id)
        .where(Membership.calendar_reminder.is_(True), Household.erase_at.is_(None))
        .order_by(PushSubscription.id)).all()
    reminders = []
    for device, household_id, locale, discreet in rows:
        with force_locale(locale or default_locale):
            title = _("Notes") if discreet else "Kring"
            body = _("Plan next week together: open the resilience calendar.")
        reminders.append(Reminder(device.id, notice(device, "calendar_reminder", title, body,
                                                    f"/h/{household_id}/calendar/")))
    return reminders
