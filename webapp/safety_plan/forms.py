"""Forms for the safety plan: an agreement, the safe object, informing and evaluation, an approval."""
from flask_babel import to_user_timezone
from wtforms import BooleanField, DateField, FileField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from webapp.auth.models import utcnow
from webapp.forms import KringForm, SelectField
from webapp.households.examples import example
from webapp.households.forms import DateMessages, MultiCheckboxField
from webapp.i18n import lazy_gettext as _l

KIND_LABELS = {"direct": _l("Direct safety plan"), "stable": _l("Stable safety plan")}
STATUS_LABELS = {"draft": _l("Draft"), "agreed": _l("Agreed"), "approved": _l("Approved")}
# The names of what can change between two versions, as people read them.
FIELD_LABELS = {
    "what": _l("What we agree"),
    "who": _l("Who"),
    "when": _l("When"),
    "how_checked": _l("How we check it"),
    "if_it_goes_wrong": _l("When it threatens to go wrong"),
    "danger_statement": _l("The worry it answers"),
    "picture": _l("Picture"),
    "safe_object_what": _l("The safe object"),
    "safe_object_where": _l("Where it is put"),
    "safe_object_action": _l("What the watchers then do"),
    "how_we_inform": _l("How we keep each other informed"),
    "evaluation_date": _l("When we look at the plan again"),
}
PLAIN = {"data-plain-language": True}  # the plain-language helper flags long sentences and jargon here
BAD_DATE = _l("Enter the day, like 24-11-2026.")


def _at_most(n: int):
    return Length(max=n, message=_l("Use at most %(n)s characters.", n=n))


def _text(label, description=None, limit=2000, rows=3, required=None):
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, description=description, validators=[*validators, _at_most(limit)],
                         render_kw={"rows": rows, **PLAIN})


class AgreementForm(KringForm):
    what = _text(_l("What do we agree?"),
                 example(
                     _l("In simple words, as you would say it. For example “%(child)s goes to bed at half past seven "
                        "and mum reads a story first.”"),
                     _l("In simple words, as you would say it. For example “The children go to bed at half past seven "
                        "and mum reads a story first.”")), limit=1000, required=_l("Write what you agree."))
    who = StringField(_l("Who does it? (optional)"), description=example(
        _l("Names, for example “%(adult)s, and grandma on Wednesdays”."),
        _l("Names, for example “Mum, and grandma on Wednesdays”.")),
                      validators=[Optional(), _at_most(300)])
    when = StringField(_l("When? (optional)"), description=_l("For example “Every evening” or “On school days at 8:00”."),
                       validators=[Optional(), _at_most(300)])
    how_checked = _text(_l("How do we check it? (optional)"),
                        _l("Planned and unplanned visits, preferably by the network. Who comes by, and how often?"))
    if_it_goes_wrong = _text(_l("What do we do when it threatens to go wrong? (optional)"),
                             _l("Who does what? Who is called?"))
    danger_statement = SelectField(_l("Which worry does it answer? (optional)"), validators=[Optional()],
                                   validate_choice=False)
    picture = FileField(_l("A picture (optional)"),
                        description=_l("A drawing or photo that helps to remember it. Kring removes the location and "
                                       "other hidden data."),
                        render_kw={"accept": "image/*"})
    remove_picture = BooleanField(_l("Remove the picture"))

    def validate_danger_statement(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            field.data = ""
            raise ValidationError(_l("This worry is not in the plan any more. Choose another one, or leave it empty."))

    def statement_id(self) -> int | None:
        return int(self.danger_statement.data) if (self.danger_statement.data or "").isdigit() else None


class SafeObjectForm(KringForm):
    what = StringField(_l("What is the safe object?"), description=example(
        _l("For example “%(child)s’s teddy bear”."), _l("For example “The teddy bear from the child’s bed”.")),
                       validators=[DataRequired(_l("Write what the safe object is.")), _at_most(200)])
    where = StringField(_l("Where is it put when the child is worried?"),
                        description=_l("A place the network can see, for example “in the front window”."),
                        validators=[Optional(), _at_most(200)])
    watchers = MultiCheckboxField(_l("Who watches for it?"), coerce=int, validate_choice=False,
                                  description=_l("They are alerted first when someone signals that the object was moved."))
    action = _text(_l("What do they do when they see it?"),
                   example(_l("For example “Call %(adult)s at once, and come by if there is no answer.”"),
                           _l("For example “Call mum at once, and come by if there is no answer.”")))


class DetailsForm(DateMessages):
    how_we_inform = _text(_l("How do we keep each other informed? (optional)"),
                          _l("For example “We write in the safety log and call each other when something happens.”"))
    evaluation_date = DateField(_l("When do we look at the plan again? (optional)"), validators=[Optional()])


class ApprovalForm(DateMessages):
    name = StringField(_l("Who approved it?"), description=_l("The name of the professional."),
                       validators=[DataRequired(_l("Enter the name of the person who approved the plan.")), _at_most(80)])
    role = StringField(_l("In which role?"), description=_l("For example “youth protection worker”."),
                       validators=[DataRequired(_l("Enter the role of the person who approved the plan.")), _at_most(80)])
    approved_on = DateField(_l("On which day?"), validators=[DataRequired(BAD_DATE)])

    def validate_approved_on(self, field):
        if field.data and field.data > to_user_timezone(utcnow()).date():
            raise ValidationError(_l("This day is still to come. Enter the day it was approved."))


class MoveForm(KringForm):
    step = HiddenField(validators=[AnyOf(["up", "down"])])
