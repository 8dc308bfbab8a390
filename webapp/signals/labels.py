"""The words for signals' kinds, delivery states and steps, in the person's language."""
from flask_babel import gettext as _, ngettext

from webapp.i18n import lazy_gettext as _l

SOURCE_LABELS = {
    "child": _l("The child said: I am worried"),
    "safe_object": _l("The safe object was moved"),
}

DELIVERY_LABELS = {
    "queued": _l("waiting"),
    "sending": _l("sending"),
    "sent": _l("delivered"),
    "failed": _l("did not arrive"),
    "gone": _l("device no longer exists"),
    "cancelled": _l("not sent"),
}

# Data-driven from `Channel`: each channel has its name and what a person lacks when it cannot reach them.
CHANNEL_LABELS = {
    "push": _l("Push"),
    "email": _l("E-mail"),
    "sms": _l("SMS"),
}
CHANNEL_MISSING = {
    "push": _l("no working device"),
    "email": _l("no e-mail address"),
    "sms": _l("no confirmed mobile number"),
}


def channel_text(delivery) -> str:
    """"Push on Android – Chrome", "E-mail": which channel, and which device when it has one."""
    label = str(CHANNEL_LABELS[delivery.channel.value])
    if delivery.device_name:
        return _("%(channel)s on %(device)s", channel=label, device=delivery.device_name)
    return label


def missing_text(channels) -> str:
    """"no working device, no e-mail address": what a person lacks, for the chair."""
    return ", ".join(str(CHANNEL_MISSING[c.value]) for c in channels)


def delivery_status_text(delivery, worker_silent: bool) -> str:
    """A delivery's state; while the worker is silent, whatever waits is plainly "not sent yet"."""
    if worker_silent and delivery.status.value in ("queued", "sending"):
        return _("not sent yet")
    return str(DELIVERY_LABELS[delivery.status.value])


def _name(event) -> str:
    return event.user.display_name if event.user is not None else _("Former member")


def event_text(event, not_sent: bool = False) -> str:
    """A step of a signal. `not_sent`: the worker is silent and nothing has gone out, so a ring was not alerted
    yet, only written down to be."""
    kind = event.kind
    if kind == "raised":
        return _("%(name)s sent the signal.", name=_name(event))
    if kind == "undone":
        return _("%(name)s took the signal back.", name=_name(event))
    if kind == "ring_alerted":
        if not event.count:
            return _("Ring %(ring)d: nobody to alert, on to the next ring.", ring=event.ring)
        if not_sent:
            return ngettext("Ring %(ring)d: %(num)d person to alert, not sent yet.",
                            "Ring %(ring)d: %(num)d people to alert, not sent yet.", event.count, ring=event.ring)
        return ngettext("Ring %(ring)d alerted: %(num)d person.", "Ring %(ring)d alerted: %(num)d people.",
                        event.count, ring=event.ring)
    if kind == "skipped":
        return _("%(name)s was skipped: can’t be reached right now.", name=_name(event))
    if kind == "emailed":
        return ngettext("E-mail sent to %(num)d person.", "E-mail sent to %(num)d people.", event.count or 0)
    if kind == "ack_going":
        return _("%(name)s is going.", name=_name(event))
    if kind == "ack_calling":
        return _("%(name)s is calling.", name=_name(event))
    if kind == "closed":
        return _("%(name)s closed the signal; the all-clear was sent.", name=_name(event))
    return kind


def duration_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = round(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)
