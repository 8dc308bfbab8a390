"""Forms of network meetings: planning one, replying, a question beforehand, and the chair's minutes, scores and
decisions. The views fill the choices (people, danger statements, scales, agreements) from the household."""
from wtforms import (
    DateField,
    RadioField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from webapp.forms import KringForm, SelectField
from webapp.households.examples import example
from webapp.households.forms import MultiCheckboxField
from webapp.i18n import lazy_gettext as _l
from webapp.safety_scales.forms import ScoreField, _score_or_none
from webapp.safety_scales.services import MAX_SCORE, MIN_SCORE

BAD_DAY = _l("Enter the day, like 24-11-2026.")
PLAIN = {"data-plain-language": True}
DURATIONS = [(60, _l("1 hour")), (90, _l("1½ hours")), (120, _l("2 hours")), (150, _l("2½ hours"))]
CHANGE_LABELS = {
    "none": _l("No change to the plan"),
    "add": _l("A new agreement"),
    "change": _l("New words for an agreement"),
    "remove": _l("An agreement is no longer needed"),
}
REPLY_LABELS = {"coming": _l("I am coming"), "not_coming": _l("I cannot come")}


def _at_most(n: int):
    return Length(max=n, message=_l("Use at most %(n)s characters.", n=n))


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _notes(label, hint):
    return TextAreaField(label, description=hint, validators=[Optional(), _at_most(4000)],
                         render_kw={"rows": 4, **PLAIN})


class MeetingForm(KringForm):
    day = DateField(_l("Day"), validators=[DataRequired(BAD_DAY)])
    start = TimeField(_l("Start time"), validators=[DataRequired(_l("Enter the start time, like 19:30."))])
    duration = SelectField(_l("How long"), coerce=int, choices=DURATIONS, default=90)
    place = StringField(_l("Where"), description=example(
        _l("For example “At %(adult)s’s home”. Leave it empty for a video call only."),
        _l("For example “At grandma’s home”. Leave it empty for a video call only.")), validators=[Optional(), _at_most(200)])
    video_link = StringField(_l("Video call link (optional)"), description=_l("The link people tap to join."),
                             validators=[Optional(), URL(message=_l("This is not a link. It starts with https://")),
                                         _at_most(500)], render_kw={"inputmode": "url"})
    topics = MultiCheckboxField(_l("What is it about?"), coerce=int, validate_choice=False,
                                description=_l("The danger statements this meeting talks about."))
    chair = SelectField(_l("Who chairs it?"), coerce=_int_or_none, validate_choice=False)
    invitees = MultiCheckboxField(_l("Who is invited?"), coerce=int, validate_choice=False,
                                  description=_l("They get a message on their phone and an e-mail with a calendar file."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.day.errors and self.day.raw_data and self.day.raw_data[0]:
            self.day.errors[:] = [BAD_DAY]
        if not (self.place.data or "").strip() and not (self.video_link.data or "").strip() and not self.place.errors:
            self.place.errors.append(_l("Write where you meet, or give a video call link."))
            ok = False
        return ok


class ReplyForm(KringForm):
    reply = RadioField(_l("Are you coming?"), choices=list(REPLY_LABELS.items()),
                       validators=[DataRequired(_l("Choose whether you are coming."))])


class QuestionForm(KringForm):
    text = TextAreaField(_l("What do you want to talk about?"),
                         description=_l("For example “How do we handle the weekends at dad’s?”. Everyone invited can "
                                        "read it."),
                         validators=[DataRequired(_l("Write what you want to talk about.")), _at_most(1000)],
                         render_kw={"rows": 3})


class MinutesForm(KringForm):
    chair = SelectField(_l("Who chaired the meeting?"), coerce=_int_or_none, validate_choice=False)
    attended = MultiCheckboxField(_l("Who was there?"), coerce=int, validate_choice=False)
    worries = _notes(_l("What are we worried about?"), _l("What was said about the worries. Short is fine."))
    going_well = _notes(_l("What is going well?"), _l("What people saw that works."))
    next_steps = _notes(_l("What needs to happen?"), _l("Who does what before the next meeting."))
    next_day = DateField(_l("Day of the next meeting (optional)"), validators=[Optional()])
    next_start = TimeField(_l("Start time of the next meeting"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.next_day.errors and self.next_day.raw_data and self.next_day.raw_data[0]:
            self.next_day.errors[:] = [BAD_DAY]
        if self.next_day.data and not self.next_start.data and not self.next_start.errors:
            self.next_start.errors.append(_l("Enter the start time, like 19:30."))
            ok = False
        if self.next_start.data and not self.next_day.data and not self.next_day.errors:
            self.next_day.errors.append(BAD_DAY)
            ok = False
        return ok


class MeetingScoreForm(KringForm):
    person = SelectField(_l("Who gave the score?"), coerce=_int_or_none, validate_choice=False,
                         validators=[DataRequired(_l("Choose who gave the score."))])
    scale = SelectField(_l("Which scale?"), coerce=_int_or_none, validate_choice=False,
                        validators=[DataRequired(_l("Choose the scale."))])
    score = ScoreField(_l("The score, from 0 to 10"), coerce=_score_or_none,
                       choices=[(n, str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)])
    behaviour = TextAreaField(_l("What did they see that makes it this number?"),
                              validators=[DataRequired(_l("Write what they saw that makes it this number.")),
                                          _at_most(2000)], render_kw={"rows": 3})


class DecisionForm(KringForm):
    text = TextAreaField(_l("What was decided?"), validators=[DataRequired(_l("Write what was decided.")),
                                                               _at_most(2000)], render_kw={"rows": 3, **PLAIN})
    change = RadioField(_l("Does it change the safety plan?"), choices=list(CHANGE_LABELS.items()), default="none",
                        validators=[DataRequired(_l("Choose whether it changes the safety plan."))])
    agreement = SelectField(_l("Which agreement? (for new words or no longer needed)"), coerce=_int_or_none,
                            validate_choice=False)
    proposed_text = TextAreaField(_l("The agreement in the new words (for a new agreement or new words)"),
                                  description=_l("In simple words, as you would say it."),
                                  validators=[Optional(), _at_most(1000)], render_kw={"rows": 3, **PLAIN})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.change.data in ("add", "change") and not (self.proposed_text.data or "").strip():
            self.proposed_text.errors.append(_l("Write the agreement as it should be in the plan."))
            ok = False
        if self.change.data in ("change", "remove") and self.agreement.data is None:
            self.agreement.errors.append(_l("Choose the agreement."))
            ok = False
        return ok
