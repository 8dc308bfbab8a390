"""The safety plan's services: versions copied with their agreements' lineage, the status flow, only drafts
editable, the version in force, the stable plan, and what changed between two versions."""
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.safety_plan.conftest import BEDTIME, VISITS, VOICES, make_plan, photo_bytes
from webapp.extensions import db
from webapp import uploads as images
from webapp.uploads import upload_folder
from webapp.safety_plan import services
from webapp.safety_plan.models import (Agreement, PlanApproval, PlanKind, PlanVersion, SafeObjectWatcher, SafetyPlan,
                                       VersionStatus)
from webapp.safety_plan.services import AgreementInput, PlanRuleBroken
from webapp.safety_scales.models import DangerStatement


def test_starting_the_plan_makes_a_draft_first_version_of_the_direct_plan(family):
    version = services.start_plan(db.session, family.household, family.users["chair"])
    assert (version.plan.kind, version.number, version.status) == (PlanKind.direct, 1, VersionStatus.draft)
    assert services.start_plan(db.session, family.household, family.users["chair"]).id == version.id
    assert services.current_plan(db.session, family.household.id).id == version.plan_id


def test_the_first_version_of_an_agreement_starts_its_lineage_with_its_own_id(plan):
    assert [a.lineage_id for a in plan.agreements] == [a.id for a in plan.agreements]
    assert [a.position for a in plan.agreements] == [1, 2]


def test_a_new_version_copies_the_latest_with_lineage_safe_object_and_watchers(family):
    first = make_plan(family, agreed=True)
    second = services.new_version(db.session, family.household, family.users["household_member"])
    db.session.commit()
    assert (second.number, second.status, second.plan_id) == (2, VersionStatus.draft, first.plan_id)
    assert [a.lineage_id for a in second.agreements] == [a.id for a in first.agreements]
    assert [a.id for a in second.agreements] != [a.id for a in first.agreements]
    assert [a.what for a in second.agreements] == [a.what for a in first.agreements]
    assert (second.safe_object_what, second.safe_object_where) == ("Teddy bear", "In the front window")
    assert [m.id for m in services.watchers(second)] == [family.membership("network_member").id]
    # A copy of a copy keeps the first id as its lineage.
    services.agree(db.session, second)
    third = services.new_version(db.session, family.household, family.users["chair"])
    assert [a.lineage_id for a in third.agreements] == [a.id for a in first.agreements]


def test_a_new_version_while_a_draft_exists_is_that_draft(family):
    draft = make_plan(family)
    assert services.new_version(db.session, family.household, family.users["chair"]).id == draft.id
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)) == 1


def test_only_a_draft_can_be_changed(app, family):
    version = make_plan(family, agreed=True)
    agreement = version.agreements[0]
    attempts = [
        lambda: services.add_agreement(db.session, version, VOICES),
        lambda: services.update_agreement(db.session, agreement, AgreementInput("Something else")),
        lambda: services.remove_agreement(db.session, agreement),
        lambda: services.move_agreement(db.session, agreement, 1),
        lambda: services.update_safe_object(db.session, version, "Stone", "", "", [], family.household),
        lambda: services.update_details(db.session, version, "We call", None),
        lambda: services.agree(db.session, version),
    ]
    for attempt in attempts:
        with pytest.raises(PlanRuleBroken) as refused:
            attempt()
        assert refused.value.reason == "not_a_draft"
        db.session.rollback()
    db.session.refresh(version)
    assert [a.what for a in version.agreements] == [BEDTIME.what, VISITS.what]
    assert version.safe_object_what == "Teddy bear"


def test_agreeing_needs_at_least_one_agreement(family):
    version = services.start_plan(db.session, family.household, family.users["chair"])
    with pytest.raises(PlanRuleBroken) as refused:
        services.agree(db.session, version)
    assert refused.value.reason == "no_agreements"
    assert version.status == VersionStatus.draft


def test_status_goes_from_draft_to_agreed_to_approved_with_approval_records(family):
    version = make_plan(family)
    with pytest.raises(PlanRuleBroken) as refused:
        services.record_approval(db.session, version, "Jeroen Bakker", "youth protection worker", date(2026, 3, 5),
                                 family.users["chair"])
    assert refused.value.reason == "not_agreed"
    services.agree(db.session, version)
    assert version.status == VersionStatus.agreed and version.agreed_at is not None
    services.record_approval(db.session, version, " Jeroen Bakker ", "youth protection worker", date(2026, 3, 5),
                             family.users["chair"])
    services.record_approval(db.session, version, "Els de Wit", "case director", date(2026, 3, 2),
                             family.users["household_member"])
    db.session.commit()
    db.session.expire_all()
    assert version.status == VersionStatus.approved
    assert [(a.name, a.role, a.approved_on) for a in version.approvals] == [
        ("Els de Wit", "case director", date(2026, 3, 2)), ("Jeroen Bakker", "youth protection worker", date(2026, 3, 5))]
    assert version.approvals[1].recorded_by.id == family.users["chair"].id


def test_the_version_in_force_is_the_newest_agreed_one_and_before_that_the_draft(family):
    assert services.version_in_force(db.session, family.household.id) is None
    first = make_plan(family)
    assert services.version_in_force(db.session, family.household.id).id == first.id
    services.agree(db.session, first)
    second = services.new_version(db.session, family.household, family.users["chair"])
    assert services.version_in_force(db.session, family.household.id).id == first.id  # a draft does not hold yet
    assert services.draft_of(db.session, family.household.id).id == second.id
    services.agree(db.session, second)
    assert services.version_in_force(db.session, family.household.id).id == second.id
    assert services.version_in_force(db.session, family.other_household.id) is None


def test_the_stable_plan_starts_as_a_copy_of_the_agreed_direct_plan_and_holds_once_agreed(family):
    direct = make_plan(family)
    with pytest.raises(PlanRuleBroken) as refused:
        services.start_stable_plan(db.session, family.household, family.users["chair"])
    assert refused.value.reason == "direct_not_agreed"
    services.agree(db.session, direct)
    stable = services.start_stable_plan(db.session, family.household, family.users["chair"])
    assert (stable.plan.kind, stable.number, stable.status) == (PlanKind.stable, 1, VersionStatus.draft)
    assert [a.lineage_id for a in stable.agreements] == [a.id for a in direct.agreements]
    assert services.current_plan(db.session, family.household.id).kind == PlanKind.stable
    assert services.previous_version(db.session, stable).id == direct.id
    assert services.version_in_force(db.session, family.household.id).id == direct.id
    services.agree(db.session, stable)
    assert services.version_in_force(db.session, family.household.id).id == stable.id
    with pytest.raises(PlanRuleBroken) as twice:
        services.start_stable_plan(db.session, family.household, family.users["chair"])
    assert twice.value.reason == "stable_exists"
    # New versions now continue the stable plan.
    assert services.new_version(db.session, family.household, family.users["chair"]).plan.kind == PlanKind.stable


def test_moving_and_removing_agreements_keeps_the_numbers_in_order(family):
    version = make_plan(family, BEDTIME, VISITS, VOICES)
    bedtime, visits, voices = version.agreements
    services.move_agreement(db.session, voices, -1)
    assert [a.what for a in version.agreements] == [BEDTIME.what, VOICES.what, VISITS.what]
    services.move_agreement(db.session, bedtime, -1)  # already at the top
    services.move_agreement(db.session, visits, 1)  # already at the bottom
    assert [a.position for a in version.agreements] == [1, 2, 3]
    services.remove_agreement(db.session, bedtime)
    assert [(a.position, a.what) for a in version.agreements] == [(1, VOICES.what), (2, VISITS.what)]


def test_watchers_are_adults_of_this_household_only(family):
    version = make_plan(family, watchers=())
    outsider = db.session.scalar(select(SafeObjectWatcher.membership_id))  # nothing yet
    assert outsider is None
    other = family.other_household.memberships[0].id
    ids = [family.membership(k).id for k in ("safety_person", "professional", "chair")] + [other]
    services.update_safe_object(db.session, version, "Stone", "On the stairs", "Come by", ids, family.household)
    assert {m.id for m in services.watchers(version)} == {family.membership("safety_person").id,
                                                          family.membership("chair").id}
    services.update_safe_object(db.session, version, "Stone", "On the stairs", "Come by",
                                [family.membership("chair").id], family.household)
    assert [m.id for m in services.watchers(version)] == [family.membership("chair").id]


def test_a_picture_is_kept_for_the_earlier_version_when_the_new_one_replaces_it(app, family):
    version = make_plan(family, agreed=False)
    picture = images.clean(photo_bytes())
    agreement = services.add_agreement(db.session, version, VOICES, picture, app.instance_path)
    first_file = agreement.picture
    assert (upload_folder(app.instance_path, family.household.id) / first_file).exists()
    assert (agreement.picture_width, agreement.picture_height) == (64, 48)
    services.agree(db.session, version)
    second = services.new_version(db.session, family.household, family.users["chair"])
    copy = second.agreements[-1]
    assert copy.picture == first_file
    services.update_agreement(db.session, copy, VOICES, images.clean(photo_bytes((10, 10, 10))),
                              instance_path=app.instance_path)
    assert copy.picture != first_file and agreement.picture == first_file
    assert (upload_folder(app.instance_path, family.household.id) / first_file).exists()
    services.update_agreement(db.session, copy, VOICES, remove_picture=True)
    assert copy.picture is None and agreement.picture == first_file


def test_changes_lists_added_removed_and_changed_agreements_field_by_field(family):
    statement = DangerStatement(household_id=family.household.id, priority=1, what_adults_do="Shouting at night")
    db.session.add(statement)
    first = make_plan(family, BEDTIME, VISITS, VOICES, agreed=True)
    second = services.new_version(db.session, family.household, family.users["chair"])
    bedtime, visits, voices = second.agreements
    services.remove_agreement(db.session, visits)
    services.update_agreement(db.session, bedtime, AgreementInput(
        BEDTIME.what, who="Sanne and Oma Ria", when=BEDTIME.when, how_checked=BEDTIME.how_checked,
        if_it_goes_wrong=BEDTIME.if_it_goes_wrong, danger_statement_id=statement.id))
    added = services.add_agreement(db.session, second, AgreementInput("Calls with dad only when Mila sleeps."))
    services.update_safe_object(db.session, second, "Teddy bear", "On the balcony", "Call Sanne, then come by.",
                                [family.membership("safety_person").id], family.household)
    services.update_details(db.session, second, "We call on Sundays", date(2026, 6, 1))
    found = services.changes(db.session, first, second)
    assert [a.id for a in found.added] == [added.id]
    assert [a.what for a in found.removed] == [VISITS.what]
    assert len(found.changed) == 1 and found.changed[0].agreement.id == bedtime.id
    assert [(c.name, c.before, c.after) for c in found.changed[0].fields] == [
        ("who", "Sanne", "Sanne and Oma Ria"), ("danger_statement", None, statement)]
    assert not found.reordered
    assert [(c.name, c.before, c.after) for c in found.plan_fields] == [
        ("safe_object_where", "In the front window", "On the balcony"),
        ("how_we_inform", "", "We call on Sundays"), ("evaluation_date", None, date(2026, 6, 1))]
    assert [m.id for m in found.watchers_added] == [family.membership("safety_person").id]
    assert [m.id for m in found.watchers_removed] == [family.membership("network_member").id]
    assert not found.nothing


def test_changes_between_a_version_and_its_unchanged_copy_are_nothing_but_a_new_order_shows(family):
    first = make_plan(family, BEDTIME, VISITS, agreed=True)
    second = services.new_version(db.session, family.household, family.users["chair"])
    assert services.changes(db.session, first, second).nothing
    services.move_agreement(db.session, second.agreements[1], -1)
    db.session.refresh(second)
    found = services.changes(db.session, first, second)
    assert found.reordered and not found.changed and not found.nothing


def _in_force_ids(family, household=None) -> tuple[list[int], list[int]]:
    """The agreements of the version in force, as the safety log finds them in one statement, and as the version
    in force has them."""
    household_id = (household or family.household).id
    version = services.version_in_force(db.session, household_id)
    return ([a.id for a in services.agreements_in_force(db.session, household_id)],
            [a.id for a in services.agreement_rows(db.session, version)])


def test_the_safety_log_finds_the_agreements_of_the_version_in_force_through_every_step_of_the_plan(family):
    assert _in_force_ids(family) == ([], [])
    direct = make_plan(family)  # a draft only: it is the one in force
    found, expected = _in_force_ids(family)
    assert found == expected == [a.id for a in direct.agreements]
    services.agree(db.session, direct)
    draft = services.new_version(db.session, family.household, family.users["chair"])
    services.add_agreement(db.session, draft, VOICES)
    found, expected = _in_force_ids(family)
    assert found == expected == [a.id for a in direct.agreements]  # not the draft's
    services.agree(db.session, draft)
    stable = services.start_stable_plan(db.session, family.household, family.users["chair"])
    services.move_agreement(db.session, stable.agreements[2], -1)
    found, expected = _in_force_ids(family)
    assert found == expected == [a.id for a in draft.agreements]  # the stable plan's draft is not in force yet
    services.agree(db.session, stable)
    db.session.refresh(stable)
    found, expected = _in_force_ids(family)
    assert found == expected == [a.id for a in stable.agreements]  # in its own order
    assert [a.what for a in services.agreements_in_force(db.session, family.household.id)] == [
        BEDTIME.what, VOICES.what, VISITS.what]
    assert _in_force_ids(family, family.other_household) == ([], [])


def test_agreement_titles_follow_the_version_in_force_and_keep_removed_ones(family):
    first = make_plan(family, BEDTIME, VISITS, agreed=True)
    bedtime_lineage, visits_lineage = (a.id for a in first.agreements)
    second = services.new_version(db.session, family.household, family.users["chair"])
    services.update_agreement(db.session, second.agreements[0], AgreementInput("Bed at eight."))
    services.remove_agreement(db.session, second.agreements[1])
    # The draft does not hold yet: the titles and choices are those of version 1.
    assert services.agreement_titles(db.session, family.household.id)[bedtime_lineage] == BEDTIME.what
    assert [v for v, _ in services.agreement_choices(db.session, family.household.id)] == [
        str(bedtime_lineage), str(visits_lineage)]
    services.agree(db.session, second)
    titles = services.agreement_titles(db.session, family.household.id)
    assert titles == {bedtime_lineage: "Bed at eight.", visits_lineage: VISITS.what}
    assert services.agreement_choices(db.session, family.household.id) == [(str(bedtime_lineage), "1. Bed at eight.")]
    assert services.is_lineage_of(db.session, family.household.id, visits_lineage)
    assert not services.is_lineage_of(db.session, family.other_household.id, visits_lineage)


def test_a_long_agreement_is_shortened_for_a_choice_list():
    assert services.shorten("a  b\nc") == "a b c"
    long = "word " * 30
    assert len(services.shorten(long)) == 70 and services.shorten(long).endswith("…")


def test_erasing_the_households_plan_leaves_no_rows(app, family):
    version = make_plan(family, agreed=True)
    services.record_approval(db.session, version, "J", "youth protection worker", date(2026, 1, 1),
                             family.users["chair"])
    services.new_version(db.session, family.household, family.users["chair"])
    db.session.commit()
    services.erase_household_plan(db.session, family.household.id)
    db.session.commit()
    for model in (SafetyPlan, PlanVersion, Agreement, SafeObjectWatcher, PlanApproval):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model


def test_a_watcher_who_left_is_skipped(family):
    version = make_plan(family)
    services.forget_watcher(db.session, family.membership("network_member").id)
    db.session.commit()
    db.session.expire_all()
    assert services.watchers(version) == []
