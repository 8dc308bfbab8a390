"""Helpers for the safety plan tests: a plan with agreements, written through the services."""
import io

import pytest
from PIL import Image

from webapp.extensions import db
from webapp.safety_plan import services
from webapp.safety_plan.services import AgreementInput

BEDTIME = AgreementInput("Mila goes to bed at half past seven.", who="Sanne", when="Every evening",
                         how_checked="Oma Ria calls twice a week at bedtime.",
                         if_it_goes_wrong="Sanne calls Oma Ria.")
VISITS = AgreementInput("Oma Ria visits twice a week without telling beforehand.", who="Oma Ria")
VOICES = AgreementInput("Nobody shouts when Mila is there.", who="Sanne",
                        if_it_goes_wrong="Leave the room and call Tante Fatima.")


def photo_bytes(colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def make_plan(family, *agreements: AgreementInput, agreed: bool = False, watchers=("network_member",)):
    """The direct plan's first version with these agreements (default: bedtime and visits) and the safe object."""
    version = services.start_plan(db.session, family.household, family.users["chair"])
    services.update_safe_object(db.session, version, "Teddy bear", "In the front window", "Call Sanne, then come by.",
                                [family.membership(k).id for k in watchers], family.household)
    for data in agreements or (BEDTIME, VISITS):
        services.add_agreement(db.session, version, data)
    if agreed:
        services.agree(db.session, version)
    db.session.commit()
    return version


@pytest.fixture
def plan(family):
    return make_plan(family)
