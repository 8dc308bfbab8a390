"""Forms of the safety circle: putting someone on it, and changing where someone stands."""
from wtforms import DateField, RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms import KringForm, SelectField
from webapp.i18n import lazy_gettext as _l
from webapp.safety_circle.labels import RING_LABELS
from webapp.safety_circle.models import Ring

OFF = "off"  # the choice that takes someone off the circle


class AddPersonForm(KringForm):
    """Someone from Kring (a member not on the circle yet), or someone by name who is not in Kring."""
    member = SelectField(_l("Someone in Kring"), coerce=str, validate_choice=True, default="")
    name = StringField(_l("Or the name of someone not in Kring"),
                       description=_l("For example: Opa Henk, Juf Anne, Buurvrouw Els."),
                       validators=[Length(max=80, message=_l("Use at most 80 characters."))],
                       render_kw={"autocomplete": "off"})
    relation = StringField(_l("Who they are to the child"), description=_l("For example: grandfather, teacher, neighbour."),
                           validators=[Length(max=80, message=_l("Use at most 80 characters."))],
                           render_kw={"autocomplete": "off"})
    ring = RadioField(_l("Where on the circle?"), choices=[(r.value, RING_LABELS[r.value]) for r in Ring],
                      validators=[DataRequired(_l("Choose where this person stands."))])

    def validate_name(self, field) -> None:
        name = (field.data or "").strip()
        if not self.member.data and not name:
            raise ValidationError(_l("Choose someone in Kring, or write a name."))
        if self.member.data and name:
            raise ValidationError(_l("Choose someone in Kring or write a name, not both."))


class PlaceForm(KringForm):
    """Where one person stands now: a ring, apart as a professional, or off the circle."""
    ring = RadioField(_l("Where on the circle?"),
                      choices=[(r.value, RING_LABELS[r.value]) for r in Ring] + [(OFF, _l("Not on the circle"))],
                      validators=[DataRequired(_l("Choose where this person stands."))])
    relation = StringField(_l("Who they are to the child"), validators=[Length(max=80, message=_l("Use at most 80 characters."))],
                           render_kw={"autocomplete": "off"})
    # "" (nobody) unless chosen: the page leaves this select out when there is nobody to link.
    member = SelectField(_l("This is someone in Kring"), coerce=str, validate_choice=True, default="",
                         description=_l("When they have joined Kring, choose them here."))


class MoveForm(KringForm):
    """A person dragged to another ring on a wide screen (circle-drag.js)."""
    ring = RadioField(choices=[(r.value, RING_LABELS[r.value]) for r in Ring], validators=[DataRequired()])


class EarlierForm(KringForm):
    """The circle on an earlier day (a GET form: nothing changes)."""
    class Meta:
        csrf = False

    on = DateField(_l("The circle on"), validators=[Optional()])
