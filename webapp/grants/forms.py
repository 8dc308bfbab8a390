"""The end date of a professional's access, as it is asked when inviting and when extending."""
from datetime import date

from wtforms.validators import ValidationError

from webapp.grants.services import MAX_MONTHS, add_months
from webapp.households import forms as households_forms
from webapp.i18n import lazy_gettext as _l

BAD_DATE = _l("Enter a date like 31-03-2027.")


class DateMessages(households_forms.DateMessages):
    bad_date = BAD_DATE


def check_end_day(day: date | None, today: date) -> None:
    """An end of access: after today, at most a year ahead."""
    if day is None:
        raise ValidationError(_l("Enter the last day of access, like 31-03-2027."))
    if day <= today:
        raise ValidationError(_l("Choose a day after today."))
    if day > add_months(today, MAX_MONTHS):
        raise ValidationError(_l("Choose a day at most a year from now. You can extend access later."))
