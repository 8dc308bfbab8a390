"""Forms for creating a household and setting a member's roles."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from webapp.i18n import ROLE_LABELS


class CreateHouseholdForm(FlaskForm):
    name = StringField(_l("Name of the household"), description=_l("For example “Family Jansen”. Everyone invited sees this name."),
                       validators=[DataRequired(_l("Enter a name for the household.")), Length(max=80, message=_l("Use at most 80 characters."))])
    my_role = RadioField(_l("Your role"), default="household_member",
                         choices=[("household_member", _l("I live in this household (parent or carer)")),
                                  ("chair", _l("I help the household and chair the network meetings"))],
                         validators=[DataRequired(_l("Choose your role."))])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=[(k, v) for k, v in ROLE_LABELS.items()],
                               validators=[DataRequired(_l("Choose at least one role."))])
