"""Forms for a page of a Words & Pictures book, and the labels of books and pictograms."""
import base64

from wtforms import FileField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Optional, ValidationError

from webapp import uploads as images
from webapp.forms import KringForm
from webapp.i18n import lazy_gettext as _l
from webapp.words_pictures import services

BOOK_LABELS = {"story": _l("The story"), "plan": _l("The picture plan")}
BOOK_EXPLANATIONS = {
    "story": _l("Who is worried, what happened, and what happens now. Make it with the parents, in their words."),
    "plan": _l("The agreements the child needs to know: who they can go to, what the safe object is, "
               "and what the grown-ups will do."),
}
# What the child sees on the buttons of the child view.
CHILD_BOOK_LABELS = {"story": _l("My story"), "plan": _l("My plan")}
BOOK_ICONS = {"story": "📖", "plan": "🗺️"}
PICTOGRAM_LABELS = {
    "child": _l("Child"), "mum": _l("Mum"), "dad": _l("Dad"), "grandma": _l("Grandma"), "grandpa": _l("Grandpa"),
    "family": _l("Family"), "helper": _l("Helpers"), "happy": _l("Happy"), "sad": _l("Sad"), "angry": _l("Angry"),
    "scared": _l("Scared"), "worried": _l("Worried"), "calm": _l("Calm"), "love": _l("Love"), "hug": _l("Hug"),
    "talk": _l("Talking"), "phone": _l("Phone"), "bell": _l("Alarm"), "teddy": _l("Cuddly toy"), "home": _l("At home"),
    "school": _l("School"), "bed": _l("Bedtime"), "food": _l("Eating"), "play": _l("Playing"), "sun": _l("A good day"),
    "star": _l("Well done"), "stop": _l("Stop"), "calendar": _l("Every week"),
}
PICTURE_KINDS = {"pictogram": _l("A pictogram"), "drawing": _l("Draw it here"),
                 "photo": _l("A photo of a drawing on paper")}


def one_to_three_sentences(form, field) -> None:
    try:
        services.check_text(field.data)
    except services.TextProblem as problem:
        if problem.reason == "empty":
            raise ValidationError(_l("Write one to three short sentences for this page.")) from None
        if problem.reason == "too_many_sentences":
            raise ValidationError(_l("This page has %(num)s sentences. Keep at most %(max)s, and put the rest on a "
                                     "new page.", num=problem.count, max=services.MAX_SENTENCES)) from None
        raise ValidationError(_l("Write at most %(max)s letters on a page, and put the rest on a new page.",
                                 max=services.MAX_TEXT)) from None


class PageForm(KringForm):
    text = TextAreaField(
        _l("What does this page say?"),
        description=_l("One to three short sentences, in the words you would use with the child."),
        validators=[one_to_three_sentences],
        render_kw={"rows": 4, "data-plain-language": "child"})
    picture_kind = RadioField(_l("Which picture?"), choices=list(PICTURE_KINDS.items()),
                              validators=[Optional()])
    pictogram = RadioField(_l("Pick a pictogram"), choices=list(PICTOGRAM_LABELS.items()), validators=[Optional()])
    drawing = HiddenField()  # a PNG data URL made by the drawing canvas
    photo = FileField(_l("Photo of the drawing"),
                      description=_l("Take a photo of a drawing on paper. Kring removes the location and other "
                                     "hidden data."),
                      render_kw={"accept": "image/*"})
    kept_photo = HiddenField()  # a photo already checked and kept while something else needed fixing


def drawing_image(data_url: str) -> images.CleanImage:
    """The canvas drawing, sent as a PNG data URL; raises ImageRejected when it is not one."""
    return images.from_data_url(data_url)


def drawing_data_url(path) -> str:
    """A stored drawing as a data URL, so that the canvas can show it again for more drawing."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
