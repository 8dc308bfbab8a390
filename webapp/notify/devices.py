"""A person's devices that receive Web Push: subscribing (only at a known push service), the list on their devices
page, removing one, and a new VAPID key pair for the whole server."""
import binascii
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from webapp.database import prepared, utcnow
from webapp.notify.models import PushSubscription
from webapp.notify.push import application_server_key, b64url_decode, endpoint_allowed, write_new_key
from webapp.notify.services import DEVICE_MOVED, let_go, remove_device


class InvalidSubscription(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# "User" is named, not imported: the person's model lives in `auth`, a floor above this one.

def has_device(session: Session, user_id: int, working: bool = False) -> bool:
    """Does the person have a device for alerts (`working`: one whose last push did not fail)? One EXISTS, for the
    pages that only say whether alerts are on."""
    return bool(session.execute(_has_device(working), {"user_id": user_id}).scalar())


@prepared
def _has_device(working: bool):
    found = exists().where(PushSubscription.user_id == bindparam("user_id"))
    return select(found.where(~PushSubscription.failing) if working else found)


def of_user(session: Session, user: "User") -> list[PushSubscription]:
    return list(session.scalars(_of_user(), {"user_id": user.id}))


@prepared
def _of_user():
    return select(PushSubscription).where(PushSubscription.user_id == bindparam("user_id")).order_by(PushSubscription.created_at)


def get_own_or_404(session: Session, user: "User", device_id: int) -> PushSubscription:
    device = session.get(PushSubscription, device_id)
    if device is None or device.user_id != user.id:
        abort(404)
    return device


def public_key(path: str) -> str:
    # Keyed on the file's change time too: after rotate-vapid-keys (another process), every web process that
    # is still running hands out the new key, not the one it read first.
    return _public_key(path, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=4)
def _public_key(path: str, _changed: int) -> str:
    return application_server_key(Path(path))


def _key(data: dict, name: str, size: int) -> str:
    value = data.get(name)
    try:
        if isinstance(value, str) and len(b64url_decode(value)) == size:
            return value
    except (binascii.Error, ValueError):
        pass
    raise InvalidSubscription(_("This device sent keys Kring cannot use. Turn notifications off and on again."))


def save(session: Session, user: "User", data, user_agent: str, hosts: list[str],
         allow_http_loopback: bool) -> tuple[PushSubscription, set[int]]:
    """Store (or refresh) the subscription this browser sent. The same browser signing in as someone else
    moves to that person: alerts follow whoever uses the phone now, and what still waited to go to it for the
    person before is ended (they get it by e-mail when no other device of theirs took it). Returns the device,
    and the signals with such an e-mail to send."""
    if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str) or not isinstance(data.get("keys"), dict):
        raise InvalidSubscription(_("This device sent something that is not a push subscription."))
    endpoint = data["endpoint"]
    if len(endpoint) > 1024 or not endpoint_allowed(endpoint, hosts, allow_http_loopback):
        raise InvalidSubscription(_("This browser uses a push service Kring does not know. Try Chrome, Firefox, Edge or Safari."))
    p256dh = _key(data["keys"], "p256dh", 65)
    auth = _key(data["keys"], "auth", 16)
    device = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    now = utcnow()
    emailed = set()
    if device is None:
        device = PushSubscription(endpoint=endpoint, created_at=now)
        session.add(device)
    elif device.user_id != user.id:
        emailed = let_go(session, device, now, DEVICE_MOVED, keep_user_id=user.id)
    device.user_id, device.p256dh, device.auth = user.id, p256dh, auth
    device.device_name = device_name(user_agent)
    device.last_seen_at = now
    session.flush()
    return device, emailed


def remove(session: Session, device: PushSubscription, now: datetime) -> set[int]:
    """The person removes one of their devices: what still waited to go to it ends now, on the record, and
    never goes to a later device. Returns the signals with an e-mail to send instead."""
    return remove_device(session, device, now)


def device_name(user_agent: str) -> str:
    """A name a person recognises their phone by, from the browser's description of itself."""
    ua = user_agent or ""
    system = next((name for key, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                                          ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"))
                   if key in ua), _("Device"))
    browser = next((name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("SamsungBrowser", "Samsung Internet"),
                                           ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
                    if key in ua), "")
    return f"{system} – {browser}" if browser else system


def rotate_keys(session: Session, key_path: str) -> int:
    """Replace the VAPID key pair. Subscriptions made with the old public key cannot be pushed to any more:
    remove them (the app subscribes again with the new key when it is next opened). What waited for them ends,
    and goes by e-mail at the worker's next sweep."""
    path = Path(key_path)
    if path.exists():
        os.replace(path, path.with_name(path.name + ".old"))
    write_new_key(path)
    _public_key.cache_clear()
    devices = list(session.scalars(select(PushSubscription)))
    now = utcnow()
    for device in devices:
        remove_device(session, device, now, "the server's Web Push key was replaced")
    return len(devices)
