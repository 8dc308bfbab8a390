"""Routes of the safety log: timeline, composer, one entry with its history, photos, print, child message."""
import uuid
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request,
                   send_from_directory, url_for)
from flask_babel import format_date, get_timezone, gettext as _, to_user_timezone, to_utc
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission
from webapp.child_lock import child_page
from webapp.extensions import db
from webapp.households.models import Role
from webapp.households.services import named_people
from webapp import uploads as images
from webapp.safety_log import parts, services
from webapp.safety_log.forms import (ADULT_KINDS, KIND_ICONS, KIND_LABELS, MOODS, PICTOGRAM_LABELS, ChildMessageForm,
                                     CorrectionForm, EntryForm, FilterForm)
from webapp.safety_log.models import EntryKind, LogAttachment, LogEntry
from webapp.safety_plan import services as plan

bp = Blueprint("safety_log", __name__, url_prefix="/h/<int:household_id>/log")


@bp.app_context_processor
def log_labels():
    return {"kind_labels": KIND_LABELS, "kind_icons": KIND_ICONS, "moods": MOODS, "adult_kinds": ADULT_KINDS,
            "pictograms": services.PICTOGRAMS, "pictogram_labels": PICTOGRAM_LABELS}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _local_now() -> datetime:
    return to_user_timezone(utcnow()).replace(tzinfo=None, second=0, microsecond=0)


def _occurred_at_utc(field) -> datetime | None:
    """The form's local time in UTC, or None (with a message at the field) when it is in the future."""
    when = to_utc(field.data)
    if when > utcnow() + timedelta(minutes=10):
        field.errors.append(_("This time is still to come. Enter when it happened."))
        return None
    return when


def _clean_photos(form: EntryForm) -> list[images.CleanImage] | None:
    photos = []
    for upload in request.files.getlist(form.photos.name):
        if not upload or not upload.filename:
            continue
        try:
            photos.append(images.clean(upload.read(images.MAX_UPLOAD_BYTES + 1)))
        except images.ImageRejected as rejected:
            form.photos.errors.append(rejected.photo_message)
            return None
    return photos


def _entry_from_form(form: EntryForm) -> services.NewEntry | None:
    if not form.validate_on_submit():
        return None
    if form.author_check.data and form.author_check.data != str(current_user.id):
        form.what_happened.errors.append(_("This was written on this phone while someone else was signed in, so it "
                                           "was not saved under your name. Check it, and save it again if it is yours."))
        form.author_check.data = str(current_user.id)  # saving the page again makes it theirs, knowingly
        return None
    when = _occurred_at_utc(form.occurred_at)
    photos = _clean_photos(form)
    if when is None or photos is None:
        return None
    if not form.has_text() and not photos:
        form.what_happened.errors.append(_("Write what happened, or add a photo."))
        return None
    agreement_id = _chosen_agreement(form)
    if form.agreement.errors:
        return None
    return services.NewEntry(kind=EntryKind(form.kind.data), occurred_at=when, what_happened=form.what_happened.data or "",
                             what_was_done=form.what_was_done.data or "", child_mood=form.child_mood.data, photos=photos,
                             agreement_id=agreement_id)


def _chosen_agreement(form: EntryForm) -> int | None:
    """The agreement's lineage id, if one was chosen; one this household's plan never had gets a message.

    Any version's agreement is accepted: an entry kept offline may name one the plan has dropped since."""
    chosen = form.agreement.data or ""
    if chosen in ("", OTHER) and form.agreement_other.data:
        chosen = form.agreement_other.data  # a choice in the list means "another agreement", ticked or not
    elif chosen == OTHER:
        form.agreement.errors.append(_("Choose which agreement, or choose “No”."))
        return None
    if not chosen:
        return None
    if chosen.isdigit() and plan.is_lineage_of(db.session, g.household.id, int(chosen)):
        return int(chosen)
    form.agreement.errors.append(_("This agreement is not in the safety plan. Choose another one, or leave it empty."))
    return None


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(e) for e in field.errors] for name, field in form._fields.items() if field.errors}


@bp.route("/new", methods=["GET", "POST"])
@household_permission("log.write")
def write(household_id: int):
    form = EntryForm()
    in_force = plan.agreements_in_force(db.session, household_id)
    choices = plan.agreement_choices(db.session, household_id, in_force)
    form.agreement.choices = [("", _("Not about one agreement"))] + choices
    suggested = _suggested_agreements(in_force)
    form.agreement_other.choices = [("", _("Choose an agreement"))] + [
        c for c in choices if c[0] not in {value for value, _label in suggested}]
    if not form.is_submitted():
        form.client_id.data = str(uuid.uuid4())
        form.author_check.data = str(current_user.id)
        form.occurred_at.data = _local_now()
        if request.args.get("kind") in ADULT_KINDS:
            form.kind.data = request.args["kind"]
    new = _entry_from_form(form) if form.is_submitted() else None
    if new is not None:
        entry, created = services.write_entry(db.session, current_app.instance_path, g.household, current_user,
                                              form.client_id.data, new)
        db.session.commit()
        if _wants_json():
            return jsonify(id=entry.id, created=created), (201 if created else 200)
        flash(_("Saved in the safety log."), "success")
        return redirect(url_for("safety_log.timeline", household_id=household_id))
    if form.is_submitted() and _wants_json():
        return jsonify(errors=_form_errors(form)), 422
    return render_template("safety_log/write.html", form=form, suggested=suggested, other=OTHER,
                           kind_choices=parts.kind_choices(form), mood_choices=parts.mood_choices(form)), (
        422 if form.is_submitted() else 200)


OTHER = "other"  # the answer "another agreement of the plan" to "was this about your agreement?"
MAX_SUGGESTED = 3


def _suggested_agreements(in_force: list) -> list[tuple[str, str]]:
    """(lineage id, what it says) of the writer's own agreements in the plan in force (`agreements_in_force`), what
    they do first: the composer asks whether the entry was about one of them, so that entries get linked to the
    plan."""
    own = plan.agreements_of(in_force, current_user)
    return [(str(m.agreement.lineage_id or m.agreement.id), plan.shorten(m.agreement.what, 120))
            for m in own[:MAX_SUGGESTED]]


def _filters(form: FilterForm) -> services.TimelineFilter:
    """The form's choices as a filter; choices that do not make sense (a bad date) show everything."""
    if not form.validate():
        return services.TimelineFilter(hide_signals=g.membership.signals_hidden)

    def utc_midnight(day):
        return to_utc(datetime.combine(day, datetime.min.time())) if day else None
    return services.TimelineFilter(
        author_id=int(form.author.data) if (form.author.data or "").isdigit() else None,
        kind=EntryKind(form.kind.data) if form.kind.data else None,
        start=utc_midnight(form.start.data),
        end=utc_midnight(form.end.data + timedelta(days=1)) if form.end.data else None,
        agreement_id=int(form.agreement.data) if (form.agreement.data or "").isdigit() else None,
        highlighted=bool(form.highlighted.data),
        hide_signals=g.membership.signals_hidden,
    )


def _filter_choices(agreement_names: dict[int, str], in_force: list) -> tuple[list, list]:
    """The choices of "who wrote it" and "about the agreement": the people, and the agreements in force (with one
    that only an earlier version has, when the address asks for it)."""
    authors = [("", _("Everyone"))] + [
        (str(user_id), name) for user_id, name in named_people(db.session, g.household, without=Role.professional)]
    choices = plan.agreement_choices(db.session, g.household.id, in_force)
    asked = request.args.get("agreement", "")
    if asked.isdigit() and int(asked) in agreement_names and asked not in {value for value, _label in choices}:
        choices.append((asked, plan.shorten(agreement_names[int(asked)])))  # one that only an earlier version has
    return authors, [("", _("All agreements"))] + choices


def _filter_form(agreement_names: dict[int, str], in_force: list) -> FilterForm:
    form = FilterForm(request.args)
    form.author.choices, form.agreement.choices = _filter_choices(agreement_names, in_force)
    return form


def _by_day(entries: list[LogEntry]):
    """[(day label, entries)] in the person's time zone, keeping the order."""
    def day(entry):
        return to_user_timezone(entry.occurred_at).date()
    return [(format_date(d, "full"), list(group)) for d, group in groupby(entries, key=day)]


def _entry_or_404(entry_id: int) -> LogEntry:
    """An entry of this household; one written when a signal was closed does not exist for a member hidden from
    signals."""
    item = get_in_household_or_404(LogEntry, entry_id)
    if not services.readable(item, g.membership.signals_hidden):
        abort(404)
    return item


def _tz() -> ZoneInfo:
    """The household's time zone (Flask-Babel hands out a pytz zone; the services take a zoneinfo one)."""
    return ZoneInfo(str(get_timezone()))


def _shown_week(filters: services.TimelineFilter) -> date:
    """The week asked for in ?week=; this week when that is not a real week up to now; with nothing asked, the
    newest week that has entries for these filters."""
    now, tz = utcnow(), _tz()
    this_monday = services.local_monday(now, tz)
    if "week" not in request.args:
        return services.newest_week(db.session, g.household, filters, now, tz)
    return services.parse_week(request.args["week"], this_monday) or this_monday


@bp.route("/")
@household_permission("log.read")
def timeline(household_id: int):
    in_force = plan.agreements_in_force(db.session, household_id)
    agreement_names = plan.agreement_titles(db.session, household_id, in_force)
    filter_args = {k: v for k, v in request.args.items() if k not in ("before", "week")}
    if any(filter_args.values()):
        form = _filter_form(agreement_names, in_force)
        filters, panel = _filters(form), parts.filter_panel(form, household_id, filter_args)
    else:  # the timeline as it opens: nothing to read from a form, and the panel as kept
        filters = services.TimelineFilter(hide_signals=g.membership.signals_hidden)
        panel = parts.unfiltered_panel(household_id, *_filter_choices(agreement_names, in_force))
    week = services.week(db.session, g.household, filters, _shown_week(filters), _tz(), request.args.get("before"))
    return render_template("safety_log/timeline.html", filter_panel=panel,
                           week=week, days=_by_day(week.entries),
                           this_monday=services.local_monday(utcnow(), _tz()), to_sunday=timedelta(days=6),
                           filter_args=filter_args, filtered=any(filter_args.values()),
                           may_change=services.may_change, agreement_names=agreement_names)


@bp.route("/print")
@household_permission("log.read")
def print_period(household_id: int):
    in_force = plan.agreements_in_force(db.session, household_id)
    agreement_names = plan.agreement_titles(db.session, household_id, in_force)
    form = _filter_form(agreement_names, in_force)
    entries = services.entries_in_period(db.session, g.household, _filters(form))
    return render_template("safety_log/print.html", form=form, entries=entries, printed_at=utcnow(),
                           agreement_names=agreement_names)


@bp.route("/<int:entry_id>")
@household_permission("log.read")
def entry(household_id: int, entry_id: int):
    item = _entry_or_404(entry_id)
    return render_template("safety_log/entry.html", entry=item, may_change=services.may_change(item, current_user),
                           agreement_names=plan.agreement_titles(db.session, household_id),
                           action_form=EmptyForm())


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@household_permission("log.write")
def correct(household_id: int, entry_id: int):
    item = _entry_or_404(entry_id)
    if not services.may_change(item, current_user):
        abort(403)
    form = CorrectionForm(obj=item)
    if not form.is_submitted():
        form.occurred_at.data = to_user_timezone(item.occurred_at).replace(tzinfo=None)
    if form.validate_on_submit() and (when := _occurred_at_utc(form.occurred_at)) is not None:
        if not (form.what_happened.data or "").strip() and not (form.what_was_done.data or "").strip() and not item.attachments:
            form.what_happened.errors.append(_("Write what happened, or add a photo."))
        else:
            services.correct_entry(db.session, item, current_user, EntryKind(form.kind.data), when,
                                   form.what_happened.data or "", form.what_was_done.data or "", form.child_mood.data)
            db.session.commit()
            flash(_("Your correction is saved. The earlier text stays visible in the history."), "success")
            return redirect(url_for("safety_log.entry", household_id=household_id, entry_id=entry_id))
    return render_template("safety_log/correct.html", form=form, entry=item)


@bp.route("/<int:entry_id>/withdraw", methods=["POST"])
@household_permission("log.write")
def withdraw(household_id: int, entry_id: int):
    item = _entry_or_404(entry_id)
    if not services.may_change(item, current_user) or not EmptyForm().validate_on_submit():
        abort(403)
    services.withdraw_entry(db.session, item, current_user)
    db.session.commit()
    flash(_("The entry is withdrawn. It stays in the history, marked as withdrawn."), "success")
    return redirect(url_for("safety_log.entry", household_id=household_id, entry_id=entry_id))


@bp.route("/<int:entry_id>/highlight", methods=["POST"])
@household_permission("log.write")
def highlight(household_id: int, entry_id: int):
    item = _entry_or_404(entry_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    marked = services.toggle_highlight(db.session, item, current_user)
    db.session.commit()
    flash(_("Marked for the next network meeting.") if marked else _("No longer marked for the network meeting."), "success")
    return redirect(url_for("safety_log.entry", household_id=household_id, entry_id=entry_id))


@bp.route("/pictures/<int:attachment_id>")
@household_permission("log.read")
def picture(household_id: int, attachment_id: int):
    attachment = get_in_household_or_404(LogAttachment, attachment_id)
    _entry_or_404(attachment.entry_id)
    response = send_from_directory(services.upload_folder(current_app.instance_path, household_id),
                                   attachment.filename, mimetype=attachment.mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _drawing(data_url: str | None) -> images.CleanImage | None:
    return images.from_data_url(data_url) if data_url else None


def _child_entry(form: ChildMessageForm) -> services.NewEntry | None:
    """The child's message from the form, or None with a message at the right place."""
    try:
        drawing = _drawing(form.drawing.data)
    except images.ImageRejected as rejected:
        form.drawing.errors.append(rejected.drawing_message)
        return None
    if not (drawing or form.pictogram.data or (form.words.data or "").strip()):
        form.words.errors.append(_("Draw something, pick a picture or write a few words."))
        return None
    return services.NewEntry(kind=EntryKind.child_message, occurred_at=utcnow(), what_happened=form.words.data or "",
                             pictogram=form.pictogram.data or None, drawing=drawing)


@bp.route("/child", methods=["GET", "POST"])
@child_page("log.child_message")
def child_message(household_id: int):
    form = ChildMessageForm()
    if not form.is_submitted():
        form.client_id.data = str(uuid.uuid4())
    new = _child_entry(form) if form.validate_on_submit() else None
    if new is not None:
        # The child is the one whose view this is; the grown-up whose phone it is answers for the entry.
        entry, created = services.write_entry(db.session, current_app.instance_path, g.household, current_user,
                                              form.client_id.data, new, recorded_by=current_user, child=g.child)
        db.session.commit()
        if _wants_json():  # sent by the outbox: written on this phone without a connection
            return jsonify(id=entry.id, created=created), (201 if created else 200)
        return render_template("safety_log/child_sent.html")
    if form.is_submitted() and _wants_json():
        return jsonify(errors=_form_errors(form)), 422
    return render_template("safety_log/child_message.html", form=form)
