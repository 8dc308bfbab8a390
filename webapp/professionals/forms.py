"""Forms for the summary's period and for a professional's end date (inviting, extending)."""
from datetime import date

from wtforms import DateField
from wtforms.validators import DataRequired, Optional, ValidationError

from webapp.grants.forms import DateMessages, check_end_day
from webapp.i18n import lazy_gettext as _l
from webapp.professionals.services import MAX_PERIOD_DAYS

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


class ExtendForm(DateMessages):
    ends_on = DateField(_l("New last day of access"), validators=[DataRequired(_l("Enter the last day of access, like 31-03-2027."))],
                        description=_l("At most a year from today."))
    today: date

    def validate_ends_on(self, field) -> None:
        check_end_day(field.data, self.today)
