"""Forms for a child of the household: name, picture or colour, age band; and their safety persons."""
from wtforms import BooleanField, FileField, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from webapp.forms import KringForm
from webapp.households.forms import MultiCheckboxField
from webapp.i18n import lazy_gettext as _l

AGE_BAND_LABELS = {
    "age_0_3": _l("0 to 3 years"),
    "age_4_6": _l("4 to 6 years"),
    "age_7_9": _l("7 to 9 years"),
    "age_10_12": _l("10 to 12 years"),
    "age_13_up": _l("13 years or older"),
}
AGE_BAND_HINTS = {
    "age_0_3": _l("Big pictures, read aloud first. Very short sentences."),
    "age_4_6": _l("Big pictures, read aloud first. Short sentences."),
}
COLOUR_LABELS = {
    "blue": _l("Blue"), "green": _l("Green"), "purple": _l("Purple"),
    "orange": _l("Orange"), "red": _l("Red"), "teal": _l("Sea green"),
}


class ChildForm(KringForm):
    first_name = StringField(_l("First name"), description=_l("Only the first name. The child sees it in the child view."),
                             validators=[DataRequired(_l("Enter the child's first name.")),
                                         Length(max=40, message=_l("Use at most 40 characters."))],
                             render_kw={"autocomplete": "off"})
    age_band = RadioField(_l("How old is the child?"),
                          description=_l("Kring then writes the child view as simply as the child needs."),
                          choices=list(AGE_BAND_LABELS.items()), default="age_7_9",
                          validators=[DataRequired(_l("Choose how old the child is."))])
    colour = RadioField(_l("Colour"), description=_l("The child's first letter is shown in this colour, when there is no photo."),
                        choices=list(COLOUR_LABELS.items()), default="blue",
                        validators=[DataRequired(_l("Choose a colour."))])
    picture = FileField(_l("Photo (optional)"),
                        description=_l("A photo the child likes. Kring removes the location and other hidden data."),
                        render_kw={"accept": "image/*"})
    kept_picture = HiddenField()  # a photo already checked and kept while something else needed fixing
    remove_picture = BooleanField(_l("Remove the photo and show the colour"))


class SafetyPeopleForm(KringForm):
    safety_people = MultiCheckboxField(_l("Who can the child always go to?"), coerce=int,
                                       description=_l("Choose nobody to keep every safety person of the household."))
