"""Routes of the resilience calendar: the week, planning activities, copying a week, history, print."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext, to_user_timezone
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission
from webapp.child_lock import child_page
from webapp.extensions import db
from webapp.resilience_calendar import services
from webapp.resilience_calendar.forms import (CHILD_ICONS, CHILD_PRESETS, ELEMENT_ICONS, ELEMENT_LABELS,
                                              ELEMENT_SUGGESTIONS, PART_LABELS, ActivityForm, ChildActivityForm)
from webapp.resilience_calendar.models import CalendarActivity, PartOfDay, ResilienceElement
from webapp.resilience_calendar.reminders import set_reminder
from webapp.signals.services import devices_of

bp = Blueprint("resilience_calendar", __name__, url_prefix="/h/<int:household_id>/calendar")


@bp.app_context_processor
def calendar_labels():
    return {"element_labels": ELEMENT_LABELS, "element_icons": ELEMENT_ICONS, "part_labels": PART_LABELS,
            "element_order": [e.value for e in services.ELEMENTS]}


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
                           previous=monday - timedelta(weeks=1), following=monday + timedelta(weeks=1),
                           suggestion=ELEMENT_SUGGESTIONS.get(the_week.most_missing.value) if the_week.most_missing else None,
                           week_label=services.week_label, copy_form=EmptyForm(),
                           has_devices=bool(devices_of(db.session, [current_user.id])[current_user.id]))


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


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@household_permission("calendar.write")
def edit(household_id: int, activity_id: int):
    activity = get_in_household_or_404(CalendarActivity, activity_id)
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


@bp.route("/<int:activity_id>/remove", methods=["POST"])
@household_permission("calendar.write")
def remove(household_id: int, activity_id: int):
    activity = get_in_household_or_404(CalendarActivity, activity_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    day = activity.day
    services.remove_activity(db.session, activity, following=request.form.get("scope") == "following")
    db.session.commit()
    flash(_("The activity is removed."), "success")
    return redirect(_week_url(household_id, day))


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
            by_child=True)
        db.session.commit()
        return render_template("resilience_calendar/child_added.html", label=label, icon=CHILD_ICONS[form.preset.data])
    return render_template("resilience_calendar/child.html", form=form, icons=CHILD_ICONS)


def _part_of_day_now() -> PartOfDay:
    hour = to_user_timezone(utcnow()).hour
    return (PartOfDay.morning if 5 <= hour < 12 else PartOfDay.afternoon if hour < 17
            else PartOfDay.evening if hour < 22 else PartOfDay.night)
