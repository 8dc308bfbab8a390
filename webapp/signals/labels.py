"""The words for signals' kinds, delivery states and steps, in the person's language."""
from flask_babel import gettext as _, lazy_gettext as _l, ngettext

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

# How a delivery went out, for the signal page and the alert plan.
CHANNEL_LABELS = {
    "push": _l("notification"),
    "email": _l("e-mail"),
    "sms": _l("SMS"),
}


def _name(event) -> str:
    return event.user.display_name if event.user is not None else _("Former member")


def event_text(event) -> str:
    kind = event.kind
    if kind == "raised":
        return _("%(name)s sent the signal.", name=_name(event))
    if kind == "undone":
        return _("%(name)s took the signal back.", name=_name(event))
    if kind == "ring_alerted":
        if not event.count:
            return _("Ring %(ring)d: nobody to alert, on to the next ring.", ring=event.ring)
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
