"""Forms for inviting someone and for joining with a link."""
from datetime import date

from wtforms import DateField, EmailField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from webapp.auth.forms import display_name_field, new_password_field, username_field
from webapp.authz import INVITABLE_ROLES
from webapp.forms import KringForm
from webapp.i18n import ROLE_HINTS, ROLE_LABELS
from webapp.grants.forms import DateMessages, check_end_day
from webapp.i18n import lazy_gettext as _l


class InvitationForm(DateMessages):
    invitee_name = StringField(_l("Who do you invite?"), description=_l("Their name, so you know later who the link was for."),
                               validators=[DataRequired(_l("Enter the name of the person you invite.")),
                                           Length(max=80, message=_l("Use at most 80 characters."))])
    role = RadioField(_l("Which role will this person have?"), default="network_member",
                      choices=[(r.value, ROLE_LABELS[r.value]) for r in INVITABLE_ROLES],
                      validators=[DataRequired(_l("Choose what this person will be."))])
    days = IntegerField(_l("The link works for how many days?"), default=7,
                        validators=[DataRequired(_l("Enter a number of days from 1 to 30.")),
                                    NumberRange(1, 30, message=_l("Enter a number of days from 1 to 30."))],
                        render_kw={"inputmode": "numeric", "min": 1, "max": 30})
    access_until = DateField(_l("A professional can read the summary until"), validators=[Optional()],
                             description=_l("Only for a professional. Usually three months; at most a year. You can end it "
                                            "sooner at any time."))

    role_hints = ROLE_HINTS
    today: date  # set by the view: the household's today

    def validate(self, extra_validators=None) -> bool:
        """The end of access counts for a professional only; for them it is needed."""
        super().validate(extra_validators)
        if self.role.data != "professional":
            self.access_until.errors = []
        elif not self.access_until.errors:
            try:
                check_end_day(self.access_until.data, self.today)
            except ValidationError as error:
                self.access_until.errors.append(error.args[0])
        return not any(f.errors for f in self)


class JoinForm(KringForm):
    display_name = display_name_field()
    username = username_field()
    password = new_password_field()
    email = EmailField(_l("E-mail (optional)"),
                       description=_l("For alerts by e-mail and to sign in with. We send a link to it: the address is "
                                      "added once you open that link."),
                       validators=[Optional(), Email(_l("Enter an e-mail address like name@example.nl.")), Length(max=254)],
                       render_kw={"autocomplete": "email"})
