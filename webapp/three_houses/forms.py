"""The form a child fills in, with a grown-up beside them: a drawing, a picture, a few words, and who may see it."""
from wtforms import FileField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from webapp.forms import KringForm
from webapp.i18n import lazy_gettext as _l

PICTURE_LABELS = {
    "home": _l("Home"), "love": _l("Love"), "happy": _l("Happy"), "sad": _l("Sad"), "scared": _l("Scared"),
    "angry": _l("Angry"), "play": _l("Playing"), "school": _l("School"), "star": _l("Star"), "sun": _l("Sun"),
    "hug": _l("A hug"), "bike": _l("Cycling"),
}
SHARE_LABELS = {
    "helper": _l("Only me and the grown-up helping me now"),
    "safety_people": _l("My safety person(s) too"),
    "network": _l("Everyone in my network"),
}
HOUSE_LABELS = {
    "worries": _l("My house of worries"),
    "good": _l("My house of good things"),
    "dreams": _l("My house of dreams"),
}
HOUSE_SHORT = {  # for the grown-ups' pages: which house, in a word or two
    "worries": _l("House of worries"),
    "good": _l("House of good things"),
    "dreams": _l("House of dreams"),
}
HOUSE_QUESTIONS = {
    "worries": _l("What worries you? What is hard at home?"),
    "good": _l("What is good? What do you like?"),
    "dreams": _l("What do you wish for? How should it be?"),
}


class HouseItemForm(KringForm):
    pictogram = RadioField(_l("Pick a picture"), choices=list(PICTURE_LABELS.items()), validators=[Optional()])
    words = TextAreaField(_l("Say it in a few words"), render_kw={"rows": 3},
                          validators=[Length(max=300, message=_l("That is a lot! Write at most 300 letters."))])
    drawing = HiddenField()  # a PNG data URL made by the drawing canvas
    photo = FileField(_l("Or a photo (of a drawing on paper, for example)"),
                      description=_l("Kring removes where and when it was taken."),
                      render_kw={"accept": "image/*"})
    share_with = RadioField(_l("Who may see this?"), choices=list(SHARE_LABELS.items()), default="helper")
