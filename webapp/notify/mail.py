"""E-mail through the SMTP server Kring is configured with (KRING_SMTP_*): one message sent, and the connection that
sending and `check-config` both open."""
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from webapp.notify.messages import Outcome, Outgoing

MAIL_TIMEOUT = 10  # seconds: a mail server that hangs must not hold up the rest of the fan-out
SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS", "MAIL_FROM")


@contextmanager
def connection(settings, timeout: float = MAIL_TIMEOUT) -> Iterator[smtplib.SMTP]:
    """Connected to the mail server, encrypted (STARTTLS unless turned off) and signed in when a user is set."""
    with smtplib.SMTP(settings["SMTP_HOST"], settings["SMTP_PORT"], timeout=timeout) as smtp:
        if settings["SMTP_STARTTLS"]:
            smtp.starttls()
        if settings["SMTP_USER"]:
            smtp.login(settings["SMTP_USER"], settings["SMTP_PASSWORD"])
        yield smtp


def send(settings, message: Outgoing) -> Outcome:
    if not settings["SMTP_HOST"]:
        return Outcome(message.delivery_id, 503, "e-mail is not set up on this server")
    if not message.to:
        return Outcome(message.delivery_id, 400, "no e-mail address")
    email = EmailMessage()
    email["From"] = settings["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    for filename, mimetype, content in message.attachments:
        maintype, _, subtype = mimetype.partition("/")
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    try:
        with connection(settings) as smtp:
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused:
        return Outcome(message.delivery_id, 400, "the mail server refused the address")
    except (OSError, smtplib.SMTPException) as error:
        return Outcome(message.delivery_id, None, f"mail server trouble ({type(error).__name__})")
    return Outcome(message.delivery_id, 250, None)
