"""Forms for the summary's period and for a professional's end date (inviting, extending)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired, Optional, ValidationError

from webapp.households import forms as households_forms
from webapp.professionals.services import MAX_MONTHS, MAX_PERIOD_DAYS, add_months

BAD_DATE = _l("Enter a date like 31-03-2027.")


class DateMessages(households_forms.DateMessages):
    bad_date = BAD_DATE


class PeriodForm(DateMessages):
    class Meta:
        csrf = False  # a GET form that only reads

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Up to and including"), validators=[Optional()])

    def validate_end(self, field) -> None:
        if self.start.data and field.data:
            problem = period_problem(self.start.data, field.data)
            if problem is not None:
                raise ValidationError(problem)


def period_problem(first: date, last: date) -> str | None:
    """What is wrong with a period from `first` up to and including `last`, if anything."""
    if last < first:
        return _l("The end date is before the start date. Swap them or choose another date.")
    if (last - first).days > MAX_PERIOD_DAYS:
        return _l("Choose a period of at most two years.")
    return None


def check_end_day(day: date | None, today: date) -> None:
    """An end of access: after today, at most a year ahead."""
    if day is None:
        raise ValidationError(_l("Enter the last day of access, like 31-03-2027."))
    if day <= today:
        raise ValidationError(_l("Choose a day after today."))
    if day > add_months(today, MAX_MONTHS):
        raise ValidationError(_l("Choose a day at most a year from now. You can extend access later."))


class ExtendForm(DateMessages):
    ends_on = DateField(_l("New last day of access"), validators=[DataRequired(_l("Enter the last day of access, like 31-03-2027."))],
                        description=_l("At most a year from today."))
    today: date

    def validate_ends_on(self, field) -> None:
        check_end_day(field.data, self.today)
