"""Forms for signing in and for a person's own settings."""
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TelField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from webapp.auth.services import MIN_PASSWORD_LENGTH, USERNAME_RE
from webapp.auth.two_step import clean_code
from webapp.forms import KringForm
from webapp.i18n import lazy_gettext as _l

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English"), ("ar", "العربية")]


class SignInForm(KringForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired(_l("Enter your username or e-mail address."))],
                        render_kw={"autocomplete": "username webauthn", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this phone"), default=True,
                            description=_l("Only on a phone or computer that nobody else uses."))


def username_field():
    return StringField(
        _l("Username"),
        description=_l("You use this to sign in. At least 3 small letters or numbers; dots, dashes and underscores are allowed too."),
        filters=[lambda v: v.strip().lower() if v else v],
        validators=[DataRequired(_l("Choose a username.")),
                    Regexp(USERNAME_RE, message=_l("Use 3 to 40 small letters, numbers, dots, dashes or underscores, without spaces. Start with a letter or number."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


def new_password_field(label=_l("Password")):
    return PasswordField(
        label,
        description=_l("At least %(n)s characters. A short sentence is easy to remember.", n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(_l("Choose a password.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password"},
    )


def display_name_field():
    return StringField(_l("Your name"), description=_l("How the others in the household see you."),
                       validators=[DataRequired(_l("Enter your name.")), Length(max=80, message=_l("Use at most 80 characters."))],
                       render_kw={"autocomplete": "name"})


class SettingsForm(KringForm):
    display_name = display_name_field()
    email = EmailField(_l("E-mail (optional)"),
                       description=_l("For alerts by e-mail and to sign in with. We send a link to it: the address is "
                                      "added once you open that link."),
                       validators=[Optional(), Email(_l("Enter an e-mail address like name@example.nl.")), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    phone = TelField(_l("Phone number (optional)"), description=_l("So that others in the network can call you."),
                     validators=[Optional(), Regexp(r"^\+?[0-9 ()-]{6,24}$", message=_l("Enter a phone number like 06 12345678."))],
                     render_kw={"autocomplete": "tel"})
    locale = RadioField(_l("Language"), choices=LANGUAGE_CHOICES)
    discreet = BooleanField(_l("Discreet app name and icon"),
                            description=_l("Shows “Notes” with a plain icon instead of Kring, in the page title and when you put the app on your home screen."))


class PasswordForm(KringForm):
    current_password = PasswordField(_l("Current password"), validators=[Optional()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = new_password_field(_l("New password"))
    confirm_password = PasswordField(_l("New password again"),
                                     validators=[EqualTo("new_password", _l("The two passwords are not the same."))],
                                     render_kw={"autocomplete": "new-password"})


class LanguageForm(KringForm):
    locale = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[DataRequired()])


class EmptyForm(KringForm):
    """A form with only its CSRF token, for buttons that change something."""


class CodeForm(KringForm):
    """The 6-digit code of a code app (authenticator), after the password or to switch the code app on."""
    code = StringField(_l("The 6-digit code"), description=_l("Open your code app and type the code it shows for Kring."),
                       filters=[clean_code],
                       validators=[DataRequired(_l("Enter the 6-digit code from your code app.")),
                                   Regexp(r"^\d{6}$", message=_l("Enter the 6 digits of the code, without letters."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "none",
                                  "spellcheck": "false", "maxlength": 9})


class ForgotForm(KringForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired(_l("Enter your username or e-mail address."))],
                        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})


class RecoveryCodeForm(KringForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired(_l("Enter your username or e-mail address."))],
                        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
    code = StringField(_l("Recovery code"), description=_l("One of the codes on your paper, like abcde-fghjk."),
                       validators=[DataRequired(_l("Enter one of your recovery codes."))],
                       render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})


class NewPasswordForm(KringForm):
    new_password = new_password_field(_l("New password"))
    confirm_password = PasswordField(_l("New password again"),
                                     validators=[EqualTo("new_password", _l("The two passwords are not the same."))],
                                     render_kw={"autocomplete": "new-password"})
    # Only asked of a person who set up a code app: a reset never skips their second factor.
    code = StringField(_l("The 6-digit code"), description=_l("Open your code app and type the code it shows for Kring."),
                       filters=[clean_code], validators=[Optional()],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 9})


class MakeCodesForm(KringForm):
    current_password = PasswordField(_l("Your password"), validators=[Optional()],
                                     description=_l("So that nobody else who holds your phone can make new codes."),
                                     render_kw={"autocomplete": "current-password"})
