"""`check-config`: what is wrong or risky in this Kring's configuration, in plain words."""
import os
import re
import smtplib
import stat
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.auth.models import utcnow
from webapp.health.services import worker_state
from webapp.notify import mail, sms


@dataclass
class Finding:
    problem: bool  # True: fix before real families use it; False: worth knowing
    text: str


def check(app: Flask, engine) -> list[Finding]:
    config = app.config
    found: list[Finding] = []
    secret_file = Path(app.instance_path) / "secret_key"
    if not os.environ.get("SECRET_KEY") and secret_file.exists() and secret_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        found.append(Finding(True, f"{secret_file} can be read by other users of this machine: run chmod 600 on it."))
    if len(str(config["SECRET_KEY"])) < 32:
        found.append(Finding(True, "SECRET_KEY is shorter than 32 characters: anyone who guesses it can sign in as anyone."))
    if not config["HTTPS"]:
        found.append(Finding(True, "KRING_HTTPS is not set: cookies are not marked Secure and HSTS is off. Serve Kring "
                                   "over HTTPS only and set KRING_HTTPS=1 (plain HTTP is fine on 127.0.0.1 alone)."))
    if config["HTTPS"] and not config["WEBAUTHN_RP_ID"]:
        found.append(Finding(False, "KRING_RP_ID is not set: passkeys are tied to whatever host name a request uses. "
                                    "Set it to your domain, e.g. kring.example.nl."))
    if config["DEMO"]:
        found.append(Finding(True, "Demo mode is on (KRING_DEMO): it is for trying Kring out, never for real families."))
    if not str(config["QUICK_EXIT_URL"]).startswith("https://"):
        found.append(Finding(True, "KRING_QUICK_EXIT_URL must be an https:// address of a neutral site."))
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        found.append(Finding(False, "Rate limits are counted in memory: fine for one web process; with several, set "
                                    "RATELIMIT_STORAGE_URI=redis://…"))
    if not config["RATELIMIT_ENABLED"]:
        found.append(Finding(True, "Rate limits are off (KRING_RATELIMIT=0): sign-in can be guessed at without limit."))
    found += _push_and_mail(app)
    found += _sms(config)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        found.append(Finding(True, f"The database does not answer: {error.__class__.__name__}. Check DATABASE_URL."))
    else:
        if engine.url.get_backend_name() == "sqlite":
            found.append(Finding(False, "The database is SQLite in the instance folder: right for one machine. "
                                        "Back it up with `flask --app webapp backup`."))
        found += _worker(app, engine)
    return found


def _worker(app: Flask, engine) -> list[Finding]:
    """Every alert, retry and escalation is sent by the worker: say when it is silent, and who would hear of it."""
    from sqlalchemy.orm import Session
    config = app.config
    found: list[Finding] = []
    with Session(engine) as session:
        state = worker_state(session, utcnow(), config["WORKER_SILENT_SECONDS"])
    if state.lag_seconds is None:
        found.append(Finding(True, "No background worker has ever written a heartbeat: alerts are stored but never "
                                   "sent. Start it (`huey_consumer webapp.worker.huey`, or `make run`)."))
    elif state.silent:
        found.append(Finding(True, f"The background worker's last heartbeat was {state.lag_seconds} seconds ago: "
                                   "alerts are not being sent. Start or restart the worker."))
    else:
        found.append(Finding(False, f"The background worker is running ({state.consumers} consumer(s), last heartbeat "
                                    f"{state.lag_seconds} seconds ago)."))
    if not config["OPERATOR_EMAIL"]:
        found.append(Finding(True, "KRING_OPERATOR_EMAIL is not set: when the worker stops, nobody is e-mailed."))
    if config["OPERATOR_PHONE"] and not config["SMS_PROVIDER"]:
        found.append(Finding(False, "KRING_OPERATOR_PHONE is set but SMS is off: the operator is only e-mailed."))
    if not config["HEALTH_TOKEN"]:
        found.append(Finding(False, "KRING_HEALTH_TOKEN is not set: /health gives its status only, without the "
                                    "worker's lag, queue depth and oldest waiting alert."))
    return found


def _sms(config) -> list[Finding]:
    if not config["SMS_PROVIDER"]:
        return [Finding(False, "SMS is off (KRING_SMS_PROVIDER): alerts go by push and e-mail only, so someone "
                               "without the app on their phone is not woken by an alert.")]
    if config["SMS_PROVIDER"] not in sms.PROVIDERS:
        return [Finding(True, f"KRING_SMS_PROVIDER is '{config['SMS_PROVIDER']}': Kring knows "
                              f"{', '.join(sms.PROVIDERS)}. SMS is off until it is one of those.")]
    if not sms.enabled(config):
        return [Finding(True, "SMS is chosen but not set up: set KRING_TWILIO_ACCOUNT_SID, KRING_TWILIO_AUTH_TOKEN "
                              "and KRING_TWILIO_FROM. Until then SMS is off.")]
    found = []
    if not config["SMS_COUNTRY_CODES"]:
        found.append(Finding(True, "KRING_SMS_COUNTRY_CODES is empty: nobody can add a mobile number."))
    if not str(config["BASE_URL"]).startswith("https://"):
        found.append(Finding(True, "Replies by SMS need the provider to reach Kring: KRING_BASE_URL must be the "
                                   "https:// address, and the provider's webhook set to KRING_BASE_URL/sms/reply."))
    return found


def _push_and_mail(app: Flask) -> list[Finding]:
    """Alerts leave Kring by Web Push and e-mail: both must be set up for a signal to reach people."""
    config = app.config
    found: list[Finding] = []
    subject = str(config["VAPID_SUBJECT"])
    if not re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]{2,}|https://[a-z0-9.-]+\.[a-z]{2,}", subject, re.IGNORECASE) \
            or subject.endswith((".invalid", ".localhost", ".local")):
        found.append(Finding(True, f"KRING_VAPID_SUBJECT is '{subject}': push services (Apple's first) refuse alerts "
                                   "without a real contact. Set it to mailto:you@your-domain or https://your-domain."))
    key = Path(config["VAPID_KEY_PATH"])
    if key.exists() and key.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        found.append(Finding(True, f"{key} can be read by other users of this machine: run chmod 600 on it."))
    if config["HTTPS"] and not str(config["BASE_URL"]).startswith("https://"):
        found.append(Finding(True, f"KRING_BASE_URL is '{config['BASE_URL']}': links in alert e-mails must be the "
                                   "https:// address people open Kring on."))
    if not config["SMTP_HOST"]:
        found.append(Finding(True, "E-mail is not set up (KRING_SMTP_HOST): when nobody answers a signal, or a phone "
                                   "cannot get notifications, Kring cannot e-mail anyone."))
        return found
    if "@" not in str(config["MAIL_FROM"]):
        found.append(Finding(True, f"KRING_MAIL_FROM is '{config['MAIL_FROM']}': it needs an e-mail address."))
    try:
        with mail.connection(config, timeout=5) as smtp:
            smtp.ehlo()
    except smtplib.SMTPAuthenticationError:
        found.append(Finding(True, "The mail server refuses KRING_SMTP_USER and KRING_SMTP_PASSWORD."))
    except smtplib.SMTPNotSupportedError:
        found.append(Finding(True, "The mail server does not offer STARTTLS: use its TLS port, or set "
                                   "KRING_SMTP_STARTTLS=0 only for a server on this machine."))
    except (OSError, smtplib.SMTPException) as error:
        found.append(Finding(True, f"The mail server {config['SMTP_HOST']}:{config['SMTP_PORT']} does not answer "
                                   f"({error.__class__.__name__}). Check KRING_SMTP_HOST and KRING_SMTP_PORT."))
    return found
