"""Web Push (VAPID, pywebpush), e-mail (SMTP) and SMS (`sms.py`): the ways an alert leaves Kring.

The VAPID key pair is made on first run and kept in the instance folder; phones subscribe with its public
half, so replacing it means every device has to turn notifications on again (`flask rotate-vapid-keys`).
"""
import base64
import json
import os
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from webapp.signals import sms
from webapp.signals.delivery import Outcome, Outgoing

KEY_FILE = "vapid_private.pem"
PUSH_TIMEOUT = 10  # seconds: a push service that hangs must not hold up the rest of the fan-out


def key_path(instance: Path) -> Path:
    return instance / KEY_FILE


def ensure_key(instance: Path) -> Path:
    """Make the VAPID key pair on first run (private key readable by Kring only)."""
    from webapp.config import create_once
    path = key_path(instance)
    if not path.exists():
        create_once(path, _new_private_pem())
    return path


def _new_private_pem() -> bytes:
    vapid = Vapid02()
    vapid.generate_keys()
    return vapid.private_pem()


def write_new_key(path: Path) -> None:
    """A new key pair in place of the old one (rotate-vapid-keys)."""
    pem = _new_private_pem()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.replace(tmp, path)


def application_server_key(path: Path) -> str:
    """The public key a browser subscribes with: the uncompressed P-256 point, base64url without padding."""
    vapid = Vapid02.from_file(str(path))
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sender:
    """Sends one message; `delivery.send_all` calls it from many threads at once."""

    def __init__(self, config: dict):
        self.vapid = Vapid02.from_file(config["VAPID_KEY_PATH"])
        self.subject = config["VAPID_SUBJECT"]
        self.smtp = {k: config[k] for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD",
                                            "SMTP_STARTTLS", "MAIL_FROM")}
        self.sms = sms.client(config)

    def send(self, message: Outgoing) -> Outcome:
        if message.channel.value == "email":
            return self.mail(message)
        if message.channel.value == "sms":
            return self.text(message)
        return self.push(message)

    def text(self, message: Outgoing) -> Outcome:
        if self.sms is None:
            return Outcome(message.delivery_id, 503, "SMS is not set up on this server")
        if not message.to:
            return Outcome(message.delivery_id, 400, "no mobile number")
        result = self.sms.send(message.to, message.body)
        return Outcome(message.delivery_id, result.status_code, result.error, result.provider_id, result.cost_units)

    def push(self, message: Outgoing) -> Outcome:
        try:
            response = webpush(
                message.subscription, json.dumps(message.payload), vapid_private_key=self.vapid,
                vapid_claims={"sub": self.subject},  # a fresh dict: webpush writes aud and exp into it
                ttl=message.ttl, timeout=PUSH_TIMEOUT,
                headers={"Urgency": message.urgency, "Topic": message.topic},
            )
        except WebPushException as error:
            code = error.response.status_code if error.response is not None else None
            return Outcome(message.delivery_id, code, f"push service answered {code}" if code else str(error)[:200])
        except requests.RequestException as error:
            return Outcome(message.delivery_id, None, f"no answer from the push service ({type(error).__name__})")
        return Outcome(message.delivery_id, response.status_code, None)

    def mail(self, message: Outgoing) -> Outcome:
        if not self.smtp["SMTP_HOST"]:
            return Outcome(message.delivery_id, 503, "e-mail is not set up on this server")
        if not message.to:
            return Outcome(message.delivery_id, 400, "no e-mail address")
        email = EmailMessage()
        email["From"] = self.smtp["MAIL_FROM"]
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.body)
        for filename, mimetype, content in message.attachments:
            maintype, _, subtype = mimetype.partition("/")
            email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        try:
            with smtplib.SMTP(self.smtp["SMTP_HOST"], self.smtp["SMTP_PORT"], timeout=PUSH_TIMEOUT) as smtp:
                if self.smtp["SMTP_STARTTLS"]:
                    smtp.starttls()
                if self.smtp["SMTP_USER"]:
                    smtp.login(self.smtp["SMTP_USER"], self.smtp["SMTP_PASSWORD"])
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            return Outcome(message.delivery_id, 400, "the mail server refused the address")
        except (OSError, smtplib.SMTPException) as error:
            return Outcome(message.delivery_id, None, f"mail server trouble ({type(error).__name__})")
        return Outcome(message.delivery_id, 250, None)


def endpoint_allowed(endpoint: str, hosts: list[str], allow_http_loopback: bool) -> bool:
    """Only known push services: an endpoint is a URL the server will POST to, so anything else would let
    a person make Kring call into other machines."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme == "http" and allow_http_loopback and host in {"127.0.0.1", "localhost"}:
        return True
    if parts.scheme != "https" or parts.username or parts.password:
        return False
    return any(host == h or host.endswith("." + h) for h in hosts)
