"""Forms for raising, answering and closing a signal, the alert plan, and a person's alert settings."""
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from webapp.forms import KringForm, SelectField
from webapp.i18n import lazy_gettext as _l

CLIENT_ID = [DataRequired(), Regexp(r"^[A-Za-z0-9-]{8,64}$")]
MAX_NOTE = 500

RING_LABELS = {
    1: _l("Ring 1: alerted at once"),
    2: _l("Ring 2: when nobody in ring 1 answers"),
    3: _l("Ring 3: when still nobody answers"),
}
LOG_KIND_CHOICES = [
    ("nearly_wrong", _l("Yes, as “nearly went wrong”")),
    ("went_wrong", _l("Yes, as “went wrong”")),
    ("went_well", _l("Yes, as “went well”")),
    ("", _l("No, not in the safety log")),
]
AWAY_CHOICES = [("2", _l("2 hours")), ("8", _l("8 hours")), ("24", _l("1 day")), ("72", _l("3 days")),
                ("168", _l("1 week"))]


class SignalForm(KringForm):
    client_id = HiddenField(validators=CLIENT_ID)
    note = TextAreaField(_l("Anything the others should know? (not required)"),
                         description=_l("For example where you are, or what you saw."),
                         validators=[Length(max=MAX_NOTE, message=_l("Write at most %(n)s characters.", n=MAX_NOTE))],
                         render_kw={"rows": 3})


class ChildSignalForm(KringForm):
    client_id = HiddenField(validators=CLIENT_ID)


class AckForm(KringForm):
    kind = HiddenField(validators=[DataRequired(), Regexp(r"^(going|calling)$")])


class CloseForm(KringForm):
    outcome = TextAreaField(_l("What happened? How is it now?"),
                            validators=[DataRequired(message=_l("Write in a few words what happened and how it is now.")),
                                        Length(max=2000, message=_l("Write at most %(n)s characters.", n=2000))],
                            render_kw={"rows": 4})
    log_kind = RadioField(_l("Also write it in the safety log?"), choices=LOG_KIND_CHOICES, default="nearly_wrong")


class AvailabilityForm(KringForm):
    hours = SelectField(_l("I can’t be reached for"), choices=AWAY_CHOICES, default="8")


class NotificationTextForm(KringForm):
    push_detail = BooleanField(_l("Show what happened in the notification (the household and who signalled)"),
                               description=_l("Off: a notification only says “please open the app”, so that "
                                              "nobody who sees your lock screen learns anything."))


def alert_plan_form(members, formdata=None):
    """The alert plan: a ring and a "hidden" box per member, and the escalation time."""
    class AlertPlanForm(KringForm):
        escalate_after_minutes = IntegerField(
            _l("Minutes before the next ring is alerted"),
            description=_l("When nobody answers within this time. Between 1 and 30."),
            validators=[InputRequired(message=_l("Fill in a number of minutes.")),
                        NumberRange(min=1, max=30, message=_l("Choose between 1 and 30 minutes."))])

    for m in members:
        setattr(AlertPlanForm, f"ring_{m.id}", RadioField(
            m.user.display_name, choices=[(str(r), RING_LABELS[r]) for r in (1, 2, 3)], default="3"))
        setattr(AlertPlanForm, f"hidden_{m.id}", BooleanField(
            _l("Hide signals from %(name)s", name=m.user.display_name)))
    return AlertPlanForm(formdata=formdata) if formdata is not None else AlertPlanForm()


class SmsNumberForm(KringForm):
    number = StringField(_l("Mobile number"), description=_l("For example 06 12345678. We text you a code to check it."),
                         validators=[DataRequired(message=_l("Fill in your mobile number.")), Length(max=32)],
                         render_kw={"autocomplete": "tel", "inputmode": "tel"})


class SmsCodeForm(KringForm):
    code = StringField(_l("Code from the text message"),
                       validators=[DataRequired(message=_l("Fill in the code from the text message.")),
                                   Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


SMS_CHOICES = [("always", _l("Always, beside the notification")),
               ("fallback", _l("Only when no notification arrived in time"))]


class SmsChoiceForm(KringForm):
    membership_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
    choice = RadioField(_l("Alerts by SMS"), choices=SMS_CHOICES, validators=[DataRequired()])
