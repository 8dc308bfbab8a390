"""First steps: a new household's checklist, ticked from the records (never by a click), gone when all is done."""
import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import make_user, sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.first_steps.services import SafeObject, first_steps
from webapp.households.models import AgeBand, Child, ChildColour, Household, Membership, Role
from webapp.households.services import add_member, create_household
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.notify.models import PushSubscription
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_plan.models import SafeObjectWatcher, VersionStatus
from webapp.safety_plan.services import AgreementInput, add_agreement, new_version, start_plan


def _new_household():
    chair = make_user("Fatima Jansen", "fatima")
    household = create_household(db.session, "Familie Jansen", chair, {Role.chair, Role.household_member})
    db.session.commit()
    return household, chair


def _membership(household, user) -> Membership:
    return db.session.scalar(select(Membership).filter_by(household_id=household.id, user_id=user.id))


def _steps(household, user):
    return first_steps(db.session, household, _membership(household, user), utcnow())


def _card(client, household) -> str:
    page = client.get(f"/h/{household.id}").text
    found = re.search(r'<section class="card first-steps".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _add(household, name, username, roles):
    user = make_user(name, username)
    add_member(db.session, household, user, roles)
    db.session.commit()
    return user


def test_a_new_household_lands_on_its_first_steps_with_nothing_ticked(client, app):
    user = make_user("Sam", "sam")
    db.session.commit()
    sign_in_as(client, user)
    response = client.post("/households/new", data={"name": "Familie Jansen", "my_role": "chair"})
    assert response.headers["Location"].endswith("#first-steps")
    household = db.session.scalar(select(Household).filter_by(name="Familie Jansen"))
    card = _card(client, household)
    assert "0 of 7 done." in card
    for step in ("Add the child", "Invite the safety person", "Invite at least 3 people from your own network",
                 "Agree on the safe object and who watches for it", "Turn on alerts on this phone",
                 "Write the first entry in the safety log", "Plan the first network meeting"):
        assert step in card
    assert "Now 1 of 3." in card  # the chair is one of the family's own network
    assert f'href="/h/{household.id}/invitations?role=safety_person"' in card
    assert f'href="/h/{household.id}/meetings/new"' in card  # the chair plans it
    assert f'href="/h/{household.id}/children/new"' in card


def test_each_step_ticks_itself_from_the_records(client, app):
    household, chair = _new_household()
    assert not any(_steps(household, chair).done.values())

    db.session.add(Child(household_id=household.id, first_name="Noor", age_band=AgeBand.age_7_9,
                         colour=ChildColour.green))
    grandma = _add(household, "Ria Bakker", "ria", {Role.safety_person})
    steps = _steps(household, chair)
    assert steps.done["child"] and steps.done["safety_person"]
    assert steps.network == 2 and not steps.done["network"]  # the chair and the safety person

    _add(household, "Ahmed Yilmaz", "ahmed", {Role.network_member})
    _add(household, "Jeroen de Boer", "jeroen", {Role.professional})  # a professional is not the family's network
    assert _steps(household, chair).network == 3 and _steps(household, chair).done["network"]

    version = start_plan(db.session, household, chair)
    version.safe_object_what = "De beer"
    db.session.flush()
    assert _steps(household, chair).safe_object == SafeObject.none  # nobody watches for it yet
    version.watchers.append(SafeObjectWatcher(membership_id=_membership(household, grandma).id))
    db.session.commit()
    assert _steps(household, chair).safe_object == SafeObject.draft
    # A plan is agreed only once it holds an agreement: the step says so before anyone tries.
    sign_in_as(client, chair)
    assert "Write at least one agreement too, then agree on the plan." in _card(client, household)
    add_agreement(db.session, version, AgreementInput(what="Oma komt twee keer per week langs."))
    db.session.commit()
    assert "Agree on the plan to finish this step." in _card(client, household)
    version.status = VersionStatus.agreed
    db.session.commit()
    assert _steps(household, chair).done["safe_object"]

    db.session.add(LogEntry(household_id=household.id, client_id="c1", author_id=chair.id,
                            kind=EntryKind.calm_moment, occurred_at=utcnow()))
    db.session.add(Meeting(household_id=household.id, starts_at=utcnow() + timedelta(days=7)))
    db.session.commit()
    # Only this phone's alerts are left: the card leaves the home, and the banner asks for alerts instead.
    steps = _steps(household, chair)
    assert not steps.finished and not steps.done["alerts"] and not steps.on_home
    sign_in_as(client, chair)
    assert _card(client, household) == ""
    assert "You get no alerts on a phone yet." in client.get(f"/h/{household.id}").text

    db.session.add(PushSubscription(user_id=chair.id, endpoint="https://push.example/1", p256dh="k", auth="a",
                                    device_name="Phone"))
    db.session.commit()
    steps = _steps(household, chair)
    assert steps.finished, steps.done

    sign_in_as(client, chair)
    assert _card(client, household) == ""  # done: the card is gone from the home


def test_the_safe_object_step_reads_the_draft_again_when_the_plan_in_force_has_nobody_watching(client, app):
    """Once the safe object is agreed the draft does not matter to the step (it is not even read); when the plan in
    force loses its last watcher, the step is told from the draft again, with the draft's own advice."""
    household, chair = _new_household()
    grandma = _add(household, "Ria Bakker", "ria", {Role.safety_person})
    version = start_plan(db.session, household, chair)
    version.safe_object_what = "De beer"
    version.watchers.append(SafeObjectWatcher(membership_id=_membership(household, grandma).id))
    add_agreement(db.session, version, AgreementInput(what="Oma komt twee keer per week langs."))
    version.status = VersionStatus.agreed
    db.session.commit()
    draft = new_version(db.session, household, chair)  # a revision is under way: a copy with the same watcher
    db.session.commit()
    assert _steps(household, chair).safe_object == SafeObject.agreed
    sign_in_as(client, chair)
    assert "Agree on the plan to finish this step." not in _card(client, household)

    db.session.delete(db.session.scalar(select(SafeObjectWatcher).filter_by(version_id=version.id)))
    db.session.commit()
    steps = _steps(household, chair)
    assert steps.safe_object == SafeObject.draft and not steps.done["safe_object"]
    assert steps.draft_agreements == len(draft.agreements) == 1
    assert "Agree on the plan to finish this step." in _card(client, household)


def test_a_step_unticks_when_it_stops_being_true(app):
    household, chair = _new_household()
    grandma = _add(household, "Ria Bakker", "ria", {Role.safety_person})
    assert _steps(household, chair).done["safety_person"]
    db.session.delete(_membership(household, grandma))
    db.session.commit()
    assert not _steps(household, chair).done["safety_person"]


def test_a_cancelled_meeting_does_not_count(app):
    household, chair = _new_household()
    db.session.add(Meeting(household_id=household.id, starts_at=utcnow(), status=MeetingStatus.cancelled))
    db.session.commit()
    assert not _steps(household, chair).done["meeting"]


def test_the_count_of_the_network_is_shown(client, app):
    household, chair = _new_household()
    _add(household, "Ria Bakker", "ria", {Role.safety_person})
    sign_in_as(client, chair)
    card = _card(client, household)
    assert "Now 2 of 3." in card and "1 of 7 done." in card


def test_an_open_invitation_for_a_safety_person_is_mentioned_but_not_ticked(client, app):
    household, chair = _new_household()
    sign_in_as(client, chair)
    page = client.get(f"/h/{household.id}/invitations?role=safety_person").text
    assert re.search(r'<input checked[^>]*value="safety_person"', page)  # the step's link chose the role
    client.post(f"/h/{household.id}/invitations", data={"invitee_name": "Ria", "role": "safety_person", "days": 7})
    card = _card(client, household)
    assert "The invitation is waiting to be used." in card
    assert not _steps(household, chair).done["safety_person"]


def test_people_who_do_not_manage_the_household_do_not_see_the_checklist(client, app):
    household, _chair = _new_household()
    ned = _add(household, "Ned", "ned", {Role.network_member})
    sign_in_as(client, ned)
    assert _card(client, household) == ""


def test_a_member_hidden_from_signals_sees_nothing_about_alerts_or_signal_entries(client, app):
    household, chair = _new_household()
    parent = _add(household, "Petra Jansen", "petra", {Role.household_member})
    _membership(household, parent).signals_hidden = True
    db.session.add(LogEntry(household_id=household.id, client_id="signal-1", author_id=chair.id,
                            kind=EntryKind.calm_moment, occurred_at=utcnow(), from_signal=True))
    db.session.commit()
    steps = _steps(household, parent)
    assert steps.alerts is None and not steps.done["log"]
    assert _steps(household, chair).done["log"]
    sign_in_as(client, parent)
    card = _card(client, household)
    assert "First steps" in card and "alerts" not in card.lower() and "ring 1" not in card.lower()
    assert "0 of 6 done." in card
