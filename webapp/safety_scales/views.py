"""Routes for danger statements, safety goals and scales: the overview with charts, writing and ordering the
statements, scoring, one scale's full history, and the phase page where the chair moves the household on."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_timezone, gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission, may, nav_membership
from webapp.extensions import db
from webapp.households.models import Phase
from webapp.i18n import PHASE_EXPLANATIONS, PHASE_LABELS
from webapp.safety_scales import charts, labels, parts, services
from webapp.safety_scales.forms import PhaseMoveForm, ScoreForm, StatementForm
from webapp.safety_scales.models import MAX_ACTIVE_STATEMENTS, DangerStatement, SafetyScale

bp = Blueprint("safety_scales", __name__, url_prefix="/h/<int:household_id>")


@bp.app_context_processor
def scale_helpers():
    def scales_phase_progress(people=None):
        """For the phase card on the household home (which passes the people it read): only queries for people
        who may read the scales."""
        membership = nav_membership() if current_user.is_authenticated else None
        if membership is None or not may("scales.read"):
            return None
        return services.phase_progress(db.session, membership.household, utcnow(), _tz(), people)
    return {"scales_phase_progress": scales_phase_progress, "month_state_text": labels.MONTH_STATE_TEXT,
            "chart_marker": charts.marker}


def _tz() -> ZoneInfo:
    """The household's time zone (Flask-Babel hands out a pytz zone; the services take a zoneinfo one)."""
    return ZoneInfo(str(get_timezone()))


@dataclass
class ScaleOverview:
    """One statement's card on the scales page: its charts (kept per process) and my latest score."""
    statement: DangerStatement
    charts: Markup  # parts.statement_charts
    mine: services.Score | None  # my latest score


def _overviews(statements: list[DangerStatement]) -> list[ScaleOverview]:
    scores = services.scores_of(db.session, [s.scale.id for s in statements])
    members = services.member_names(db.session, g.household.id)
    now, tz, me = utcnow(), _tz(), current_user.id
    return [ScaleOverview(statement, parts.statement_charts(statement.id, statement.scale.question,
                                                            scores[statement.scale.id], members, now, tz),
                          next((row for row in reversed(scores[statement.scale.id]) if row.user_id == me), None))
            for statement in statements]


def _this_month(moment: datetime | None) -> bool:
    tz = _tz()
    return moment is not None and services.local_month(moment, tz) == services.local_month(utcnow(), tz)


def _input(form: StatementForm) -> services.StatementInput:
    return services.StatementInput(form.who_is_worried.data, form.what_adults_do.data, form.worst_case.data,
                                   form.goal.data, form.scale_name.data)


def _overview_url(household_id: int, anchor: str | None = None) -> str:
    return url_for("safety_scales.overview", household_id=household_id, _anchor=anchor)


@bp.route("/scales")
@household_permission("scales.read")
def overview(household_id: int):
    active = services.active_statements(db.session, household_id)
    return render_template("safety_scales/overview.html", scales=_overviews(active),
                           archived=services.archived_statements(db.session, household_id),
                           max_active=MAX_ACTIVE_STATEMENTS, this_month=_this_month, form=EmptyForm())


@bp.route("/scales/new", methods=["GET", "POST"])
@household_permission("scales.edit")
def new_statement(household_id: int):
    form = StatementForm()
    full = len(services.active_statements(db.session, household_id)) >= MAX_ACTIVE_STATEMENTS
    if form.validate_on_submit():
        try:
            statement = services.add_statement(db.session, g.household, current_user, _input(form), utcnow())
        except services.TooManyStatements:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("The danger statement, its goal and its scale are saved."), "success")
            return redirect(_overview_url(household_id, f"statement-{statement.id}"))
        full = True
    status = 422 if form.is_submitted() else 200
    return render_template("safety_scales/statement.html", form=form, statement=None, full=full,
                           max_active=MAX_ACTIVE_STATEMENTS, limit_error=full and form.is_submitted()), status


@bp.route("/scales/statements/<int:statement_id>/edit", methods=["GET", "POST"])
@household_permission("scales.edit")
def edit_statement(household_id: int, statement_id: int):
    statement = get_in_household_or_404(DangerStatement, statement_id)
    if not statement.active:
        abort(404)
    form = StatementForm()
    if not form.is_submitted():
        form.process(data={"who_is_worried": statement.who_is_worried, "what_adults_do": statement.what_adults_do,
                           "worst_case": statement.worst_case, "goal": statement.goal.text,
                           "scale_name": statement.scale.question})
    elif form.validate():
        services.update_statement(db.session, statement, _input(form))
        db.session.commit()
        flash(_("The changes are saved."), "success")
        return redirect(_overview_url(household_id, f"statement-{statement.id}"))
    return render_template("safety_scales/statement.html", form=form, statement=statement, full=False,
                           max_active=MAX_ACTIVE_STATEMENTS, limit_error=False), (422 if form.is_submitted() else 200)


def _statement_for_post(statement_id: int) -> DangerStatement:
    statement = get_in_household_or_404(DangerStatement, statement_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return statement


@bp.route("/scales/statements/<int:statement_id>/archive", methods=["POST"])
@household_permission("scales.edit")
def archive_statement(household_id: int, statement_id: int):
    statement = _statement_for_post(statement_id)
    services.archive_statement(db.session, statement, utcnow())
    db.session.commit()
    flash(_("The danger statement is archived. Its scores stay readable below."), "success")
    return redirect(_overview_url(household_id, "archived"))


@bp.route("/scales/statements/<int:statement_id>/restore", methods=["POST"])
@household_permission("scales.edit")
def restore_statement(household_id: int, statement_id: int):
    statement = _statement_for_post(statement_id)
    try:
        services.restore_statement(db.session, statement)
    except services.TooManyStatements:
        db.session.rollback()
        flash(_("There are already %(n)s danger statements. Archive one first.", n=MAX_ACTIVE_STATEMENTS), "error")
        return redirect(_overview_url(household_id, "archived"))
    db.session.commit()
    flash(_("The danger statement is active again."), "success")
    return redirect(_overview_url(household_id, f"statement-{statement.id}"))


@bp.route("/scales/statements/<int:statement_id>/move", methods=["POST"])
@household_permission("scales.edit")
def move_statement(household_id: int, statement_id: int):
    statement = _statement_for_post(statement_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    services.move_statement(db.session, statement, offset)
    db.session.commit()
    return redirect(_overview_url(household_id, f"statement-{statement.id}"))


@bp.route("/scales/<int:scale_id>")
@household_permission("scales.read")
def scale(household_id: int, scale_id: int):
    the_scale = get_in_household_or_404(SafetyScale, scale_id)
    scores = services.scores_of(db.session, [the_scale.id])[the_scale.id]
    view = parts.charts_of(the_scale.question, scores, services.member_names(db.session, household_id),
                           charts.chart_end(utcnow()), _tz())
    return render_template("safety_scales/scale.html", st=the_scale.statement, s=view, months=_by_month(view.series),
                           series_of={row.id: se for se in view.series for row in se.scores})


def _by_month(series: list[services.Series]) -> list[tuple[datetime, list[services.ScaleScore]]]:
    """Every score, newest first, in groups per local month."""
    tz, months = _tz(), {}
    for row in sorted((row for se in series for row in se.scores), key=lambda row: row.scored_at, reverse=True):
        months.setdefault(services.local_month(row.scored_at, tz), []).append(row)
    return list(months.items())


def _next_to_score(household_id: int, after: SafetyScale) -> SafetyScale | None:
    """The next active scale this person has not scored this month, so that scoring them all is one flow."""
    statements = services.active_statements(db.session, household_id)
    for statement in statements[statements.index(after.statement) + 1:] + statements:
        if statement.scale.id != after.id:
            last = services.last_score_by(db.session, statement.scale, current_user)
            if last is None or not _this_month(last.scored_at):
                return statement.scale
    return None


@bp.route("/scales/<int:scale_id>/score", methods=["GET", "POST"])
@household_permission("scales.score")
def score(household_id: int, scale_id: int):
    the_scale = get_in_household_or_404(SafetyScale, scale_id)
    if not the_scale.statement.active:
        flash(_("This danger statement is archived, so its scale cannot be scored any more."), "error")
        return redirect(url_for(".scale", household_id=household_id, scale_id=scale_id))
    form = ScoreForm()
    if form.validate_on_submit():
        services.add_score(db.session, the_scale, current_user, form.score.data, form.behaviour.data, utcnow())
        db.session.commit()
        following = _next_to_score(household_id, the_scale)
        if following is not None:
            flash(_("Thank you, your score is saved. Now the next scale."), "success")
            return redirect(url_for(".score", household_id=household_id, scale_id=following.id))
        flash(_("Thank you, your score is saved."), "success")
        return redirect(_overview_url(household_id, f"statement-{the_scale.statement_id}"))
    last = services.last_score_by(db.session, the_scale, current_user)
    return render_template("safety_scales/score.html", form=form, scale=the_scale, statement=the_scale.statement,
                           last=last, this_month=_this_month, score_choices=parts.score_choices), (
        422 if form.is_submitted() else 200)


def _phase_page(form: PhaseMoveForm, status: int = 200):
    progress = services.phase_progress(db.session, g.household, utcnow(), _tz())
    return render_template("safety_scales/phase.html", progress=progress, form=form,
                           moves=services.phase_moves(db.session, g.household.id),
                           explanation=PHASE_EXPLANATIONS[g.household.phase.value],
                           other_conditions=labels.OTHER_CONDITIONS[g.household.phase.value]), status


@bp.route("/phase")
@household_permission("scales.read")
def phase(household_id: int):
    form = PhaseMoveForm()
    form.limit_to_other_phases(g.household.phase.value)
    progress_next = services.PHASE_ORDER.index(g.household.phase) + 1
    if progress_next < len(services.PHASE_ORDER):
        form.to_phase.data = services.PHASE_ORDER[progress_next].value
    return _phase_page(form)


@bp.route("/phase/move", methods=["POST"])
@household_permission("phase.move")
def move_phase(household_id: int):
    form = PhaseMoveForm()
    form.limit_to_other_phases(g.household.phase.value)
    if not form.validate_on_submit():
        return _phase_page(form, 422)
    services.move_phase(db.session, g.household, current_user, Phase(form.to_phase.data), form.note.data, utcnow())
    db.session.commit()
    flash(_("The household is now in the phase “%(phase)s”.", phase=PHASE_LABELS[g.household.phase.value]), "success")
    return redirect(url_for(".phase", household_id=household_id))
