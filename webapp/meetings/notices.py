"""What a meeting sends: invitations (push and e-mail with a calendar file), changes, cancellations and "the
minutes are ready". Each in the person's own language, and discreet: a lock screen never shows the household's
name, and people who chose the discreet app name only see a neutral line.
"""
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.notify.messages import Outgoing, email, notice
from webapp.notify.models import PushSubscription

KINDS = ("invite", "changed", "cancelled", "minutes")
WITH_CALENDAR_FILE = ("invite", "changed", "cancelled")


@dataclass(frozen=True)
class Settings:
    base_url: str
    default_locale: str
    tz: ZoneInfo


def when_text(moment: datetime, locale: str, tz: ZoneInfo) -> str:
    """"dinsdag 12 december 2026, 19:30": a naive UTC time, where the household lives, in the person's language."""
    local = moment.replace(tzinfo=UTC).astimezone(tz)
    return f"{format_date(local.date(), format='full', locale=locale)}, {format_time(local, format='short', locale=locale)}"


def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"


def meeting_path(meeting: Meeting, kind: str = "invite") -> str:
    path = f"/h/{meeting.household_id}/meetings/{meeting.id}"
    return f"{path}/minutes" if kind == "minutes" else path


def calendar_file(meeting: Meeting, user: User, settings: Settings) -> bytes:
    """The meeting as an iCalendar event, for this person. The same UID every time and a higher SEQUENCE after each
    change, so a calendar replaces the event it has instead of adding a second one."""
    with force_locale(user.locale or settings.default_locale):
        summary = _("Meeting") if user.discreet else _("Network meeting")
        link = f"{settings.base_url.rstrip('/')}{meeting_path(meeting)}"
        description = _("Open it in Kring: %(url)s", url=link)
        if meeting.video_link:
            description = f"{_('Video call: %(url)s', url=meeting.video_link)}\n{description}"
    event = Event()
    event.add("uid", f"kring-meeting-{meeting.id}@{_host(settings.base_url)}")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", meeting.starts_at.replace(tzinfo=UTC))
    event.add("dtend", meeting.ends_at.replace(tzinfo=UTC))
    event.add("summary", summary)
    event.add("location", meeting.place or meeting.video_link)
    event.add("description", description)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.cancelled else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", "-//Kring//Network meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()


def _push_text(kind: str, discreet: bool, when: str) -> tuple[str, str]:
    title = _("Notes") if discreet else "Kring"
    if discreet:
        return title, {
            "invite": _("You have a new invitation. Please open the app."),
            "changed": _("An appointment has changed. Please open the app."),
            "cancelled": _("An appointment is cancelled. Please open the app."),
            "minutes": _("Something new is waiting for you. Please open the app."),
        }[kind]
    return title, {
        "invite": _("You are invited to a network meeting on %(when)s. Open the app to say if you are coming.", when=when),
        "changed": _("The network meeting has moved to %(when)s. Open the app to say if you are coming.", when=when),
        "cancelled": _("The network meeting on %(when)s is cancelled.", when=when),
        "minutes": _("The minutes of the network meeting are ready to read."),
    }[kind]


def _subject(kind: str, discreet: bool, when: str) -> str:
    if discreet:
        return {"invite": _("An invitation"), "changed": _("An appointment has changed"),
                "cancelled": _("An appointment is cancelled")}[kind]
    return {"invite": _("Invitation: network meeting on %(when)s", when=when),
            "changed": _("Changed: network meeting on %(when)s", when=when),
            "cancelled": _("Cancelled: network meeting on %(when)s", when=when)}[kind]


def _mail(meeting: Meeting, user: User, kind: str, when: str, settings: Settings) -> Outgoing:
    _title, text = _push_text(kind, user.discreet, when)
    lines = [text, ""]
    if meeting.place:
        lines.append(_("Where: %(place)s", place=meeting.place))
    if meeting.video_link:
        lines.append(_("Video call: %(url)s", url=meeting.video_link))
    lines += [f"{_('Open it here:')} {settings.base_url.rstrip('/')}{meeting_path(meeting)}", "",
              _("The calendar file is attached: open it to put the meeting in your calendar.")]
    return email(user.email, _subject(kind, user.discreet, when), "\n".join(lines) + "\n",
                 attachments=(("meeting.ics", "text/calendar", calendar_file(meeting, user, settings)),))


def messages(session: Session, meeting: Meeting, user_ids: list[int], kind: str, settings: Settings) -> list[Outgoing]:
    """A push to every device of these people, and an e-mail with the calendar file to those with an address.
    A push outcome's `delivery_id` names its device; an e-mail's is 0."""
    if kind not in KINDS or not user_ids:
        return []
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    devices = session.scalars(select(PushSubscription).where(PushSubscription.user_id.in_(list(users)))
                              .order_by(PushSubscription.id)).all()
    out = []
    for device in devices:
        user = users[device.user_id]
        locale = user.locale or settings.default_locale
        with force_locale(locale):
            title, body = _push_text(kind, user.discreet, when_text(meeting.starts_at, locale, settings.tz))
        out.append(notice(device, f"meeting_{kind}", title, body, meeting_path(meeting, kind)))
    for user in users.values():
        if kind in WITH_CALENDAR_FILE and user.email:
            locale = user.locale or settings.default_locale
            with force_locale(locale):
                out.append(_mail(meeting, user, kind, when_text(meeting.starts_at, locale, settings.tz), settings))
    return out
