"""Forms of the genogram: a relative, and how two relatives stand."""
from wtforms import BooleanField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from webapp.forms import KringForm, SelectField
from webapp.genogram.labels import BOND_LABELS, KIN_LABELS, SHAPE_LABELS
from webapp.i18n import lazy_gettext as _l

SIDED = {"grandparent", "partner", "aunt_uncle"}  # these belong to one parent's side


class RelativeForm(KringForm):
    name = StringField(_l("Name"), description=_l("As the family says it: Oma Joke, Mark, Linda."),
                       validators=[DataRequired(_l("Write a name.")), Length(max=80, message=_l("Use at most 80 characters."))],
                       render_kw={"autocomplete": "off"})
    kin = RadioField(_l("Who is this to the child?"), choices=list(KIN_LABELS.items()),
                     validators=[DataRequired(_l("Choose who this is to the child."))])
    # Each select defaults to "" (none): the page leaves out a select with nothing to choose yet.
    of = SelectField(_l("On whose side?"), coerce=str, validate_choice=True, default="",
                     description=_l("For a grandparent, a new partner, an aunt or uncle: which parent they belong to. "
                                    "For a half brother or sister: their parent."))
    shape = RadioField(_l("Drawn as"), choices=list(SHAPE_LABELS.items()), default="diamond",
                       validators=[DataRequired(_l("Choose how to draw this person."))])
    born = IntegerField(_l("Year of birth (if you want)"), validators=[
        Optional(), NumberRange(min=1900, max=2100, message=_l("Write a year, for example 1961."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    deceased = BooleanField(_l("Has died"))
    in_household = BooleanField(_l("Lives in the household"))
    member = SelectField(_l("This is someone in Kring"), coerce=str, validate_choice=True, default="")
    child = SelectField(_l("This is a child of the household"), coerce=str, validate_choice=True, default="")
    circle_person = SelectField(_l("On the safety circle as"), coerce=str, validate_choice=True, default="")

    def validate_of(self, field) -> None:
        if self.kin.data in SIDED and not field.data and len(field.choices) > 1:
            raise ValidationError(_l("Choose which parent they belong to."))


class BondForm(KringForm):
    a = SelectField(_l("Who"), coerce=str, validate_choice=True, validators=[DataRequired(_l("Choose two people."))])
    b = SelectField(_l("And who"), coerce=str, validate_choice=True, validators=[DataRequired(_l("Choose two people."))])
    bond = RadioField(_l("How do they stand?"), choices=list(BOND_LABELS.items()),
                      validators=[DataRequired(_l("Choose how they stand."))])

    def validate_b(self, field) -> None:
        if field.data and field.data == self.a.data:
            raise ValidationError(_l("Choose two different people."))
