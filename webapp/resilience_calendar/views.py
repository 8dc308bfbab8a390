"""Routes of the resilience calendar: the week, planning activities, copying a week, history, print."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext, to_user_timezone
from flask_login import current_user
from markupsafe import Markup

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission
from webapp.child_lock import child_page
from webapp.extensions import db
from webapp.resilience_calendar import parts, services
from webapp.resilience_calendar.forms import (CHILD_ICONS, CHILD_PRESETS, ELEMENT_ICONS, ELEMENT_LABELS,
                                              ELEMENT_SUGGESTIONS, PART_LABELS, ActivityForm, ChildActivityForm)
from webapp.resilience_calendar.parts import ELEMENT_ORDER
from webapp.resilience_calendar.models import CalendarActivity, PartOfDay, ResilienceElement
from webapp.resilience_calendar.reminders import set_reminder
from webapp.notify import devices

bp = Blueprint("resilience_calendar", __name__, url_prefix="/h/<int:household_id>/calendar")


@bp.app_context_processor
def calendar_labels():
    return {"element_labels": ELEMENT_LABELS, "element_icons": ELEMENT_ICONS, "part_labels": PART_LABELS,
            "element_order": ELEMENT_ORDER, "element_tags": parts.element_tags}


def _day_section(d: services.Day, shown: date, today: date, may_write: bool) -> Markup:
    return parts.day_section(d, g.household.id, shown, today, may_write)


def _labels_in_words() -> dict:
    """The labels translated once for a page that shows them on every activity and day (a week shows dozens)."""
    return {"element_labels": {key: str(label) for key, label in ELEMENT_LABELS.items()},
            "part_labels": {key: str(label) for key, label in PART_LABELS.items()}}


def _today() -> date:
    return to_user_timezone(utcnow()).date()


def _week_url(household_id: int, day: date, **extra) -> str:
    return url_for("resilience_calendar.week", household_id=household_id,
                   week=services.week_label(services.monday_of(day)), day=day.isoformat(), **extra)


@bp.route("/")
@household_permission("calendar.read")
def week(household_id: int):
    today = _today()
    monday = services.parse_week(request.args.get("week"), today)
    try:
        shown = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        shown = today
    if not monday <= shown < monday + timedelta(days=7):
        shown = monday
    the_week = services.week(db.session, g.household, monday)
    return render_template("resilience_calendar/week.html", week=the_week, shown=shown, today=today,
                           removals=services.removed_in_week(db.session, g.household, monday),
                           previous=monday - timedelta(weeks=1), following=monday + timedelta(weeks=1),
                           suggestion=ELEMENT_SUGGESTIONS.get(the_week.most_missing.value) if the_week.most_missing else None,
                           week_label=services.week_label, copy_form=EmptyForm(),
                           has_devices=devices.has_device(db.session, current_user.id), day_section=_day_section,
                           **_labels_in_words())


def _input(form: ActivityForm) -> services.ActivityInput:
    return services.ActivityInput(
        day=form.day.data, description=form.description.data, elements={ResilienceElement(e) for e in form.elements.data},
        start_time=form.start_time.data, end_time=form.end_time.data,
        part_of_day=PartOfDay(form.part_of_day.data) if form.part_of_day.data else None, with_whom=form.with_whom.data or "")


@bp.route("/reminder", methods=["POST"])
@household_permission("calendar.read")
def reminder(household_id: int):
    """The person's own choice: a push every Sunday evening to plan next week."""
    if EmptyForm().validate_on_submit():
        on = request.form.get("on") == "1"
        set_reminder(g.membership, on)
        db.session.commit()
        flash(_("Every Sunday evening you get a reminder to plan next week.") if on
              else _("You no longer get the weekly reminder."), "success")
    return redirect(url_for("resilience_calendar.week", household_id=household_id))


@bp.route("/new", methods=["GET", "POST"])
@household_permission("calendar.write")
def add(household_id: int):
    form = ActivityForm()
    if not form.is_submitted():
        try:
            form.day.data = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            form.day.data = _today()
    if form.validate_on_submit():
        services.add_activity(db.session, g.household, current_user, _input(form), repeat_weekly=form.repeat_weekly.data)
        db.session.commit()
        flash(_("The activity is in the calendar."), "success")
        return redirect(_week_url(household_id, form.day.data))
    return render_template("resilience_calendar/activity.html", form=form, activity=None)


def _already_removed(activity: CalendarActivity):
    """An old link or a second tap on a removed activity: back to its week, where it can be brought back."""
    flash(_("This activity was removed. You can bring it back under “Removed this week”."), "success")
    return redirect(_week_url(activity.household_id, activity.day, _anchor="removed"))


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@household_permission("calendar.write")
def edit(household_id: int, activity_id: int):
    activity = get_in_household_or_404(CalendarActivity, activity_id)
    if activity.removed_at is not None:
        return _already_removed(activity)
    form = ActivityForm(obj=activity)
    if not form.is_submitted():
        form.elements.data = [e.value for e in activity.elements]
        form.part_of_day.data = activity.part_of_day.value if activity.part_of_day else None
    if form.validate_on_submit():
        following = request.form.get("scope") == "following"
        services.update_activity(db.session, activity, _input(form), following=following)
        db.session.commit()
        flash(_("The activity is changed."), "success")
        return redirect(_week_url(household_id, form.day.data))
    return render_template("resilience_calendar/activity.html", form=form, activity=activity)


@bp.route("/<int:activity_id>/remove", methods=["GET", "POST"])
@household_permission("calendar.write")
def remove(household_id: int, activity_id: int):
    """GET asks first (the edit page sends here for someone else's activity); POST removes, leaving a trace."""
    activity = get_in_household_or_404(CalendarActivity, activity_id)
    if activity.removed_at is not None:
        return _already_removed(activity)
    following = bool(activity.series_id) and request.values.get("scope") == "following"
    if request.method == "GET":
        return render_template("resilience_calendar/remove.html", activity=activity, following=following,
                               count=len(services.removal_targets(db.session, activity, following)))
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_activity(db.session, activity, current_user, utcnow(), following=following)
    db.session.commit()
    flash(_("The activity is removed. Changed your mind? Undo it under “Removed this week”."), "success")
    return redirect(_week_url(household_id, activity.day, _anchor="removed"))


@bp.route("/<int:activity_id>/restore", methods=["POST"])
@household_permission("calendar.write")
def restore(household_id: int, activity_id: int):
    """Undo a removal: the activity, or all the weeks of a series removed in one go, back in the calendar."""
    activity = get_in_household_or_404(CalendarActivity, activity_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    restored = services.restore_activity(db.session, activity)
    db.session.commit()
    flash(ngettext("The activity is back in the calendar.", "%(num)d activities are back in the calendar.", restored)
          if restored else _("This activity is already in the calendar."), "success")
    return redirect(_week_url(household_id, activity.day))


@bp.route("/copy", methods=["POST"])
@household_permission("calendar.write")
def copy_previous_week(household_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    monday = services.parse_week(request.form.get("week"), _today())
    copied = services.copy_week(db.session, g.household, current_user, monday - timedelta(weeks=1), monday)
    db.session.commit()
    flash(ngettext("%(num)d activity copied from last week.", "%(num)d activities copied from last week.", copied) if copied
          else _("Nothing to copy: last week is empty, or everything is already planned."), "success")
    return redirect(url_for("resilience_calendar.week", household_id=household_id, week=services.week_label(monday)))


@bp.route("/history")
@household_permission("calendar.read")
def history(household_id: int):
    monday = services.monday_of(_today())
    trend = services.filled_days_trend(db.session, g.household, monday, weeks=12)
    return render_template("resilience_calendar/history.html", trend=trend, week_label=services.week_label)


@bp.route("/print")
@household_permission("calendar.read")
def print_week(household_id: int):
    monday = services.parse_week(request.args.get("week"), _today())
    return render_template("resilience_calendar/print.html", week=services.week(db.session, g.household, monday))


@bp.route("/child", methods=["GET", "POST"])
@child_page("calendar.child")
def child_add(household_id: int):
    form = ChildActivityForm()
    if form.validate_on_submit():
        label, elements = CHILD_PRESETS[form.preset.data]
        part = _part_of_day_now()
        services.add_activity(db.session, g.household, current_user, services.ActivityInput(
            day=_today(), description=str(label), elements={ResilienceElement(e) for e in elements}, part_of_day=part),
            by_child=True, child=g.child)
        db.session.commit()
        return render_template("resilience_calendar/child_added.html", label=label, icon=CHILD_ICONS[form.preset.data])
    return render_template("resilience_calendar/child.html", form=form, icons=CHILD_ICONS)


def _part_of_day_now() -> PartOfDay:
    hour = to_user_timezone(utcnow()).hour
    return (PartOfDay.morning if 5 <= hour < 12 else PartOfDay.afternoon if hour < 17
            else PartOfDay.evening if hour < 22 else PartOfDay.night)
