"""Background work of accounts on huey (registered by webapp.worker): the e-mail that checks a typed address, notices
about a person's own account, and the reset link."""
import logging

from flask_babel import force_locale, gettext as _

from webapp.auth import email_address, recovery
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.notify import services as notify, sms
from webapp.notify.messages import email, notice, text
from webapp.notify.sender import Sender
from webapp.queue import app, huey

log = logging.getLogger(__name__)


def send_check(user: User, address: str) -> None:
    """Queue the e-mail to `address` (after the commit: the worker reads the account)."""
    send_address_check(user.id, email_address.normalise(address))


@huey.task()
def send_address_check(user_id: int, address: str) -> bool:
    """Send the link (or, for an address that already has an account, the note to its owner). The person who typed
    it sees the same answer either way, so a failure is only logged: they can type the address again."""
    config = app().config
    with app().app_context():
        user = db.session.get(User, user_id)
        mail = email_address.check_mail(db.session, user, address, config["SECRET_KEY"], config["BASE_URL"],
                                        config["BABEL_DEFAULT_LOCALE"]) if user is not None else None
        db.session.remove()
    if mail is None:
        return False
    outcome = Sender(config).send(email(mail.to, mail.subject, mail.body))
    if outcome.error:
        log.warning("address check for user %s not sent: %s", user_id, outcome.error)
    return outcome.error is None


def account_notice_texts(user, kind: str, app_name: str, about: str = "") -> tuple[str, str]:
    """Subject and text of a notice about the person's own account (in the reader's language, set by the caller)."""
    if kind == "recovery_started":
        return (_("Someone asked for a new sign-in for your %(app)s account", app=app_name),
                _("Someone asked for a new sign-in for your account. Not you? Cancel it."))
    if kind == "recovery_cancelled":
        return (_("A new sign-in was cancelled"),
                _("The new sign-in for %(name)s was cancelled. Nothing has changed in that account.", name=about))
    return (_("Your %(app)s password was changed", app=app_name),
            _("Your password was changed, and you are signed out on your other phones and computers. Was it not "
              "you? Ask your household for help straight away."))


_NOTICE_PATHS = {"recovery_started": "/settings/recovery", "recovery_cancelled": "/", "password_changed": "/sign-in"}


@huey.task()
def send_account_notice(user_id: int, kind: str, about: str = "") -> int:
    """Tell a person something about their own account on every device, by e-mail (an address is only stored once
    confirmed) and by text message (a confirmed number): a new sign-in was asked for, their password changed, or
    (to the manager who started it) a new sign-in was cancelled."""
    config = app().config
    base = config["BASE_URL"].rstrip("/")
    with app().app_context():
        user = db.session.get(User, user_id)
        if user is None:
            return 0
        with force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]):
            name = _("Notes") if user.discreet else "Kring"
            subject, said = account_notice_texts(user, kind, name, about)
            path = _NOTICE_PATHS.get(kind, "/")
            messages = [notice(device, f"account_{kind}", name, said, path)
                        for device in notify.devices_of(db.session, [user.id])[user.id]]
            if user.email and config.get("SMTP_HOST"):
                body = "\n".join([_("Hello %(name)s,", name=user.first_name), "", said, f"{base}{path}", ""])
                messages.append(email(user.email, subject, body))
            number = notify.sms_numbers(db.session, [user.id]).get(user.id)
            if number is not None and sms.enabled(config):
                messages.append(text(number, f"{name}: {said} {base}{path}"))
        outcomes = notify.send_notices(db.session, messages, config, utcnow())
        db.session.commit()
        db.session.remove()
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        log.warning("account notice %s for user %s not sent: %s", kind, user_id, outcome.error)
    return len(messages) - len(failed)


@huey.task()
def send_reset_link(login_name: str) -> bool:
    """Make the reset link and mail it, here in the worker, so that the page answers the same (and as fast) whether
    or not the account or an address exists, and the link never passes through the queue."""
    config = app().config
    if not config.get("SMTP_HOST"):
        return False
    with app().app_context():
        started = recovery.start_email_reset(db.session, login_name, config["SECRET_KEY"], utcnow())
        if started is None:
            db.session.remove()
            return False
        user, token = started
        db.session.commit()
        with force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]):
            name = _("Notes") if user.discreet else "Kring"
            subject = _("A new password for %(app)s", app=name)
            body = "\n".join([
                _("Hello %(name)s,", name=user.first_name), "",
                _("Someone asked for a new password for your account (%(username)s). To choose a new password, open "
                  "this link within %(minutes)d minutes. It works once.", username=user.username,
                  minutes=recovery.EMAIL_LINK_MINUTES),
                f"{config['BASE_URL'].rstrip('/')}/recover/{token}", "",
                _("Did you not ask for this? Then do nothing: your password stays the same."), ""])
        to = user.email
        db.session.remove()
    outcome = Sender(config).send(email(to, subject, body))
    if outcome.error:
        log.warning("a reset link was not sent: %s", outcome.error)
    return outcome.error is None
