"""Forms for a danger statement with its goal and scale, for a score, and for moving to another phase."""
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from webapp.forms import KringForm
from webapp.households.examples import example
from webapp.i18n import PHASE_LABELS
from webapp.i18n import lazy_gettext as _l
from webapp.safety_scales.services import MAX_SCORE, MIN_SCORE

MAX_TEXT = 2000
MAX_NAME = 120
# Textareas that the plain-language helper (static/js) checks for long sentences, long words and jargon.
PLAIN = {"rows": 3, "data-plain-language": True}


def _text(label, hint, missing):
    return TextAreaField(label, description=hint, render_kw=PLAIN, validators=[
        DataRequired(missing), Length(max=MAX_TEXT, message=_l("Write at most %(n)s characters.", n=MAX_TEXT))])


class StatementForm(KringForm):
    who_is_worried = _text(
        _l("Who is worried?"),
        example(_l("For example: “%(child)s’s teacher, %(adult)s and the youth protection worker.”"),
                _l("For example: “The teacher, grandma and the youth protection worker.”")),
        _l("Write who is worried."))
    what_adults_do = _text(
        _l("What do the adults do that causes the worry?"),
        example(
            _l("What happens, as people see or hear it. For example: “When the parents argue on the phone, they "
               "shout and slam doors while %(child)s hears it.”"),
            _l("What happens, as people see or hear it. For example: “When the parents argue on the phone, they "
               "shout and slam doors while the child hears it.”")),
        _l("Write what the adults do that causes the worry."))
    worst_case = _text(
        _l("What is the worst that could happen to the child if nothing changes?"),
        example(
            _l("For example: “%(child)s gets scared, sleeps badly and no longer dares to tell anyone what happens "
               "at home.”"),
            _l("For example: “The child gets scared, sleeps badly and no longer dares to tell anyone what happens "
               "at home.”")),
        _l("Write what could happen to the child if nothing changes."))
    goal = _text(
        _l("The safety goal: what does everyone want to see instead?"),
        example(
            _l("What the adults will do, so concretely that everyone can see it. Not a list of help or courses. "
               "For example: “The parents only talk when %(child)s is asleep or not at home.”"),
            _l("What the adults will do, so concretely that everyone can see it. Not a list of help or courses. "
               "For example: “The parents only talk when the child is asleep or not at home.”")),
        _l("Write what everyone wants to see instead."))
    scale_name = StringField(
        _l("A short name for the safety scale"),
        description=_l("Shown above the scale and its chart. For example: “Calm when the parents talk”."),
        validators=[DataRequired(_l("Give the scale a short name.")),
                    Length(max=MAX_NAME, message=_l("Write at most %(n)s characters.", n=MAX_NAME))])


def _score_or_none(value):
    """Radio values are text; anything that is not a whole number becomes None (and gets the form's message)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ScoreField(RadioField):
    """0..10 as large radio buttons; a number outside 0-10 or none at all gets one clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "RadioField"  # the error summary links to its first button, as for any radio field

    def pre_validate(self, form):
        if self.data is None or not MIN_SCORE <= self.data <= MAX_SCORE:
            raise StopValidation(_l("Choose a number from 0 to 10."))


class ScoreForm(KringForm):
    score = ScoreField(_l("Where are we now, from 0 to 10?"), coerce=_score_or_none,
                       description=_l("Think of the last weeks. 0 means the danger statement is what happens; 10 means "
                                      "the goal is reached."),
                       choices=[(n, str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)])
    behaviour = TextAreaField(
        _l("What did you see that makes it this number?"),
        description=example(
            _l("Write what someone did or said that you saw or heard yourself. For example: “On Tuesday mum got "
               "angry, went to the kitchen and called %(adult)s instead of shouting.”"),
            _l("Write what someone did or said that you saw or heard yourself. For example: “On Tuesday mum got "
               "angry, went to the kitchen and called grandma instead of shouting.”")),
        render_kw={**PLAIN, "rows": 4},
        validators=[DataRequired(_l("Write what you saw that makes it this number.")),
                    Length(max=MAX_TEXT, message=_l("Write at most %(n)s characters.", n=MAX_TEXT))])


class PhaseMoveForm(KringForm):
    to_phase = RadioField(_l("Move to"), choices=list(PHASE_LABELS.items()),
                          validators=[DataRequired(_l("Choose the phase to move to."))])
    note = TextAreaField(_l("Note (not required)"),
                         description=_l("For example what the network meeting decided, and who agreed."),
                         render_kw={"rows": 3},
                         validators=[Length(max=MAX_TEXT, message=_l("Write at most %(n)s characters.", n=MAX_TEXT))])

    def limit_to_other_phases(self, current: str) -> None:
        self.to_phase.choices = [(k, v) for k, v in PHASE_LABELS.items() if k != current]
