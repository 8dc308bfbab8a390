"""Forms for creating a household and setting a member's roles, and two form helpers the other capabilities share."""
from wtforms import DateField, RadioField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from webapp.forms import KringForm
from webapp.i18n import ROLE_LABELS
from webapp.i18n import lazy_gettext as _l


class DateMessages(KringForm):
    """A date the browser could not read gets our own message (`bad_date`), in the person's language."""
    bad_date = _l("Enter the day, like 24-11-2026.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for f in self:
            if isinstance(f, DateField) and f.errors and f.raw_data and f.raw_data[0] and f.data is None:
                f.errors[:] = [self.bad_date]
        return ok


class CreateHouseholdForm(KringForm):
    name = StringField(_l("Name of the household"), description=_l("For example “Family Jansen”. Everyone invited sees this name."),
                       validators=[DataRequired(_l("Enter a name for the household.")), Length(max=80, message=_l("Use at most 80 characters."))])
    my_role = RadioField(_l("Your role"), default="household_member",
                         choices=[("household_member", _l("I live in this household (parent or carer)")),
                                  ("chair", _l("I help the household and chair the network meetings"))],
                         validators=[DataRequired(_l("Choose your role."))])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RolesForm(KringForm):
    roles = MultiCheckboxField(_l("Roles"), choices=[(k, v) for k, v in ROLE_LABELS.items() if k != "child"],
                               validators=[DataRequired(_l("Choose at least one role."))])
