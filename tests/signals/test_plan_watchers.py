"""The safety plan names who watches for the safe object: by default they are in ring 1 of the alert plan,
like the safety person, as long as the plan version in force says so."""
from webapp.extensions import db
from webapp.safety_plan import services as plan
from webapp.signals import services


def _ring_of(family, key: str) -> int:
    rings = services.rings(db.session, family.household)
    membership_id = family.membership(key).id
    return next(ring for ring, members in rings.items() if membership_id in {m.id for m in members})


def test_watchers_of_the_safe_object_in_the_plan_in_force_are_in_ring_one_by_default(family):
    assert _ring_of(family, "network_member") == services.LAST_RING
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    plan.update_safe_object(db.session, version, "Teddy bear", "In the window", "Call and come by",
                            [family.membership("network_member").id], family.household)
    plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven."))
    plan.agree(db.session, version)
    db.session.commit()
    assert services.default_ring(family.membership("network_member")) == 1
    assert _ring_of(family, "network_member") == 1
    assert _ring_of(family, "safety_person") == 1
    assert _ring_of(family, "chair") == services.LAST_RING

    # A new draft that names someone else changes nothing until it is agreed.
    draft = plan.new_version(db.session, family.household, family.users["chair"])
    plan.update_safe_object(db.session, draft, "Teddy bear", "In the window", "Call and come by",
                            [family.membership("chair").id], family.household)
    db.session.commit()
    assert (_ring_of(family, "network_member"), _ring_of(family, "chair")) == (1, services.LAST_RING)
    plan.agree(db.session, draft)
    db.session.commit()
    assert (_ring_of(family, "network_member"), _ring_of(family, "chair")) == (services.LAST_RING, 1)


def test_the_chair_can_still_put_a_watcher_in_another_ring(family):
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    plan.update_safe_object(db.session, version, "Stone", "On the stairs", "Come by",
                            [family.membership("network_member").id], family.household)
    db.session.commit()
    services.set_ring(db.session, family.membership("network_member"), 2)
    db.session.commit()
    assert _ring_of(family, "network_member") == 2
    services.set_ring(db.session, family.membership("network_member"), 1)  # back to the default: no own row
    db.session.commit()
    assert _ring_of(family, "network_member") == 1


def test_a_watcher_in_another_household_changes_nothing_here(family):
    other = plan.start_plan(db.session, family.other_household, family.users["outsider"])
    plan.update_safe_object(db.session, other, "Stone", "", "", [family.other_household.memberships[0].id],
                            family.other_household)
    db.session.commit()
    assert _ring_of(family, "network_member") == services.LAST_RING
