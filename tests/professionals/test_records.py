"""The household's records of professionals' access: in its export, in the professional's own export, and erased
with the household."""
import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import func, select

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.grants import services as grants
from webapp.grants.models import AccessGrant
from webapp.households.models import Household
from webapp.ownership.services import erase_household, export_household, export_person
from webapp.professionals import services
from webapp.professionals.models import ProfessionalView


def _viewed(family) -> None:
    services.record_view(db.session, family.household.id, family.users["professional"].id, "professionals.summary",
                         "start=2026-01-01", utcnow())
    grants.start_grant(db.session, family.other_household, family.users["professional"], None,
                         utcnow() + timedelta(days=5), utcnow())
    db.session.commit()


def _part(archive: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return json.loads(z.read(name))


def test_the_household_export_holds_who_had_access_and_every_view(app, family):
    _viewed(family)
    part = _part(export_household(db.session, app.instance_path, family.household), "professional_access.json")
    assert [(a["who"], a["granted_by"]) for a in part["access"]] == [("Pro Paula", "Parent Pat")]
    assert [(v["who"], v["page"], v["query"]) for v in part["views"]] == [
        ("Pro Paula", "professionals.summary", "start=2026-01-01")]


def test_a_professionals_own_export_holds_their_access_and_views(app, family):
    _viewed(family)
    part = _part(export_person(db.session, app.instance_path, family.users["professional"]), "professional_access.json")
    assert sorted(a["household"] for a in part["access"]) == sorted([family.household.id, family.other_household.id])
    assert [v["household"] for v in part["views"]] == [family.household.id]


def test_erasing_a_household_erases_its_grants_and_audit_only(app, family):
    _viewed(family)
    erase_household(db.session, app.instance_path, db.session.get(Household, family.household.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ProfessionalView)) == 0
    assert [g.household_id for g in db.session.scalars(select(AccessGrant))] == [family.other_household.id]
