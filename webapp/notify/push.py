"""Web Push: the VAPID key pair, the addresses a device may subscribe with, and one push sent through pywebpush.

The VAPID key pair is made on first run and kept in the instance folder; phones subscribe with its public
half, so replacing it means every device has to turn notifications on again (`flask rotate-vapid-keys`).
"""
import base64
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from webapp.config import VAPID_KEY_FILE, create_once
from webapp.notify.messages import Outcome, Outgoing

PUSH_TIMEOUT = 10  # seconds: a push service that hangs must not hold up the rest of the fan-out


def key_path(instance: Path) -> Path:
    return instance / VAPID_KEY_FILE


def ensure_key(instance: Path) -> Path:
    """Make the VAPID key pair on first run (private key readable by Kring only)."""
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


def send(vapid: Vapid02, subject: str, message: Outgoing) -> Outcome:
    try:
        response = webpush(
            message.subscription, json.dumps(message.payload), vapid_private_key=vapid,
            vapid_claims={"sub": subject},  # a fresh dict: webpush writes aud and exp into it
            ttl=message.ttl, timeout=PUSH_TIMEOUT,
            headers={"Urgency": message.urgency, "Topic": message.topic},
        )
    except WebPushException as error:
        code = error.response.status_code if error.response is not None else None
        return Outcome(message.delivery_id, code, f"push service answered {code}" if code else str(error)[:200])
    except requests.RequestException as error:
        return Outcome(message.delivery_id, None, f"no answer from the push service ({type(error).__name__})")
    return Outcome(message.delivery_id, response.status_code, None)
