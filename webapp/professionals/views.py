"""Routes for professionals: the read-only summary of a period, the caseload, and the household's access page (who
has access until when, end or extend it, and every view)."""
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, get_timezone, gettext as _
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission, nav_membership, signed_in
from webapp.extensions import db
from webapp.grants import services as grants
from webapp.grants.models import AccessGrant
from webapp.professionals import access, labels, services
from webapp.professionals.forms import ExtendForm, PeriodForm, period_problem
from webapp.safety_log.forms import KIND_ICONS, KIND_LABELS

bp = Blueprint("professionals", __name__)


def _tz() -> ZoneInfo:
    """The household's time zone (Flask-Babel hands out a pytz zone; the services take a zoneinfo one)."""
    return ZoneInfo(str(get_timezone()))


@bp.app_template_filter("last_day")
def last_day_filter(moment):
    """The last local day of access that ends at `moment` (the midnight after it)."""
    return services.last_day(moment, _tz()) if moment is not None else None


@bp.app_template_filter("local_day")
def local_day_filter(moment):
    """The local day of a naive UTC moment (a period's first day)."""
    return services.evidence.local_date(moment, _tz()) if moment is not None else None


@bp.app_context_processor
def professional_helpers():
    def professional_here() -> bool:
        """For the menu: is the person a professional in the household the menu is about?"""
        membership = nav_membership() if current_user.is_authenticated else None
        return membership is not None and grants.is_professional_membership(membership)
    return {"professional_here": professional_here}


def _period(form: PeriodForm) -> tuple[date, date, bool]:
    """(first day, last day, since the last meeting?): what was asked, else the default."""
    first, last, since_meeting = services.default_days(db.session, g.household.id, utcnow(), _tz())
    if request.args and form.validate() and (form.start.data or form.end.data):
        asked = (form.start.data or first, form.end.data or last)
        problem = period_problem(*asked)
        if problem is None:
            return asked[0], asked[1], False
        (form.end if form.end.data else form.start).errors.append(problem)
    if not form.errors:
        form.start.data, form.end.data = first, last
    return first, last, since_meeting


@bp.route("/h/<int:household_id>/summary")
@household_permission("summary.read")
def summary(household_id: int):
    form = PeriodForm(request.args)
    first, last, since_meeting = _period(form)
    tz, now = _tz(), utcnow()
    period = services.days_period(first, last, tz)
    if g.get("professional_view_id"):
        services.note_period(db.session, g.professional_view_id, period)
        db.session.commit()
    data = services.summary(db.session, g.household, period, tz, now, with_signals=not g.membership.signals_hidden)
    return render_template("professionals/summary.html", s=data, form=form, first=first, last=last,
                           since_meeting=since_meeting, printed_at=now, kind_labels=KIND_LABELS, kind_icons=KIND_ICONS,
                           is_professional=grants.is_professional_membership(g.membership)), \
        (422 if form.errors else 200)


@bp.route("/caseload")
@signed_in
def caseload():
    now = utcnow()
    lines = services.caseload(db.session, current_user.id, now)
    if lines:
        needed = access.second_factor_needed()
        if needed is not None:
            return needed
        for line in lines:  # a line of each household is a view of its data too
            services.record_view(db.session, line.household.id, current_user.id, "professionals.caseload", "", now)
        db.session.commit()
    return render_template("professionals/caseload.html", lines=lines)


@bp.route("/h/<int:household_id>/access")
@household_permission("access.manage")
def access_page(household_id: int):
    now = utcnow()
    before = request.args.get("before", type=int)
    views = services.views(db.session, household_id, before)
    grants = services.grants(db.session, household_id, now)
    return render_template("professionals/access.html", active_grants=[x for x in grants if x.active(now)],
                           ended_grants=[x for x in grants if not x.active(now)],
                           invitations=services.waiting_invitations(db.session, household_id, now), views=views,
                           before=before, more=len(views) == services.AUDIT_PAGE_SIZE, page_label=labels.page_label)


@bp.route("/h/<int:household_id>/access/<int:grant_id>/end", methods=["GET", "POST"])
@household_permission("access.manage")
def end_access(household_id: int, grant_id: int):
    grant = get_in_household_or_404(AccessGrant, grant_id)
    form = EmptyForm()
    if form.validate_on_submit():
        services.end_grant(db.session, grant, current_user, utcnow())
        db.session.commit()
        flash(_("%(name)s can no longer see anything of this household.", name=_name(grant)), "success")
        return redirect(url_for(".access_page", household_id=household_id))
    return render_template("professionals/end.html", grant=grant, form=form, active=grant.active(utcnow()))


@bp.route("/h/<int:household_id>/access/<int:grant_id>/extend", methods=["GET", "POST"])
@household_permission("access.manage")
def extend_access(household_id: int, grant_id: int):
    grant = get_in_household_or_404(AccessGrant, grant_id)
    now, tz = utcnow(), _tz()
    if not grant.active(now):
        flash(_("This access has ended. Invite the professional again to give new access."), "error")
        return redirect(url_for(".access_page", household_id=household_id))
    form = ExtendForm()
    form.today = grants.local_today(now, tz)
    if not form.is_submitted():
        form.ends_on.data = services.last_day(grant.ends_at, tz)
    if form.validate_on_submit():
        services.extend_grant(db.session, grant, grants.end_of_day(form.ends_on.data, tz), now)
        db.session.commit()
        flash(_("%(name)s can read the summary until %(date)s.", name=_name(grant),
                date=format_date(form.ends_on.data, "long")), "success")
        return redirect(url_for(".access_page", household_id=household_id))
    return render_template("professionals/extend.html", grant=grant, form=form), (422 if form.errors else 200)


def _name(grant: AccessGrant) -> str:
    return grant.user.display_name if grant.user else _("Former member")
