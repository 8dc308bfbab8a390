"""Forms for planning activities in the resilience calendar and for a child's addition."""
from wtforms import BooleanField, DateField, RadioField, StringField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import KringForm
from webapp.households.examples import example
from webapp.households.forms import MultiCheckboxField
from webapp.i18n import lazy_gettext as _l
from webapp.resilience_calendar.services import FIRST_DAY, LAST_DAY

ELEMENT_LABELS = {
    "loving_contact": _l("Loving contact"),
    "sleep": _l("Enough sleep"),
    "exercise": _l("Exercise"),
    "outdoors": _l("Being outside"),
    "mindfulness": _l("Rest and attention"),
    "healthy_food": _l("Healthy food"),
}
ELEMENT_ICONS = {"loving_contact": "❤️", "sleep": "😴", "exercise": "🚲", "outdoors": "🌳",
                 "mindfulness": "🧘", "healthy_food": "🥦"}
ELEMENT_SUGGESTIONS = {
    "loving_contact": _l("A cuddle, reading together or ten minutes of full attention already counts."),
    "sleep": _l("Plan a fixed bedtime with a calm half hour before it."),
    "exercise": _l("Cycling to school, dancing in the living room or playing tag all count."),
    "outdoors": _l("A short walk after school or playing in the garden counts too."),
    "mindfulness": _l("A few quiet minutes: breathing slowly together, colouring, or listening to music."),
    "healthy_food": _l("Eating fruit together or a meal at the table counts."),
}
PART_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon"), "evening": _l("Evening"), "night": _l("Night")}
CHILD_PRESETS = {  # what a child can tap: key -> (label, elements)
    "outside": (_l("I played outside"), {"outdoors", "exercise"}),
    "slept": (_l("I slept well"), {"sleep"}),
    "cuddle": (_l("I had a cuddle"), {"loving_contact"}),
    "fruit": (_l("I ate fruit or vegetables"), {"healthy_food"}),
    "sport": (_l("I did sports"), {"exercise"}),
    "calm": (_l("I did something calm"), {"mindfulness"}),
}
CHILD_ICONS = {"outside": "🌳", "slept": "😴", "cuddle": "🤗", "fruit": "🍎", "sport": "⚽", "calm": "🧘"}


class ActivityForm(KringForm):
    day = DateField(_l("Day"), validators=[DataRequired(_l("Enter the day, like 24-11-2026."))])
    start_time = TimeField(_l("Start time"), description=_l("Or choose a part of the day below."), validators=[Optional()])
    end_time = TimeField(_l("Until (optional)"), validators=[Optional()])
    part_of_day = RadioField(_l("Or part of the day"), choices=list(PART_LABELS.items()), validators=[Optional()])
    description = StringField(_l("What do you do?"), description=_l("For example “Breakfast together” or “Walk the dog”."),
                              validators=[DataRequired(_l("Write what you do.")),
                                          Length(max=200, message=_l("Use at most 200 characters."))])
    elements = MultiCheckboxField(_l("Which elements does it bring?"), choices=list(ELEMENT_LABELS.items()),
                                  validators=[DataRequired(_l("Choose at least one element."))])
    with_whom = StringField(_l("Who does it, with whom? (optional)"), description=example(_l("For example “%(child)s with %(adult)s”."),
                                                                                  _l("For example “Your child with grandma”.")),
                            validators=[Optional(), Length(max=120, message=_l("Use at most 120 characters."))])
    repeat_weekly = BooleanField(_l("Every week"), description=_l("Also plans it on this day for the next weeks. You can change one week later."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.day.data and not FIRST_DAY <= self.day.data <= LAST_DAY:
            self.day.errors.append(_l("Enter the day, like 24-11-2026."))
            ok = False
        if self.start_time.data and self.end_time.data and self.end_time.data <= self.start_time.data:
            self.end_time.errors.append(_l("The end is before the start. Check the times."))
            ok = False
        if not self.start_time.data and not self.part_of_day.data and not self.start_time.errors:
            self.start_time.errors.append(_l("Enter a start time or choose a part of the day."))
            ok = False
        return ok


class ChildActivityForm(KringForm):
    preset = RadioField(_l("What did you do?"), choices=[(k, v[0]) for k, v in CHILD_PRESETS.items()],
                        validators=[DataRequired(_l("Tap a picture."))])
