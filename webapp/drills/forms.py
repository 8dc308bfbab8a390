"""Forms of the drills: planning one, and writing down what the network learned."""
from wtforms import DateField, RadioField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length

from webapp.forms import KringForm, SelectField
from webapp.households.forms import MultiCheckboxField
from webapp.i18n import lazy_gettext as _l

KIND_LABELS = {
    "signal": _l("Practise the signal: the safe object is moved, and everyone is alerted as for real (marked PRACTICE)"),
    "scenario": _l("Practise a situation: talk or play through something that once went wrong"),
}


class DrillForm(KringForm):
    kind = RadioField(_l("What do you practise?"), choices=list(KIND_LABELS.items()),
                      validators=[DataRequired(_l("Choose what you practise."))])
    scenario = TextAreaField(_l("What happens, in plain words"),
                             description=_l("For example: on a Sunday evening the teddy bear is put in the window."),
                             validators=[DataRequired(_l("Write what happens.")),
                                         Length(max=1000, message=_l("Use at most 1000 characters."))])
    agreement = SelectField(_l("Which agreement does it test? (if any)"), coerce=str, validate_choice=True, default="")
    day = DateField(_l("Day"), validators=[DataRequired(_l("Write the day, for example 12 March."))])
    time = TimeField(_l("Time"), validators=[DataRequired(_l("Write the time, for example 19:30."))])
    participants = MultiCheckboxField(_l("Who takes part?"), coerce=str, validate_choice=True)


class LearnedForm(KringForm):
    learned = TextAreaField(_l("What did you learn? What changes?"),
                            validators=[DataRequired(_l("Write what you learned, even if it is: it went well.")),
                                        Length(max=2000, message=_l("Use at most 2000 characters."))])
