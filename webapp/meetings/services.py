"""Network meetings' domain logic: planning, replies and questions, recording the minutes (who was there, scores,
decisions whose plan changes go into a draft plan version), sharing them, and who chaired over time.

Plain functions taking a session. Times are naive UTC. Only the chair plans and records (see webapp.authz);
these functions check the meeting's own rules (not recorded before it began, nothing changes after a cancel).
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, selectinload

from webapp.auth.models import User, utcnow
from webapp.database import prepared
from webapp.hooks import member_removing
from webapp.households.models import Household, Membership, Role
from webapp.households.services import people
from webapp.meetings.models import (
    ChairKind,
    Meeting,
    MeetingDecision,
    MeetingInvite,
    MeetingQuestion,
    MeetingStatus,
    PlanChange,
    Reply,
    meeting_topic,
)
from webapp.safety_plan import services as plan
from webapp.safety_scales import services as scales
from webapp.safety_scales.models import DangerStatement, SafetyScale, ScaleScore

NETWORK_ROLES = frozenset({Role.household_member, Role.safety_person, Role.network_member, Role.chair})
MAX_QUESTION = 1000


class MeetingRuleBroken(ValueError):
    """Something the meeting's rules do not allow; `reason` names the rule, for the message shown."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- reading (also used by the professional summary) --------------------------------------------------

def last_held(session: Session, household_id: int, now: datetime | None = None) -> Meeting | None:
    """The most recent meeting that has begun and was not cancelled: what "since the last meeting" counts from."""
    return session.scalar(select(Meeting).where(
        Meeting.household_id == household_id, Meeting.status != MeetingStatus.cancelled,
        Meeting.starts_at <= (now or utcnow())).order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))


def next_planned(session: Session, household_id: int, now: datetime) -> Meeting | None:
    """The first meeting starting at or after `now` that was not cancelled."""
    return session.scalar(_next_planned(), {"household_id": household_id, "now": now})


@prepared
def _next_planned():
    return (select(Meeting).where(Meeting.household_id == bindparam("household_id"),
                                  Meeting.status != MeetingStatus.cancelled, Meeting.starts_at >= bindparam("now"))
            .order_by(Meeting.starts_at, Meeting.id).limit(1))


def next_start(session: Session, household_id: int, now: datetime) -> datetime | None:
    """When next_planned's meeting starts: all the household's home shows of it, read as one value."""
    return session.scalar(_next_start(), {"household_id": household_id, "now": now})


@prepared
def _next_start():
    return _next_planned().with_only_columns(Meeting.starts_at)  # the same meeting, read as a value


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The meeting before this one (not cancelled): the preparation pack starts there."""
    return session.scalar(select(Meeting).where(
        Meeting.household_id == meeting.household_id, Meeting.id != meeting.id,
        Meeting.status != MeetingStatus.cancelled, Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))


def meetings(session: Session, household_id: int) -> list[Meeting]:
    """Every meeting of the household, newest first."""
    return list(session.scalars(select(Meeting).options(selectinload(Meeting.chair), selectinload(Meeting.invites))
                                .where(Meeting.household_id == household_id)
                                .order_by(Meeting.starts_at.desc(), Meeting.id.desc())))


def invite_of(meeting: Meeting, user: User) -> MeetingInvite | None:
    return next((i for i in meeting.invites if i.user_id == user.id), None)


def begun(meeting: Meeting, now: datetime) -> bool:
    return meeting.starts_at <= now


# --- who may chair, who is invited ------------------------------------------------------------------

def chair_kind_of(roles: set[Role]) -> ChairKind:
    """A professional chairs as a professional; anyone else in the household chairs for the network."""
    return ChairKind.professional if Role.professional in roles else ChairKind.network


def chair_choices(session: Session, household: Household) -> list[Membership]:
    """Who can chair a meeting: the adults of the household, professionals included (they chair at first)."""
    return [m for m in people(session, household) if m.roles - {Role.child} and m.user.can_sign_in]


def invitee_choices(session: Session, household: Household) -> list[Membership]:
    """Who can be invited: everyone in the network with a sign-in (they reply and read the minutes in Kring)."""
    return [m for m in people(session, household) if m.roles & NETWORK_ROLES and m.user.can_sign_in]


def _roles_of(session: Session, household_id: int, user_id: int | None) -> set[Role] | None:
    membership = session.scalar(select(Membership).where(Membership.household_id == household_id,
                                                         Membership.user_id == user_id))
    return membership.roles if membership is not None else None


# --- planning ----------------------------------------------------------------------------------------

@dataclass
class MeetingInput:
    starts_at: datetime  # naive UTC
    duration_minutes: int
    place: str
    video_link: str
    chair_id: int | None
    statement_ids: list[int] = field(default_factory=list)
    invitee_ids: list[int] = field(default_factory=list)


def _check(session: Session, household: Household, data: MeetingInput) -> None:
    if not (data.place.strip() or data.video_link.strip()):
        raise MeetingRuleBroken("no_place")
    if data.chair_id is not None and data.chair_id not in {m.user_id for m in chair_choices(session, household)}:
        raise MeetingRuleBroken("not_a_member")
    if set(data.invitee_ids) - {m.user_id for m in invitee_choices(session, household)}:
        raise MeetingRuleBroken("not_a_member")


def _set_details(session: Session, meeting: Meeting, data: MeetingInput) -> None:
    meeting.starts_at, meeting.duration_minutes = data.starts_at, data.duration_minutes
    meeting.place, meeting.video_link = data.place.strip(), data.video_link.strip()
    meeting.chair_id = data.chair_id
    roles = _roles_of(session, meeting.household_id, data.chair_id)
    meeting.chair_kind = chair_kind_of(roles) if roles is not None else None
    active = {s.id: s for s in scales.active_statements(session, meeting.household_id)}
    meeting.topics = [active[i] for i in dict.fromkeys(data.statement_ids) if i in active]


def plan_meeting(session: Session, household: Household, planner: User, data: MeetingInput,
                 now: datetime) -> Meeting:
    """A new planned meeting with its invitations (sending them is the caller's: see `tasks`)."""
    _check(session, household, data)
    if data.starts_at <= now:
        raise MeetingRuleBroken("in_the_past")
    meeting = Meeting(household_id=household.id, planned_by_id=planner.id, created_at=now)
    _set_details(session, meeting, data)  # before it is in the session: its queries must not flush it half-made
    session.add(meeting)
    for user_id in dict.fromkeys(data.invitee_ids):
        meeting.invites.append(MeetingInvite(household_id=household.id, user_id=user_id))
    session.flush()
    return meeting


@dataclass
class MeetingUpdate:
    moved: bool  # the time or place changed: calendars need the new version
    added: list[int]  # invited just now
    kept: list[int]  # invited before, and still


def update_meeting(session: Session, meeting: Meeting, household: Household, data: MeetingInput,
                   now: datetime) -> MeetingUpdate:
    """Change a planned meeting and who is invited. The caller tells the people concerned (see `tasks`)."""
    if meeting.status != MeetingStatus.planned:
        raise MeetingRuleBroken("not_planned")
    _check(session, household, data)
    if data.starts_at != meeting.starts_at and data.starts_at <= now:
        raise MeetingRuleBroken("in_the_past")
    moved = (data.starts_at, data.duration_minutes, data.place.strip(), data.video_link.strip()) != (
        meeting.starts_at, meeting.duration_minutes, meeting.place, meeting.video_link)
    _set_details(session, meeting, data)
    wanted = list(dict.fromkeys(data.invitee_ids))
    had = {i.user_id for i in meeting.invites}
    meeting.invites = [i for i in meeting.invites if i.user_id in wanted] + [
        MeetingInvite(household_id=meeting.household_id, user_id=u) for u in wanted if u not in had]
    if moved:
        meeting.sequence += 1
    session.flush()
    return MeetingUpdate(moved, [u for u in wanted if u not in had], [u for u in wanted if u in had])


def cancel_meeting(session: Session, meeting: Meeting) -> list[int]:
    """Cancel a planned meeting. Returns the invitees, to tell them."""
    if meeting.status != MeetingStatus.planned:
        raise MeetingRuleBroken("not_planned")
    meeting.status = MeetingStatus.cancelled
    meeting.sequence += 1
    session.flush()
    return [i.user_id for i in meeting.invites if i.user_id is not None]


# --- replies and questions -----------------------------------------------------------------------------

def reply(session: Session, meeting: Meeting, user: User, answer: Reply, now: datetime) -> MeetingInvite:
    """Coming or not. Someone in the network who was not invited (they joined later) can reply too."""
    if meeting.status != MeetingStatus.planned:
        raise MeetingRuleBroken("not_planned")
    invite = invite_of(meeting, user)
    if invite is None:
        invite = MeetingInvite(household_id=meeting.household_id, user_id=user.id)
        meeting.invites.append(invite)
    invite.reply, invite.replied_at = answer, now
    session.flush()
    return invite


def add_question(session: Session, meeting: Meeting, user: User, text: str, now: datetime) -> MeetingQuestion:
    """"What I want to discuss": before the meeting is recorded."""
    text = (text or "").strip()
    if not text or len(text) > MAX_QUESTION:
        raise MeetingRuleBroken("no_text")
    if meeting.status != MeetingStatus.planned:
        raise MeetingRuleBroken("not_planned")
    question = MeetingQuestion(household_id=meeting.household_id, author_id=user.id, text=text, created_at=now)
    meeting.questions.append(question)
    session.flush()
    return question


def remove_question(session: Session, question: MeetingQuestion, user: User, is_chair: bool) -> None:
    """Its author, or the chair, takes a question back (while the meeting is still planned)."""
    if question.author_id != user.id and not is_chair:
        raise MeetingRuleBroken("not_yours")
    if question.meeting.status != MeetingStatus.planned:
        raise MeetingRuleBroken("not_planned")
    question.meeting.questions.remove(question)
    session.delete(question)
    session.flush()


# --- recording -----------------------------------------------------------------------------------------

@dataclass
class MinutesInput:
    chair_id: int | None
    attended_ids: list[int]
    worries: str = ""
    going_well: str = ""
    next_steps: str = ""
    next_starts_at: datetime | None = None  # naive UTC: plans the next meeting


def _recordable(meeting: Meeting, now: datetime) -> None:
    if meeting.status == MeetingStatus.cancelled:
        raise MeetingRuleBroken("cancelled")
    if not begun(meeting, now):
        raise MeetingRuleBroken("not_begun")


def record_minutes(session: Session, meeting: Meeting, household: Household, user: User, data: MinutesInput,
                   now: datetime) -> Meeting | None:
    """Who chaired and who was there, the notes along the agenda, and the next meeting. The meeting counts as
    held from now on. Returns the next meeting when it was planned just now (to send its invitations)."""
    _recordable(meeting, now)
    if data.chair_id is not None and data.chair_id not in {m.user_id for m in chair_choices(session, household)}:
        raise MeetingRuleBroken("not_a_member")
    if data.next_starts_at is not None and data.next_starts_at <= now:
        raise MeetingRuleBroken("in_the_past")
    roles = _roles_of(session, meeting.household_id, data.chair_id)
    if data.chair_id != meeting.chair_id or meeting.chair_kind is None:
        meeting.chair_kind = chair_kind_of(roles) if roles is not None else None
    meeting.chair_id = data.chair_id
    present = set(data.attended_ids)
    for invite in meeting.invites:
        invite.attended = invite.user_id in present
    meeting.worries, meeting.going_well = data.worries.strip(), data.going_well.strip()
    meeting.next_steps = data.next_steps.strip()
    meeting.status, meeting.recorded_at, meeting.recorded_by_id = MeetingStatus.held, now, user.id
    fresh = _plan_next(session, meeting, household, user, data.next_starts_at, now)
    session.flush()
    return fresh


def _plan_next(session: Session, meeting: Meeting, household: Household, user: User, starts_at: datetime | None,
               now: datetime) -> Meeting | None:
    """The next meeting, like this one (place, topics, chair, the same people). Moving its date later changes it."""
    following = meeting.next_meeting
    if starts_at is None:
        return None
    if following is not None and following.status == MeetingStatus.planned:
        if following.starts_at != starts_at:
            following.starts_at, following.sequence = starts_at, following.sequence + 1
        return None
    still_here = {m.user_id for m in invitee_choices(session, household)}
    data = MeetingInput(starts_at, meeting.duration_minutes, meeting.place, meeting.video_link,
                        meeting.chair_id if meeting.chair_id in {m.user_id for m in chair_choices(session, household)}
                        else None, [s.id for s in meeting.topics],
                        [i.user_id for i in meeting.invites if i.user_id in still_here])
    fresh = plan_meeting(session, household, user, data, now)
    meeting.next_meeting = fresh
    return fresh


def add_meeting_score(session: Session, meeting: Meeting, household: Household, person_id: int, scale: SafetyScale,
                      score: int | None, behaviour: str, now: datetime) -> ScaleScore:
    """A score given in the meeting, entered by the chair for the person who gave it: an ordinary scale score at
    the meeting's time, marked with the meeting."""
    _recordable(meeting, now)
    roles = _roles_of(session, household.id, person_id)
    if roles is None or not roles & scales.SCORING_ROLES or scale.household_id != household.id:
        raise MeetingRuleBroken("not_a_member")
    row = scales.add_score(session, scale, session.get(User, person_id), score, behaviour, meeting.starts_at)
    row.meeting_id = meeting.id
    session.flush()
    return row


def meeting_scores(session: Session, meeting: Meeting) -> list[ScaleScore]:
    return list(session.scalars(select(ScaleScore).options(selectinload(ScaleScore.user), selectinload(ScaleScore.scale))
                                .where(ScaleScore.household_id == meeting.household_id,
                                       ScaleScore.meeting_id == meeting.id).order_by(ScaleScore.id)))


def remove_meeting_score(session: Session, meeting: Meeting, score_id: int) -> bool:
    """A score entered by mistake, before the minutes are shared. Returns whether there was one to remove."""
    if meeting.minutes_shared_at is not None:
        raise MeetingRuleBroken("shared")
    removed = session.execute(delete(ScaleScore).where(
        ScaleScore.id == score_id, ScaleScore.meeting_id == meeting.id,
        ScaleScore.household_id == meeting.household_id), execution_options={"synchronize_session": False}).rowcount
    session.flush()
    return bool(removed)


# --- decisions and the plan ------------------------------------------------------------------------------

@dataclass
class DecisionInput:
    text: str
    change: PlanChange = PlanChange.none
    agreement_lineage_id: int | None = None
    proposed_text: str = ""


def agreement_choices(session: Session, household_id: int) -> list[tuple[int, str]]:
    """(lineage id, "1. what it says") of the agreements a decision can change or remove: the draft's when there
    is one (changes of this meeting may already be in it), else the version in force's."""
    version = plan.draft_of(session, household_id) or plan.version_in_force(session, household_id)
    agreements = version.agreements if version is not None else []
    return [(a.lineage_id or a.id, f"{a.position}. {plan.shorten(a.what)}") for a in agreements]


def _draft_for(session: Session, household: Household, user: User, meeting: Meeting):
    draft = plan.draft_of(session, household.id)
    if draft is None:
        start = plan.current_plan(session, household.id) is None
        draft = plan.start_plan(session, household, user) if start else plan.new_version(session, household, user)
    if draft.meeting_id is None:
        draft.meeting_id = meeting.id
    return draft


def _apply(session: Session, household: Household, user: User, meeting: Meeting, decision: MeetingDecision) -> None:
    """Put the decision's plan change in the draft plan version (made when there is none). Never agreed here: the
    chair looks at the draft and agrees on it in the plan."""
    if decision.change == PlanChange.none:
        return
    draft = _draft_for(session, household, user, meeting)
    if decision.change == PlanChange.add:
        plan.add_agreement(session, draft, plan.AgreementInput(what=decision.proposed_text))
    else:
        agreement = next((a for a in draft.agreements if (a.lineage_id or a.id) == decision.agreement_lineage_id), None)
        if agreement is None:
            raise MeetingRuleBroken("agreement_gone")
        if decision.change == PlanChange.remove:
            plan.remove_agreement(session, agreement)
        else:
            plan.update_agreement(session, agreement, plan.AgreementInput(
                what=decision.proposed_text, who=agreement.who, when=agreement.when,
                how_checked=agreement.how_checked, if_it_goes_wrong=agreement.if_it_goes_wrong,
                danger_statement_id=agreement.danger_statement_id))
    decision.version_id = draft.id


def add_decision(session: Session, meeting: Meeting, household: Household, user: User, data: DecisionInput,
                 now: datetime) -> MeetingDecision:
    """A decision of the meeting; a proposed plan change goes into the draft plan version at once."""
    _recordable(meeting, now)
    text, proposed = data.text.strip(), data.proposed_text.strip()
    if not text:
        raise MeetingRuleBroken("no_text")
    if data.change in (PlanChange.add, PlanChange.change) and not proposed:
        raise MeetingRuleBroken("no_proposal")
    if data.change in (PlanChange.change, PlanChange.remove) and data.agreement_lineage_id is None:
        raise MeetingRuleBroken("agreement_gone")
    decision = MeetingDecision(household_id=meeting.household_id, text=text, change=data.change, created_at=now,
                               agreement_lineage_id=data.agreement_lineage_id if data.change in (
                                   PlanChange.change, PlanChange.remove) else None,
                               proposed_text=proposed if data.change != PlanChange.remove else "")
    meeting.decisions.append(decision)
    try:
        _apply(session, household, user, meeting, decision)
    except plan.PlanRuleBroken as error:
        raise MeetingRuleBroken(error.reason) from error
    session.flush()
    return decision


def remove_decision(session: Session, decision: MeetingDecision) -> None:
    """Take a decision off the minutes. A change it put in the draft plan stays there: change that in the plan."""
    if decision.meeting.minutes_shared_at is not None:
        raise MeetingRuleBroken("shared")
    decision.meeting.decisions.remove(decision)
    session.delete(decision)
    session.flush()


def share_minutes(session: Session, meeting: Meeting, now: datetime) -> list[int]:
    """Everyone in the network can read the minutes from now on. Returns who to tell (the first time only)."""
    if meeting.status != MeetingStatus.held:
        raise MeetingRuleBroken("not_recorded")
    if meeting.minutes_shared_at is not None:
        return []
    meeting.minutes_shared_at = now
    session.flush()
    household = session.get(Household, meeting.household_id)
    return [m.user_id for m in invitee_choices(session, household)]


# --- chair progression --------------------------------------------------------------------------------

@dataclass
class ChairHistory:
    """Who chaired the meetings that were held, oldest first, and how far the network has taken over."""
    meetings: list[Meeting]

    @property
    def network_count(self) -> int:
        return sum(1 for m in self.meetings if m.chair_kind == ChairKind.network)

    @property
    def network_streak(self) -> int:
        """How many of the most recent meetings in a row someone from the network chaired."""
        streak = 0
        for meeting in reversed(self.meetings):
            if meeting.chair_kind != ChairKind.network:
                break
            streak += 1
        return streak

    @property
    def latest_kind(self) -> ChairKind | None:
        return self.meetings[-1].chair_kind if self.meetings else None


def chair_history(session: Session, household_id: int, now: datetime) -> ChairHistory:
    held = session.scalars(select(Meeting).options(selectinload(Meeting.chair)).where(
        Meeting.household_id == household_id, Meeting.status != MeetingStatus.cancelled, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at, Meeting.id))
    return ChairHistory(list(held))


# --- leaving and erasing --------------------------------------------------------------------------------

def forget_member(session: Session, household_id: int, user_id: int) -> None:
    """Someone leaves: their invitations to meetings still to come go; what they said and that they were there
    stays in earlier minutes, as a "former member". (Explicit, because SQLite does not carry out ON DELETE.)"""
    in_household = select(Meeting.id).where(Meeting.household_id == household_id)
    planned = select(Meeting.id).where(Meeting.household_id == household_id, Meeting.status == MeetingStatus.planned)
    session.execute(delete(MeetingInvite).where(MeetingInvite.meeting_id.in_(planned), MeetingInvite.user_id == user_id),
                    execution_options={"synchronize_session": False})
    for model, column in ((MeetingInvite, MeetingInvite.user_id), (MeetingQuestion, MeetingQuestion.author_id)):
        session.execute(update(model).where(model.meeting_id.in_(in_household), column == user_id)
                        .values({column.key: None}), execution_options={"synchronize_session": False})
    for column in (Meeting.chair_id, Meeting.planned_by_id, Meeting.recorded_by_id):
        session.execute(update(Meeting).where(Meeting.household_id == household_id, column == user_id)
                        .values({column.key: None}), execution_options={"synchronize_session": False})


def erase_household_meetings(session: Session, household_id: int) -> None:
    """Every meeting of a household and all that hangs from it, children first (SQLite does not carry out
    ON DELETE). Run before the plan and the scales are erased: decisions and topics point at them."""
    ids = select(Meeting.id).where(Meeting.household_id == household_id)
    for statement in (
        delete(meeting_topic).where(meeting_topic.c.meeting_id.in_(ids)),
        delete(MeetingDecision).where(MeetingDecision.household_id == household_id),
        delete(MeetingQuestion).where(MeetingQuestion.household_id == household_id),
        delete(MeetingInvite).where(MeetingInvite.household_id == household_id),
        update(Meeting).where(Meeting.household_id == household_id).values(next_meeting_id=None),
        delete(Meeting).where(Meeting.household_id == household_id),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})


def statements_for_topics(session: Session, household_id: int) -> list[DangerStatement]:
    return scales.active_statements(session, household_id)


# --- exports --------------------------------------------------------------------------------------------

def _who(user: User | None) -> str | None:
    return user.display_name if user is not None else None


def household_export(session: Session, household_id: int) -> list[dict]:
    """Every meeting of the household with its invitations, questions, minutes and decisions, for its records."""
    rows = session.scalars(select(Meeting).where(Meeting.household_id == household_id)
                           .options(selectinload(Meeting.invites).selectinload(MeetingInvite.user),
                                    selectinload(Meeting.questions).selectinload(MeetingQuestion.author),
                                    selectinload(Meeting.decisions), selectinload(Meeting.chair))
                           .order_by(Meeting.starts_at, Meeting.id))
    return [{"starts_at": m.starts_at, "minutes": m.duration_minutes, "place": m.place, "video_link": m.video_link,
             "status": m.status.value, "about": [s.scale.question if s.scale else "" for s in m.topics],
             "chair": _who(m.chair), "chair_was": m.chair_kind.value if m.chair_kind else None,
             "invited": [{"who": _who(i.user), "reply": i.reply.value if i.reply else None, "was_there": i.attended}
                         for i in m.invites],
             "questions": [{"by": _who(q.author), "text": q.text, "at": q.created_at} for q in m.questions],
             "worries": m.worries, "going_well": m.going_well, "next_steps": m.next_steps,
             "recorded_at": m.recorded_at, "shared_at": m.minutes_shared_at,
             "decisions": [{"text": d.text, "plan_change": d.change.value, "agreement": d.proposed_text}
                           for d in m.decisions]} for m in rows]


def person_export(session: Session, user_id: int) -> dict:
    """A person's own replies and the questions they asked, in every household."""
    replies = session.execute(select(Meeting.household_id, Meeting.starts_at, MeetingInvite.reply,
                                     MeetingInvite.attended).join(Meeting, Meeting.id == MeetingInvite.meeting_id)
                              .where(MeetingInvite.user_id == user_id).order_by(Meeting.starts_at))
    questions = session.execute(select(Meeting.household_id, Meeting.starts_at, MeetingQuestion.text,
                                       MeetingQuestion.created_at)
                                .join(Meeting, Meeting.id == MeetingQuestion.meeting_id)
                                .where(MeetingQuestion.author_id == user_id).order_by(MeetingQuestion.created_at))
    return {"replies": [{"household": h, "meeting": at, "reply": r.value if r else None, "was_there": attended}
                        for h, at, r, attended in replies],
            "questions": [{"household": h, "meeting": at, "text": text, "asked_at": asked}
                          for h, at, text, asked in questions]}


def _on_member_removing(session: Session, membership: Membership, **_) -> None:
    forget_member(session, membership.household_id, membership.user_id)  # no invitations to meetings to come


def connect_hooks() -> None:
    member_removing.connect(_on_member_removing, weak=False)
