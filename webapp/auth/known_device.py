"""A browser that has signed in as a person before ("known device"): a signed cookie set at each successful
sign-in, holding a random id for the browser and the accounts signed in from it.

It exists for the rate limits: failed tries for a username from browsers that never signed in as that person
count together (a stranger guessing), while each known browser gets its own allowance, so that a stranger's
guessing cannot lock the real person out of their own account on their own phone. It opens nothing by itself:
the password (or passkey) is still needed."""
import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "kring_known"
MAX_AGE_DAYS = 400  # the longest a browser keeps a cookie
MAX_ACCOUNTS = 5  # a shared family computer: the last few people who signed in on it
_SALT = "kring-known-device"


@dataclass
class KnownBrowser:
    device: str
    user_ids: list[int] = field(default_factory=list)


def read(secret_key: str, raw: str | None) -> KnownBrowser | None:
    if not raw:
        return None
    try:
        data = URLSafeSerializer(secret_key, salt=_SALT).loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    return KnownBrowser(data["d"], [u for u in data["u"] if isinstance(u, int)])


def remember(secret_key: str, raw: str | None, user_id: int) -> str:
    """The cookie's new value after `user_id` signed in from this browser."""
    known = read(secret_key, raw) or KnownBrowser(secrets.token_urlsafe(12))
    ids = [user_id] + [u for u in known.user_ids if u != user_id]
    return URLSafeSerializer(secret_key, salt=_SALT).dumps({"d": known.device, "u": ids[:MAX_ACCOUNTS]})


def device_for(secret_key: str, raw: str | None, user_id: int) -> str | None:
    """This browser's id when it signed in as `user_id` before; None otherwise."""
    known = read(secret_key, raw)
    return known.device if known is not None and user_id in known.user_ids else None
