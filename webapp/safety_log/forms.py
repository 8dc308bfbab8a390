"""Forms for writing, correcting and filtering safety-log entries, and for a child's message."""
from wtforms import BooleanField, DateField, DateTimeLocalField, HiddenField, MultipleFileField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.forms import KringForm, SelectField
from webapp.i18n import lazy_gettext as _l
from webapp.safety_log.services import MAX_TEXT

KIND_LABELS = {
    "went_well": _l("Went well"),
    "nearly_wrong": _l("Nearly went wrong"),
    "went_wrong": _l("Went wrong"),
    "calm_moment": _l("Calm moment"),
    "child_wellbeing": _l("How the child is doing"),
    "child_message": _l("Message from the child"),
}
KIND_ICONS = {"went_well": "✅", "nearly_wrong": "⚠️", "went_wrong": "❌", "calm_moment": "🌿",
              "child_wellbeing": "🧒", "child_message": "✏️"}
ADULT_KINDS = ["went_well", "nearly_wrong", "went_wrong", "calm_moment", "child_wellbeing"]
MOODS = [(1, "😢", _l("Very bad")), (2, "🙁", _l("Not good")), (3, "😐", _l("So-so")),
         (4, "🙂", _l("Good")), (5, "😄", _l("Very good"))]
PICTOGRAM_LABELS = {
    "happy": _l("Happy"), "sad": _l("Sad"), "angry": _l("Angry"), "scared": _l("Scared"), "love": _l("Love"),
    "home": _l("At home"), "school": _l("School"), "play": _l("Playing"), "sleep": _l("Tired"), "hurt": _l("Hurt"),
}
TOO_LONG = _l("Write at most %(n)s characters. Split a long story over two entries.", n=MAX_TEXT)
CLIENT_ID = [DataRequired(), Regexp(r"^[A-Za-z0-9-]{8,64}$")]


def _text(label, description=None):
    return TextAreaField(label, description=description, validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
                         render_kw={"rows": 4})


class EntryForm(KringForm):
    client_id = HiddenField(validators=CLIENT_ID)
    # Who was signed in when the form was filled: an entry kept offline on a shared phone must not be
    # saved under the name of whoever happens to be signed in when it is finally sent.
    author_check = HiddenField()
    kind = RadioField(_l("What kind of moment?"), choices=[(k, KIND_LABELS[k]) for k in ADULT_KINDS],
                      validators=[DataRequired(_l("Choose what kind of moment it was."))])
    what_happened = _text(_l("What happened?"), _l("Write it as you would tell it. Short is fine."))
    what_was_done = _text(_l("What did someone do?"),
                          _l("So that it went well, or to stop it or to prevent it. Who did what?"))
    occurred_at = DateTimeLocalField(_l("When did it happen?"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(_l("Enter the day and time, like 14-03-2026 18:30."))])
    child_mood = RadioField(_l("How is the child doing? (optional)"), coerce=int, validators=[Optional()],
                            choices=[(value, label) for value, _, label in MOODS], validate_choice=True)
    photos = MultipleFileField(_l("Photos (optional)"),
                               description=_l("For example a photo of a note or of the safe object. "
                                              "Kring removes the location and other hidden data."),
                               render_kw={"accept": "image/*"})
    # The lineage id of an agreement of the safety plan in force; the view fills the choices.
    agreement = SelectField(_l("Which agreement is this about? (optional)"), validators=[Optional()],
                            validate_choice=False)
    # When the writer has agreements of their own, `agreement` is asked as "was this about yours?" (radios) and
    # the plan's other agreements are in this list, for the answer "another agreement" (value "other").
    agreement_other = SelectField(_l("Which agreement?"), validators=[Optional()], validate_choice=False)

    def has_text(self) -> bool:
        return bool((self.what_happened.data or "").strip() or (self.what_was_done.data or "").strip())


class CorrectionForm(KringForm):
    kind = RadioField(_l("What kind of moment?"), choices=[(k, KIND_LABELS[k]) for k in KIND_LABELS],
                      validators=[DataRequired(_l("Choose what kind of moment it was."))])
    what_happened = _text(_l("What happened?"))
    what_was_done = _text(_l("What did someone do?"))
    occurred_at = DateTimeLocalField(_l("When did it happen?"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(_l("Enter the day and time, like 14-03-2026 18:30."))])
    child_mood = RadioField(_l("How is the child doing? (optional)"), coerce=int, validators=[Optional()],
                            choices=[(value, label) for value, _, label in MOODS])


class ChildMessageForm(KringForm):
    client_id = HiddenField(validators=CLIENT_ID)
    pictogram = RadioField(_l("Pick a picture"), choices=[(k, v) for k, v in PICTOGRAM_LABELS.items()],
                           validators=[Optional()])
    words = TextAreaField(_l("Write a few words"), validators=[Length(max=1000, message=_l("That is a lot! Write at most 1000 letters."))],
                          render_kw={"rows": 3})
    drawing = HiddenField()  # a PNG data URL made by the drawing canvas


class FilterForm(KringForm):
    class Meta:
        csrf = False  # a GET form that only reads

    author = SelectField(_l("Who wrote it"), coerce=str, validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=[("", _l("All kinds"))] + [(k, v) for k, v in KIND_LABELS.items()],
                       validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Up to and including"), validators=[Optional()])
    agreement = SelectField(_l("About the agreement"), validators=[Optional()], validate_choice=False)
    highlighted = BooleanField(_l("Only marked for the network meeting"))
