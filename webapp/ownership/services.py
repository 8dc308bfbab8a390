"""Exports as ZIP files of JSON plus the photos and drawings: everything a person wrote or that is about
them, or all of a household's records. Leaving a household (and asking it to remove what one wrote), and
closing and erasing one."""
import io
import json
import shutil
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from webapp.auth import recovery
from webapp.auth.models import User, utcnow
from webapp.authz import EDITORS
from webapp.children.services import erase_removed as erase_removed_children, export as children_export
from webapp.database import prepared
from webapp.households.models import Child, Household, Membership, MembershipRole
from webapp.households.services import editors_left_without, people
from webapp.invitations.models import Invitation
from webapp.meetings import services as meetings
from webapp.notify.models import PushSubscription, SmsNumber
from webapp.ownership.models import RemovalDecision, RemovalRequest, RemovalRequestEntry
from webapp.professionals import services as professionals
from webapp.resilience_calendar.models import ActivityElement, CalendarActivity
from webapp.drills import services as drills
from webapp.genogram import services as genogram
from webapp.three_houses import services as three_houses
from webapp.safety_circle import services as safety_circle
from webapp.safety_log.models import LogAttachment, LogEntry, LogEntryVersion, LogHighlight
from webapp.safety_log.services import visible
from webapp.safety_plan.models import Agreement, PlanVersion
from webapp.safety_plan.services import erase_household_plan, forget_watcher
from webapp.safety_scales.models import DangerStatement, PhaseMove, ScaleScore
from webapp.safety_scales.services import erase_household_scales
from webapp.signals import services as signals
from webapp.signals.labels import event_text
from webapp.signals.models import Acknowledgement, Signal
from webapp.uploads import upload_folder
from webapp.words_pictures.models import Page, WordsPictures
from webapp.words_pictures.services import erase_household_books


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    return str(value) if hasattr(value, "value") else value


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def _name(user: User | None) -> str | None:
    return user.display_name if user else None


def _entry(entry: LogEntry) -> dict:
    return {
        "id": entry.id, "household": entry.household_id, "kind": entry.kind.value, "occurred_at": entry.occurred_at,
        "written_at": entry.created_at, "author": _name(entry.author), "written_on_phone_of": _name(entry.recorded_by),
        "child": entry.child.first_name if entry.child else None,
        "what_happened": entry.what_happened, "what_was_done": entry.what_was_done, "child_mood": entry.child_mood,
        "pictogram": entry.pictogram, "withdrawn_at": entry.withdrawn_at,
        "files": [f"files/{a.household_id}/{a.filename}" for a in entry.attachments],
        "earlier_versions": [{"version": v.version, "kind": v.kind.value, "occurred_at": v.occurred_at,
                              "what_happened": v.what_happened, "what_was_done": v.what_was_done,
                              "replaced_at": v.replaced_at, "replaced_by": _name(v.replaced_by)} for v in entry.versions],
        "marked_for_meeting_by": [_name(h.user) for h in entry.highlights],
    }


def _activity(activity: CalendarActivity) -> dict:
    """An activity; one taken out of the calendar stays in the records, marked with who removed it and when."""
    removed = ({"removed": True, "removed_at": activity.removed_at, "removed_by": _name(activity.removed_by)}
               if activity.removed_at else {"removed": False})
    return {"day": activity.day, "start": activity.start_time, "end": activity.end_time,
            "part_of_day": activity.part_of_day.value if activity.part_of_day else None,
            "what": activity.description, "with_whom": activity.with_whom,
            "elements": sorted(e.value for e in activity.elements), "added_by_child": activity.by_child,
            "child": activity.child.first_name if activity.child else None, **removed}


def _signal(signal) -> dict:
    return {"id": signal.id, "household": signal.household_id, "source": signal.source.value, "practice": signal.drill,
            "raised_at": signal.created_at, "raised_by": _name(signal.raised_by), "note": signal.note,
            "child": signal.child.first_name if signal.child else None,
            "status": signal.status.value, "seconds_to_first_answer": signal.seconds_to_first_ack,
            "answers": [{"who": _name(a.user), "how": a.kind.value, "at": a.created_at} for a in signal.acknowledgements],
            "closed_at": signal.closed_at, "outcome": signal.outcome,
            "steps": [{"at": e.at, "what": event_text(e)} for e in signal.events]}


def _removal_request(request: RemovalRequest, hide_signals: bool, left_out: set[int]) -> dict:
    """`left_out`: ids of entries the export leaves out (written when a signal was closed, for a hidden member)."""
    return {"former_member": request.former_member_name, "asked_at": request.requested_at,
            "entries": request.count_for(hide_signals),
            "entries_still_in_log": [e.entry_id for e in request.entries if e.entry_id not in left_out],
            "decision": request.decision.value if request.decision else None, "decided_at": request.decided_at,
            "decided_by": _name(request.decided_by)}


def _plan(session: Session, household_id: int) -> list[dict]:
    versions = session.scalars(select(PlanVersion).where(PlanVersion.household_id == household_id)
                               .order_by(PlanVersion.plan_id, PlanVersion.number))
    return [{"plan": v.plan.kind.value, "version": v.number, "status": v.status.value, "written": v.created_at,
             "agreed": v.agreed_at, "how_we_inform": v.how_we_inform, "evaluation_date": v.evaluation_date,
             "safe_object": {"what": v.safe_object_what, "where": v.safe_object_where, "then": v.safe_object_action,
                             "watched_by": [_name(w.membership.user) for w in v.watchers]},
             "agreements": [{"what": a.what, "who": a.who, "when": a.when, "how_checked": a.how_checked,
                             "if_it_goes_wrong": a.if_it_goes_wrong,
                             "picture": f"files/{household_id}/{a.picture}" if a.picture else None} for a in v.agreements],
             "approvals": [{"name": x.name, "role": x.role, "on": x.approved_on} for x in v.approvals]} for v in versions]


def _score(score: ScaleScore) -> dict:
    return {"scale": score.scale.question, "by": _name(score.user), "score": score.score,
            "what_was_seen": score.behaviour, "at": score.scored_at}


def _statements(session: Session, household_id: int) -> list[dict]:
    statements = session.scalars(select(DangerStatement).where(DangerStatement.household_id == household_id)
                                 .order_by(DangerStatement.priority, DangerStatement.id))
    return [{"who_is_worried": d.who_is_worried, "what_adults_do": d.what_adults_do, "worst_case": d.worst_case,
             "goal": d.goal.text if d.goal else "", "active": d.active, "archived_at": d.archived_at,
             "scale": d.scale.question if d.scale else "",
             "scores": [_score(x) for x in (d.scale.scores if d.scale else [])]} for d in statements]


def _books(session: Session, household_id: int) -> list[dict]:
    books = session.scalars(select(WordsPictures).where(WordsPictures.household_id == household_id)
                            .order_by(WordsPictures.child_id, WordsPictures.id))
    names = dict(session.execute(select(Child.id, Child.first_name).where(Child.household_id == household_id)).all())
    return [{"child": names.get(b.child_id), "book": b.kind.value, "pages": [{"text": p.text, "pictogram": p.pictogram,
                                             "picture": f"files/{household_id}/{p.picture}" if p.picture else None}
                                            for p in b.pages]} for b in books]


def _pictures(session: Session, household_id: int) -> list[str]:
    """The plan's and the books' pictures (the safety log's go with their entries)."""
    agreements = session.scalars(select(Agreement.picture).where(Agreement.household_id == household_id,
                                                                 Agreement.picture.is_not(None)))
    pages = session.scalars(select(Page.picture).where(Page.household_id == household_id, Page.picture.is_not(None)))
    children = session.scalars(select(Child.picture).where(Child.household_id == household_id,
                                                           Child.picture.is_not(None)))
    return sorted(set(agreements) | set(pages) | set(children))


def _zip(parts: dict[str, str], entries: list[LogEntry], instance_path: str,
         pictures: tuple[int, list[str]] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        files = [(a.household_id, a.filename) for entry in entries for a in entry.attachments]
        if pictures is not None:
            files += [(pictures[0], name) for name in pictures[1]]
        for household_id, filename in files:
            path = upload_folder(instance_path, household_id) / filename
            if Path(path).exists():
                archive.write(path, f"files/{household_id}/{filename}")
    return out.getvalue()


def export_person(session: Session, instance_path: str, user: User) -> bytes:
    memberships = session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    # In a household where the person is hidden from signals, its signals do not exist for them.
    hidden_in = [m.household_id for m in memberships if m.signals_hidden]
    entries = session.scalars(select(LogEntry).where(or_(LogEntry.author_id == user.id, LogEntry.recorded_by_id == user.id))
                              .where(~(LogEntry.household_id.in_(hidden_in) & LogEntry.from_signal))
                              .order_by(LogEntry.occurred_at)).all()
    highlights = session.scalars(select(LogHighlight).where(LogHighlight.user_id == user.id)).all()
    activities = session.scalars(select(CalendarActivity).where(CalendarActivity.created_by_id == user.id)
                                 .order_by(CalendarActivity.day)).all()
    parts = {
        "me.json": _dump({"username": user.username, "name": user.display_name, "email": user.email, "phone": user.phone,
                          "language": user.locale, "discreet_app_name": user.discreet, "since": user.created_at,
                          "passkeys": [{"name": p.name, "added": p.created_at, "last_used": p.last_used_at}
                                       for p in user.passkeys],
                          "recovery_codes_left": recovery.codes_left(session, user),
                          "new_sign_ins_asked": [{"started_by": _name(r.started_by), "at": r.created_at,
                                                  "cancelled": r.cancelled_at, "used": r.completed_at}
                                                 for r in recovery.history(session, user)]}),
        "households.json": _dump([{"household": m.household.name, "roles": sorted(r.value for r in m.roles),
                                   "member_since": m.created_at} for m in memberships]),
        "safety_log.json": _dump([_entry(e) for e in entries]),
        "marked_for_meeting.json": _dump([{"entry": h.entry_id, "at": h.created_at} for h in highlights]),
        "calendar.json": _dump([{"household": a.household_id, **_activity(a)} for a in activities]),
        "signals.json": _dump([_signal(s) for s in session.scalars(select(Signal).where(or_(
            Signal.raised_by_id == user.id, Signal.id.in_(select(Acknowledgement.signal_id).where(
                Acknowledgement.user_id == user.id))), Signal.household_id.not_in(hidden_in)).order_by(Signal.created_at))]),
        "alerts.json": _dump({"unreachable_until": user.unreachable_until, "details_in_notifications": user.push_detail,
                              "sms_number": [{"number": n.number, "confirmed": n.confirmed_at} for n in session.scalars(
                                  select(SmsNumber).where(SmsNumber.user_id == user.id))],
                              "devices": [{"name": d.device_name, "since": d.created_at, "last_delivered": d.last_success_at}
                                          for d in session.scalars(select(PushSubscription).where(
                                              PushSubscription.user_id == user.id))]}),
        "safety_scale_scores.json": _dump([_score(x) for x in session.scalars(
            select(ScaleScore).where(ScaleScore.user_id == user.id).order_by(ScaleScore.scored_at))]),
        "professional_access.json": _dump(professionals.person_export(session, user.id)),
        "network_meetings.json": _dump(meetings.person_export(session, user.id)),
    }
    return _zip(parts, list(entries), instance_path)


def export_household(session: Session, instance_path: str, household: Household, with_signals: bool = True) -> bytes:
    """The household's records as the downloading member sees them in Kring: for a member hidden from signals,
    without the signals and the log entries written when one was closed."""
    entries = session.scalars(visible(select(LogEntry).where(LogEntry.household_id == household.id),
                                      hide_signals=not with_signals).order_by(LogEntry.occurred_at)).all()
    left_out = set() if with_signals else set(session.scalars(select(LogEntry.id).where(
        LogEntry.household_id == household.id, LogEntry.from_signal)))
    activities = session.scalars(select(CalendarActivity).where(CalendarActivity.household_id == household.id)
                                 .order_by(CalendarActivity.day)).all()
    members = session.scalars(select(Membership).where(Membership.household_id == household.id)).all()
    parts = {
        "household.json": _dump({"name": household.name, "phase": household.phase.value, "since": household.created_at}),
        "people.json": _dump([{"name": m.user.display_name, "roles": sorted(r.value for r in m.roles),
                               "member_since": m.created_at} for m in members]),
        "children.json": _dump(children_export(session, household.id)),
        "safety_log.json": _dump([_entry(e) for e in entries]),
        "calendar.json": _dump([_activity(a) for a in activities]),
        "removal_requests.json": _dump([_removal_request(r, not with_signals, left_out) for r in session.scalars(select(RemovalRequest).where(
            RemovalRequest.household_id == household.id).order_by(RemovalRequest.requested_at, RemovalRequest.id))]),
        "safety_plan.json": _dump(_plan(session, household.id)),
        "danger_statements_and_scales.json": _dump(_statements(session, household.id)),
        "words_and_pictures.json": _dump(_books(session, household.id)),
        "phase_moves.json": _dump([{"from": m.from_phase.value, "to": m.to_phase.value, "by": _name(m.moved_by),
                                    "at": m.moved_at, "note": m.note}
                                   for m in session.scalars(select(PhaseMove).where(
                                       PhaseMove.household_id == household.id).order_by(PhaseMove.moved_at))]),
        "professional_access.json": _dump(professionals.household_export(session, household.id)),
        "network_meetings.json": _dump(meetings.household_export(session, household.id)),
        "safety_circle.json": _dump(safety_circle.export(session, household.id)),
        "family_tree.json": _dump(genogram.export(session, household.id)),
        "three_houses.json": _dump(three_houses.export(session, household.id)),
    }
    if with_signals:
        parts["signals.json"] = _dump([_signal(s) for s in session.scalars(select(Signal).where(
            Signal.household_id == household.id).order_by(Signal.created_at))])
        parts["practice_drills.json"] = _dump(drills.export(session, household.id))
    return _zip(parts, list(entries), instance_path, (household.id, _pictures(session, household.id)))


class LastManager(Exception):
    """The person is the last one who can manage the household while others remain."""


def leave_household(session: Session, membership: Membership, ask_removal: bool = False) -> RemovalRequest | None:
    """Leave a household. What the person wrote stays as the household's evidence, under a neutral label
    ("former member"); their marks for the meeting go.

    With `ask_removal` the household is asked to remove what they wrote; returns that request, or None when
    there was nothing to ask about."""
    others = [m for m in people(session, membership.household) if m.id != membership.id]
    if membership.roles & EDITORS and others and editors_left_without(session, membership, set()) == 0:
        raise LastManager()
    household_id, user_id = membership.household_id, membership.user_id
    # Which entries are theirs can only be known now: below, their name is taken off them.
    request = _ask_removal(session, membership) if ask_removal else None
    in_household = select(LogEntry.id).where(LogEntry.household_id == household_id)
    session.execute(update(LogEntry).where(LogEntry.household_id == household_id, LogEntry.author_id == user_id)
                    .values(author_id=None))
    session.execute(update(LogEntry).where(LogEntry.household_id == household_id, LogEntry.recorded_by_id == user_id)
                    .values(recorded_by_id=None))
    session.execute(update(LogEntry).where(LogEntry.household_id == household_id, LogEntry.withdrawn_by_id == user_id)
                    .values(withdrawn_by_id=None))
    session.execute(update(LogEntryVersion).where(LogEntryVersion.entry_id.in_(in_household),
                                                  LogEntryVersion.replaced_by_id == user_id).values(replaced_by_id=None))
    session.execute(delete(LogHighlight).where(LogHighlight.entry_id.in_(in_household), LogHighlight.user_id == user_id))
    session.execute(update(CalendarActivity).where(CalendarActivity.household_id == household_id,
                                                   CalendarActivity.created_by_id == user_id).values(created_by_id=None))
    session.execute(update(CalendarActivity).where(CalendarActivity.household_id == household_id,
                                                   CalendarActivity.removed_by_id == user_id).values(removed_by_id=None))
    signals.forget_member(session, household_id, user_id)
    meetings.forget_member(session, household_id, user_id)
    forget_watcher(session, membership.id)
    session.delete(membership)
    session.flush()
    return request


def _ask_removal(session: Session, membership: Membership) -> RemovalRequest | None:
    """A removal request for every entry the person wrote in the household (withdrawn ones too). Entries a child
    wrote on their phone are the child's, not theirs."""
    written = session.execute(select(LogEntry.id, LogEntry.from_signal).where(
        LogEntry.household_id == membership.household_id, LogEntry.author_id == membership.user_id).order_by(LogEntry.id)).all()
    if not written:
        return None
    request = RemovalRequest(household_id=membership.household_id, former_member_name=membership.user.display_name,
                             entry_count=len(written), signal_entry_count=sum(1 for _i, s in written if s),
                             entries=[RemovalRequestEntry(entry_id=i) for i, _s in written])
    session.add(request)
    session.flush()
    return request


def removal_requests_waiting(session: Session, household: Household) -> list[RemovalRequest]:
    """Requests of former members the household has not decided on yet, oldest first."""
    return list(session.scalars(_removal_requests_waiting(), {"household_id": household.id}))


@prepared
def _removal_requests_waiting():
    return (select(RemovalRequest).where(RemovalRequest.household_id == bindparam("household_id"),
                                         RemovalRequest.decision.is_(None))
            .order_by(RemovalRequest.requested_at, RemovalRequest.id))


def covered_entries(session: Session, request: RemovalRequest, hide_signals: bool = False) -> list[LogEntry]:
    """The entries a request covers that are still in the safety log, newest first as on the timeline (for a
    member hidden from signals, without those written when a signal was closed)."""
    return list(session.scalars(
        visible(select(LogEntry), hide_signals).where(LogEntry.household_id == request.household_id, LogEntry.id.in_(
            select(RemovalRequestEntry.entry_id).where(RemovalRequestEntry.request_id == request.id)))
        .options(selectinload(LogEntry.attachments), selectinload(LogEntry.highlights),
                 selectinload(LogEntry.author), selectinload(LogEntry.recorded_by))
        .order_by(LogEntry.occurred_at.desc(), LogEntry.id.desc())))


def decide_removal(session: Session, instance_path: str, request: RemovalRequest, user: User,
                   decision: RemovalDecision) -> bool:
    """Record the household's decision and, for "removed", delete the entries with their photos and drawings.

    Decided once: returns False when someone else already decided (two people pressing at the same time)."""
    decided = session.execute(
        update(RemovalRequest).where(RemovalRequest.id == request.id, RemovalRequest.decision.is_(None))
        .values(decision=decision, decided_at=utcnow(), decided_by_id=user.id),
        execution_options={"synchronize_session": False}).rowcount
    if decided and decision == RemovalDecision.removed:
        entry_ids = select(RemovalRequestEntry.entry_id).where(RemovalRequestEntry.request_id == request.id)
        _delete_entries(session, instance_path, request.household_id, list(session.scalars(entry_ids)))
    session.flush()
    session.expire(request)
    return bool(decided)


def _delete_entries(session: Session, instance_path: str, household_id: int, entry_ids: list[int]) -> None:
    """Delete log entries of one household for good, with everything that hangs from them and their files.
    Children first and by name, so the list says what goes; the foreign keys' ON DELETE (enforced on SQLite
    too) would take the same rows."""
    ids = list(session.scalars(select(LogEntry.id).where(LogEntry.household_id == household_id,
                                                         LogEntry.id.in_(entry_ids))))
    files = list(session.scalars(select(LogAttachment.filename).where(LogAttachment.entry_id.in_(ids))))
    for statement in (
        update(Signal).where(Signal.log_entry_id.in_(ids)).values(log_entry_id=None),
        delete(RemovalRequestEntry).where(RemovalRequestEntry.entry_id.in_(ids)),
        delete(LogHighlight).where(LogHighlight.entry_id.in_(ids)),
        delete(LogEntryVersion).where(LogEntryVersion.entry_id.in_(ids)),
        delete(LogAttachment).where(LogAttachment.entry_id.in_(ids)),
        delete(LogEntry).where(LogEntry.id.in_(ids)),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
    session.flush()
    folder = upload_folder(instance_path, household_id)
    for filename in files:
        (folder / filename).unlink(missing_ok=True)


def close_household(session: Session, household: Household, user: User, grace_days: int) -> None:
    """Mark the household for erasure after a grace period; anyone who lives there can undo it until then."""
    household.erase_at = utcnow() + timedelta(days=grace_days)
    household.closed_by_id = user.id
    session.flush()


def undo_close(session: Session, household: Household) -> None:
    household.erase_at = None
    household.closed_by_id = None
    session.flush()


def erase_household(session: Session, instance_path: str, household: Household) -> None:
    """Remove every record of the household, its photos and drawings, and children's profiles left without one."""
    hid = household.id
    entries = select(LogEntry.id).where(LogEntry.household_id == hid)
    activities = select(CalendarActivity.id).where(CalendarActivity.household_id == hid)
    memberships = select(Membership.id).where(Membership.household_id == hid)
    member_ids = list(session.scalars(select(Membership.user_id).where(Membership.household_id == hid)))
    meetings.erase_household_meetings(session, hid)  # first: decisions and topics point at the plan and scales
    drills.erase_household_drills(session, hid)  # they point at signals and agreements
    signals.erase_household_signals(session, hid)
    erase_household_plan(session, hid)  # before the scales: agreements point at danger statements
    erase_household_scales(session, hid)
    erase_household_books(session, hid)
    safety_circle.erase_household_circle(session, hid)  # before the memberships its people may name
    genogram.erase_household_genogram(session, hid)  # its people may name members and children
    three_houses.erase_household_houses(session, hid)  # before the children; drawings go with the upload folder
    professionals.erase_household_access(session, hid)
    requests = select(RemovalRequest.id).where(RemovalRequest.household_id == hid)
    for statement in (
        delete(RemovalRequestEntry).where(RemovalRequestEntry.request_id.in_(requests)),
        delete(RemovalRequest).where(RemovalRequest.household_id == hid),
        delete(LogHighlight).where(LogHighlight.entry_id.in_(entries)),
        delete(LogEntryVersion).where(LogEntryVersion.entry_id.in_(entries)),
        delete(LogAttachment).where(LogAttachment.household_id == hid),
        delete(LogEntry).where(LogEntry.household_id == hid),
        delete(ActivityElement).where(ActivityElement.activity_id.in_(activities)),
        delete(CalendarActivity).where(CalendarActivity.household_id == hid),
        delete(Invitation).where(Invitation.household_id == hid),
        delete(MembershipRole).where(MembershipRole.membership_id.in_(memberships)),
        delete(Membership).where(Membership.household_id == hid),
        delete(Child).where(Child.household_id == hid),  # their pictures go with the upload folder below
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
    session.delete(household)
    for user in session.scalars(select(User).where(User.id.in_(member_ids), User.username.is_(None))):
        if session.scalar(select(Membership.id).where(Membership.user_id == user.id)) is None:
            session.delete(user)  # a child's profile belongs to this household alone
    session.flush()
    shutil.rmtree(upload_folder(instance_path, hid), ignore_errors=True)


def erase_due(session: Session, instance_path: str, child_grace_days: int = 14) -> int:
    """Erase every household whose grace period has ended, and every child removed longer ago than
    `child_grace_days` (ERASE_GRACE_DAYS). Run by the background worker; returns how many households."""
    due = list(session.scalars(select(Household).where(Household.erase_at.is_not(None), Household.erase_at <= utcnow())))
    for household in due:
        erase_household(session, instance_path, household)
    erase_removed_children(session, instance_path, child_grace_days)
    return len(due)
