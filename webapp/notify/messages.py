"""What is sent and what came of it: one message ready to go by push, e-mail or SMS (`Outgoing`), its `Outcome`,
and the shapes every capability builds its messages in (a notice to a device, an e-mail, a text)."""
from dataclasses import dataclass

from webapp.notify.models import Channel, PushSubscription

GONE = (404, 410)  # the push service no longer knows the device: it is removed


@dataclass
class Outgoing:
    """One message, ready to send without the database (senders run in threads)."""
    delivery_id: int
    channel: Channel
    subscription: dict | None
    to: str | None
    payload: dict
    subject: str
    body: str
    topic: str
    urgency: str
    ttl: int
    # E-mail only: (file name, MIME type, content), e.g. a meeting's calendar file.
    attachments: tuple[tuple[str, str, bytes], ...] = ()


@dataclass
class Outcome:
    delivery_id: int
    status_code: int | None
    error: str | None  # None: accepted
    provider_id: str | None = None  # SMS: the provider's message id
    cost_units: int | None = None  # SMS: message segments, when the provider reports them


def subscription_info(device: PushSubscription) -> dict:
    """Where a push to this device goes, and the keys it is encrypted with (pywebpush's `subscription_info`)."""
    return {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}


def notice(subscription: PushSubscription, kind: str, title: str, body: str, url: str, tag: str | None = None,
           urgency: str = "normal", ttl: int = 12 * 3600) -> Outgoing:
    """A reminder or a notice to one device (not an alert): one notification per `tag` (the kind, unless given)
    shows at a time."""
    tag = tag or kind
    payload = {"type": kind, "title": title, "body": body, "url": url, "tag": f"kring-{tag}"}
    # Not a delivery: the outcome names the device instead, so that `services.send_notices` can record it.
    return Outgoing(delivery_id=subscription.id, channel=Channel.push, subscription=subscription_info(subscription),
                    to=None, payload=payload, subject="", body="", topic=tag.replace("_", "").replace("-", "")[:32],
                    urgency=urgency, ttl=ttl)


def email(to: str | None, subject: str, body: str, attachments: tuple[tuple[str, str, bytes], ...] = (),
          urgency: str = "normal") -> Outgoing:
    """An e-mail that is not a signal's delivery (its outcome names nothing)."""
    return Outgoing(delivery_id=0, channel=Channel.email, subscription=None, to=to, payload={}, subject=subject,
                    body=body, topic="", urgency=urgency, ttl=0, attachments=attachments)


def text(to: str | None, body: str) -> Outgoing:
    """A text message that is not a signal's delivery."""
    return Outgoing(delivery_id=0, channel=Channel.sms, subscription=None, to=to, payload={}, subject="", body=body,
                    topic="", urgency="normal", ttl=0)
