"""The demo household's safety plan: version 1 approved by the youth protection worker, version 2 agreed."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.households.models import Household
from webapp.safety_plan import services
from webapp.safety_plan.demo_data import seed_demo
from webapp.safety_plan.models import VersionStatus


def _demo_household():
    """The demo's people and household as webapp.demo makes them, without its plan (the lead wires that in)."""
    from webapp.demo import seed
    seed(db.session)
    household = db.session.scalar(select(Household).filter_by(name="Familie Demo"))
    users = {u.username or u.display_name.split()[0]: u for m in household.memberships for u in [m.user]}
    return household, users


def test_the_demo_plan_has_an_approved_first_and_an_agreed_second_version(app):
    household, users = _demo_household()
    if services.current_plan(db.session, household.id) is None:  # webapp.demo may already call seed_demo
        seed_demo(db.session, household, users)
    db.session.commit()
    first, second = services.all_versions(db.session, household.id)
    assert (first.number, first.status, second.number, second.status) == (
        1, VersionStatus.approved, 2, VersionStatus.agreed)
    assert [(a.name, a.role) for a in first.approvals] == [("Jeroen Bakker", "jeugdbeschermer")]
    assert first.agreed_at < second.agreed_at and first.approvals[0].approved_on < second.agreed_at.date()
    assert services.version_in_force(db.session, household.id).id == second.id
    assert 4 <= len(first.agreements) and len(second.agreements) <= 5
    texts = " ".join(a.what for a in second.agreements)
    for words in ("half acht", "Oma Ria komt twee keer per week", "schreeuwt", "knuffelbeer"):
        assert words in texts
    assert "knuffelbeer" in second.safe_object_what and "raam" in second.safe_object_where
    assert sorted(m.user.display_name for m in services.watchers(second)) == ["Buurman Kees", "Oma Ria"]
    # Lineage: version 2 carries version 1's agreements on, and one is new.
    assert {a.lineage_id for a in first.agreements} < {a.lineage_id for a in second.agreements}
    found = services.changes(db.session, first, second)
    assert len(found.added) == 1 and len(found.changed) == 1 and not found.removed


def test_in_the_demo_the_watchers_are_alerted_first_unless_the_alert_plan_says_otherwise(app):
    from webapp.signals import services as signals
    household, users = _demo_household()
    if services.current_plan(db.session, household.id) is None:
        seed_demo(db.session, household, users)
    db.session.commit()
    plan = signals.rings(db.session, household)
    # Oma Ria is the safety person; the demo's alert plan keeps Buurman Kees in ring 2 on purpose.
    assert [m.user.username for m in plan[1]] == ["veiligheidspersoon"]
    assert [m.user.username for m in plan[2]] == ["netwerklid"]
