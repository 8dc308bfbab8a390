"""Routes of network meetings: the list with who chaired, planning and changing a meeting, replies and questions,
the calendar file, the preparation pack, recording the minutes (scores, decisions), sharing and printing them."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_timezone, to_user_timezone, to_utc
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import (
    get_in_household_or_404,
    household_permission,
    may,
    nav_membership,
)
from webapp.extensions import db
from webapp.meetings import notices, pack, services, tasks
from webapp.meetings.forms import (
    CHANGE_LABELS,
    REPLY_LABELS,
    DecisionForm,
    MeetingForm,
    MeetingScoreForm,
    MinutesForm,
    QuestionForm,
    ReplyForm,
)
from webapp.meetings.models import (
    Meeting,
    MeetingDecision,
    MeetingQuestion,
    MeetingStatus,
    PlanChange,
    Reply,
)
from webapp.safety_plan import services as plan
from webapp.safety_plan.models import PlanVersion
from webapp.safety_scales.models import SafetyScale
from webapp.safety_scales.services import InvalidScore

bp = Blueprint("meetings", __name__, url_prefix="/h/<int:household_id>/meetings")

RULE_MESSAGES = {
    "no_place": lambda: _("Write where you meet, or give a video call link."),
    "in_the_past": lambda: _("This time has already passed. Choose a day and time still to come."),
    "not_a_member": lambda: _("This person is not in the household any more. Choose someone else."),
    "not_planned": lambda: _("This meeting is no longer planned, so this cannot change any more."),
    "not_yours": lambda: _("Only the person who asked it, or the chair, can take a question back."),
    "no_text": lambda: _("Write something first."),
    "cancelled": lambda: _("This meeting was cancelled."),
    "not_begun": lambda: _("You can record the meeting once it has begun."),
    "shared": lambda: _("The minutes are shared already, so this cannot be taken back any more."),
    "not_recorded": lambda: _("Save the minutes first. Then you can share them."),
    "agreement_gone": lambda: _("This agreement is not in the plan any more. Choose another one."),
    "no_proposal": lambda: _("Write the agreement as it should be in the plan."),
    "not_a_draft": lambda: _("The plan's draft could not be changed. Look at the plan and try again."),
    "no_agreements": lambda: _("The plan's draft could not be changed. Look at the plan and try again."),
}


@bp.app_context_processor
def meeting_helpers():
    def next_meeting_start_for_home():
        """For the household home's card: when the next meeting starts, only for people who may read meetings."""
        membership = nav_membership() if current_user.is_authenticated else None
        if membership is None or not may("meeting.read"):
            return None
        return services.next_start(db.session, membership.household_id, utcnow())
    return {"next_meeting_start_for_home": next_meeting_start_for_home, "reply_labels": REPLY_LABELS,
            "change_labels": CHANGE_LABELS}


def _tz() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))


def _settings() -> notices.Settings:
    config = current_app.config
    return notices.Settings(config["BASE_URL"], config["BABEL_DEFAULT_LOCALE"], _tz())


def _meeting_url(meeting: Meeting, endpoint: str = ".meeting", anchor: str | None = None) -> str:
    return url_for(endpoint, household_id=meeting.household_id, meeting_id=meeting.id, _anchor=anchor)


def _refuse(error: services.MeetingRuleBroken, meeting: Meeting, endpoint: str = ".meeting"):
    db.session.rollback()
    flash(RULE_MESSAGES[error.reason](), "error")
    return redirect(_meeting_url(meeting, endpoint))


def _post_form_or_400() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _notify(meeting_id: int, user_ids: list[int], kind: str) -> None:
    if user_ids:
        tasks.send_notices(meeting_id, user_ids, kind)


# --- the list ----------------------------------------------------------------------------------------

@bp.route("/")
@household_permission("meeting.read")
def index(household_id: int):
    now = utcnow()
    everything = services.meetings(db.session, household_id)
    coming = sorted((m for m in everything if m.status == MeetingStatus.planned and m.starts_at >= now),
                    key=lambda m: m.starts_at)
    to_record = [m for m in everything if m.status == MeetingStatus.planned and m.starts_at < now]
    past = [m for m in everything if m.status != MeetingStatus.planned or m.starts_at < now]
    return render_template("meetings/index.html", coming=coming, to_record=to_record, past=past,
                           history=services.chair_history(db.session, household_id, now))


# --- planning ----------------------------------------------------------------------------------------

def _fill_choices(form: MeetingForm) -> None:
    household = g.household
    form.topics.choices = [(s.id, s.scale.question) for s in services.statements_for_topics(db.session, household.id)]
    form.chair.choices = [("", _("Not decided yet"))] + [
        (m.user_id, m.user.display_name) for m in services.chair_choices(db.session, household)]
    form.invitees.choices = [(m.user_id, m.user.display_name)
                             for m in services.invitee_choices(db.session, household)]


def _meeting_input(form: MeetingForm) -> services.MeetingInput:
    starts_at = to_utc(datetime.combine(form.day.data, form.start.data))
    return services.MeetingInput(starts_at, form.duration.data, form.place.data or "", form.video_link.data or "",
                                 form.chair.data, list(form.topics.data or []), list(form.invitees.data or []))


def _form_refused(form: MeetingForm, error: services.MeetingRuleBroken) -> None:
    db.session.rollback()
    field = {"in_the_past": form.day, "no_place": form.place}.get(error.reason, form.chair)
    field.errors = [*field.errors, RULE_MESSAGES[error.reason]()]


@bp.route("/new", methods=["GET", "POST"])
@household_permission("meeting.manage")
def new(household_id: int):
    form = MeetingForm()
    _fill_choices(form)
    if not form.is_submitted():
        form.topics.data = [value for value, _label in form.topics.choices]
        form.invitees.data = [value for value, _label in form.invitees.choices]
        form.chair.data = current_user.id
    elif form.validate():
        try:
            meeting = services.plan_meeting(db.session, g.household, current_user, _meeting_input(form), utcnow())
        except services.MeetingRuleBroken as error:
            _form_refused(form, error)
        else:
            db.session.commit()
            _notify(meeting.id, [i.user_id for i in meeting.invites], "invite")
            flash(_("The meeting is planned. The invitations are on their way."), "success")
            return redirect(_meeting_url(meeting))
    return render_template("meetings/plan.html", form=form, meeting=None), (422 if form.is_submitted() else 200)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@household_permission("meeting.manage")
def edit(household_id: int, meeting_id: int):
    meeting = get_in_household_or_404(Meeting, meeting_id)
    if meeting.status != MeetingStatus.planned:
        return _refuse(services.MeetingRuleBroken("not_planned"), meeting)
    form = MeetingForm()
    _fill_choices(form)
    if not form.is_submitted():
        local = to_user_timezone(meeting.starts_at)
        form.process(data={"day": local.date(), "start": local.time(), "duration": meeting.duration_minutes,
                           "place": meeting.place, "video_link": meeting.video_link, "chair": meeting.chair_id,
                           "topics": [s.id for s in meeting.topics],
                           "invitees": [i.user_id for i in meeting.invites if i.user_id is not None]})
    elif form.validate():
        try:
            update = services.update_meeting(db.session, meeting, g.household, _meeting_input(form), utcnow())
        except services.MeetingRuleBroken as error:
            _form_refused(form, error)
        else:
            db.session.commit()
            _notify(meeting.id, update.added, "invite")
            _notify(meeting.id, update.kept if update.moved else [], "changed")
            flash(_("The changes are saved.") if not update.moved else
                  _("The changes are saved. Everyone invited hears about the new time or place."), "success")
            return redirect(_meeting_url(meeting))
    return render_template("meetings/plan.html", form=form, meeting=meeting), (422 if form.is_submitted() else 200)


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
@household_permission("meeting.manage")
def cancel(household_id: int, meeting_id: int):
    meeting = get_in_household_or_404(Meeting, meeting_id)
    if request.method != "POST":
        return render_template("meetings/cancel.html", meeting=meeting)
    _post_form_or_400()
    try:
        invited = services.cancel_meeting(db.session, meeting)
    except services.MeetingRuleBroken as error:
        return _refuse(error, meeting)
    db.session.commit()
    _notify(meeting.id, invited, "cancelled")
    flash(_("The meeting is cancelled. Everyone invited hears about it."), "success")
    return redirect(url_for(".index", household_id=household_id))


# --- one meeting: replies, questions, the calendar file -----------------------------------------------------

def _meeting_page(meeting: Meeting, question_form: QuestionForm | None = None, status: int = 200):
    return render_template("meetings/meeting.html", meeting=meeting, mine=services.invite_of(meeting, current_user),
                           reply_form=ReplyForm(), question_form=question_form or QuestionForm(),
                           action_form=EmptyForm(), now=utcnow(),
                           draft=plan.draft_of(db.session, meeting.household_id)), status


@bp.route("/<int:meeting_id>")
@household_permission("meeting.read")
def meeting(household_id: int, meeting_id: int):
    return _meeting_page(get_in_household_or_404(Meeting, meeting_id))


@bp.route("/<int:meeting_id>/reply", methods=["POST"])
@household_permission("meeting.respond")
def reply(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(_("Choose whether you are coming."), "error")
        return redirect(_meeting_url(item))
    try:
        services.reply(db.session, item, current_user, Reply(form.reply.data), utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item)
    db.session.commit()
    flash(_("Thank you. Everyone invited can see your answer."), "success")
    return redirect(_meeting_url(item, anchor="reply"))


@bp.route("/<int:meeting_id>/questions", methods=["POST"])
@household_permission("meeting.respond")
def ask(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _meeting_page(item, form, 422)
    try:
        services.add_question(db.session, item, current_user, form.text.data, utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item)
    db.session.commit()
    flash(_("Your question is added. The chair puts it on the agenda."), "success")
    return redirect(_meeting_url(item, anchor="questions"))


@bp.route("/<int:meeting_id>/questions/<int:question_id>/remove", methods=["POST"])
@household_permission("meeting.respond")
def remove_question(household_id: int, meeting_id: int, question_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    question = get_in_household_or_404(MeetingQuestion, question_id)
    if question.meeting_id != item.id:
        abort(404)
    _post_form_or_400()
    try:
        services.remove_question(db.session, question, current_user, may("meeting.manage"))
    except services.MeetingRuleBroken as error:
        return _refuse(error, item)
    db.session.commit()
    flash(_("The question is taken off."), "success")
    return redirect(_meeting_url(item, anchor="questions"))


@bp.route("/<int:meeting_id>/calendar.ics")
@household_permission("meeting.read")
def calendar_file(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    body = notices.calendar_file(item, current_user, _settings())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="meeting-{item.id}.ics"'})


# --- the preparation pack ------------------------------------------------------------------------------

def _pack(meeting_id: int) -> pack.Pack:
    item = get_in_household_or_404(Meeting, meeting_id)
    return pack.build(db.session, g.household, item, utcnow(), _tz(), with_signals=not g.membership.signals_hidden)


@bp.route("/<int:meeting_id>/pack")
@household_permission("meeting.read")
def preparation(household_id: int, meeting_id: int):
    return render_template("meetings/pack.html", pack=_pack(meeting_id), printing=False)


@bp.route("/<int:meeting_id>/pack/print")
@household_permission("meeting.read")
def print_preparation(household_id: int, meeting_id: int):
    return render_template("meetings/pack_print.html", pack=_pack(meeting_id), printing=True, printed_at=utcnow())


# --- recording ----------------------------------------------------------------------------------------

def _minutes_choices(form: MinutesForm, meeting: Meeting) -> None:
    form.chair.choices = [("", _("Not decided yet"))] + [
        (m.user_id, m.user.display_name) for m in services.chair_choices(db.session, g.household)]
    form.attended.choices = [(i.user_id, i.user.display_name) for i in meeting.invites if i.user is not None]


def _score_choices(form: MeetingScoreForm) -> None:
    statements = services.statements_for_topics(db.session, g.household.id)
    form.scale.choices = [("", _("Choose"))] + [(s.scale.id, s.scale.question) for s in statements]
    form.person.choices = [("", _("Choose"))] + [
        (m.user_id, m.user.display_name) for m in services.invitee_choices(db.session, g.household)]


def _decision_choices(form: DecisionForm) -> None:
    form.agreement.choices = [("", _("Choose"))] + services.agreement_choices(db.session, g.household.id)


def _record_page(meeting: Meeting, minutes: MinutesForm | None = None, score: MeetingScoreForm | None = None,
                 decision: DecisionForm | None = None, status: int = 200):
    minutes = minutes or _minutes_defaults(meeting)
    score = score or MeetingScoreForm(prefix="score", formdata=None)
    decision = decision or DecisionForm(prefix="decision", formdata=None)
    _minutes_choices(minutes, meeting)
    _score_choices(score)
    _decision_choices(decision)
    return render_template("meetings/record.html", meeting=meeting, minutes_form=minutes, score_form=score,
                           decision_form=decision, action_form=EmptyForm(), now=utcnow(),
                           scores=services.meeting_scores(db.session, meeting),
                           versions={v.id: v for v in plan.all_versions(db.session, meeting.household_id)},
                           begun=services.begun(meeting, utcnow())), status


def _minutes_defaults(meeting: Meeting) -> MinutesForm:
    """The form as recorded so far; before anything is recorded, who said they were coming."""
    form = MinutesForm(formdata=None)
    recorded = meeting.status == MeetingStatus.held
    attended = [i.user_id for i in meeting.invites if (i.attended if recorded else i.reply == Reply.coming)]
    following = meeting.next_meeting if meeting.next_meeting and meeting.next_meeting.status == MeetingStatus.planned \
        else None
    local_next = to_user_timezone(following.starts_at) if following else None
    form.process(data={"chair": meeting.chair_id, "attended": attended, "worries": meeting.worries,
                       "going_well": meeting.going_well, "next_steps": meeting.next_steps,
                       "next_day": local_next.date() if local_next else None,
                       "next_start": local_next.time() if local_next else None})
    return form


@bp.route("/<int:meeting_id>/record", methods=["GET", "POST"])
@household_permission("meeting.manage")
def record(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    if request.method != "POST":
        return _record_page(item)
    form = MinutesForm()
    _minutes_choices(form, item)
    if not form.validate():
        return _record_page(item, minutes=form, status=422)
    next_at = to_utc(datetime.combine(form.next_day.data, form.next_start.data)) if form.next_day.data else None
    data = services.MinutesInput(form.chair.data, list(form.attended.data or []), form.worries.data or "",
                                 form.going_well.data or "", form.next_steps.data or "", next_at)
    try:
        fresh = services.record_minutes(db.session, item, g.household, current_user, data, utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    db.session.commit()
    if fresh is not None:
        _notify(fresh.id, [i.user_id for i in fresh.invites], "invite")
    flash(_("The minutes are saved.") if fresh is None else
          _("The minutes are saved, and the next meeting is planned. The invitations are on their way."), "success")
    return redirect(_meeting_url(item, ".record", "scores"))


@bp.route("/<int:meeting_id>/scores", methods=["POST"])
@household_permission("meeting.manage")
def add_score(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    form = MeetingScoreForm(prefix="score")
    _score_choices(form)
    if not form.validate_on_submit():
        return _record_page(item, score=form, status=422)
    scale = get_in_household_or_404(SafetyScale, form.scale.data)
    try:
        services.add_meeting_score(db.session, item, g.household, form.person.data, scale, form.score.data,
                                   form.behaviour.data, utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    except InvalidScore:
        db.session.rollback()
        flash(_("This danger statement is archived, so its scale cannot be scored any more."), "error")
        return redirect(_meeting_url(item, ".record", "scores"))
    db.session.commit()
    flash(_("The score is saved."), "success")
    return redirect(_meeting_url(item, ".record", "scores"))


@bp.route("/<int:meeting_id>/scores/<int:score_id>/remove", methods=["POST"])
@household_permission("meeting.manage")
def remove_score(household_id: int, meeting_id: int, score_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    _post_form_or_400()
    try:
        removed = services.remove_meeting_score(db.session, item, score_id)
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    if not removed:
        abort(404)
    db.session.commit()
    flash(_("The score is taken off."), "success")
    return redirect(_meeting_url(item, ".record", "scores"))


@bp.route("/<int:meeting_id>/decisions", methods=["POST"])
@household_permission("meeting.manage")
def add_decision(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    form = DecisionForm(prefix="decision")
    _decision_choices(form)
    if not form.validate_on_submit():
        return _record_page(item, decision=form, status=422)
    data = services.DecisionInput(form.text.data, PlanChange(form.change.data), form.agreement.data,
                                  form.proposed_text.data or "")
    try:
        decision = services.add_decision(db.session, item, g.household, current_user, data, utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    db.session.commit()
    if decision.version_id is not None:
        draft = db.session.get(PlanVersion, decision.version_id)
        flash(_("The decision is saved. Its change is in draft version %(n)s of the safety plan: look at it there "
                "and agree on it together.", n=draft.number), "success")
    else:
        flash(_("The decision is saved."), "success")
    return redirect(_meeting_url(item, ".record", "decisions"))


@bp.route("/<int:meeting_id>/decisions/<int:decision_id>/remove", methods=["POST"])
@household_permission("meeting.manage")
def remove_decision(household_id: int, meeting_id: int, decision_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    decision = get_in_household_or_404(MeetingDecision, decision_id)
    if decision.meeting_id != item.id:
        abort(404)
    _post_form_or_400()
    try:
        services.remove_decision(db.session, decision)
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    db.session.commit()
    flash(_("The decision is taken off the minutes. A change it made in the draft plan stays there: change it in "
            "the plan if needed."), "success")
    return redirect(_meeting_url(item, ".record", "decisions"))


@bp.route("/<int:meeting_id>/share", methods=["POST"])
@household_permission("meeting.manage")
def share(household_id: int, meeting_id: int):
    item = get_in_household_or_404(Meeting, meeting_id)
    _post_form_or_400()
    try:
        told = services.share_minutes(db.session, item, utcnow())
    except services.MeetingRuleBroken as error:
        return _refuse(error, item, ".record")
    db.session.commit()
    _notify(item.id, [u for u in told if u != current_user.id], "minutes")
    flash(_("The minutes are shared with everyone in the network."), "success")
    return redirect(_meeting_url(item, ".minutes"))


# --- the minutes -----------------------------------------------------------------------------------------

def _minutes_context(meeting_id: int) -> dict:
    item = get_in_household_or_404(Meeting, meeting_id)
    readable = item.status == MeetingStatus.held and (item.minutes_shared_at is not None or may("meeting.manage"))
    return {"meeting": item, "readable": readable, "scores": services.meeting_scores(db.session, item) if readable
            else [], "versions": {v.id: v for v in plan.all_versions(db.session, item.household_id)}}


@bp.route("/<int:meeting_id>/minutes")
@household_permission("meeting.read")
def minutes(household_id: int, meeting_id: int):
    return render_template("meetings/minutes.html", printing=False, **_minutes_context(meeting_id))


@bp.route("/<int:meeting_id>/minutes/print")
@household_permission("meeting.read")
def print_minutes(household_id: int, meeting_id: int):
    return render_template("meetings/minutes_print.html", printing=True, printed_at=utcnow(),
                           **_minutes_context(meeting_id))
