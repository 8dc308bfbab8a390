"""The fictional demo household "Familie Demo", for trying Kring out. Only used in demo mode."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.auth.services import create_user
from webapp.households.models import Household, Phase, Role
from webapp.households.services import add_member

DEMO_PASSWORD = "kring-demo"
HOUSEHOLD_NAME = "Familie Demo"

# (username, display name, phone, roles); a username of None is a child without a sign-in.
PEOPLE = [
    ("ouder", "Sanne de Vries", "0612345678", {Role.household_member}),
    (None, "Mila de Vries", None, {Role.child}),
    ("veiligheidspersoon", "Oma Ria", "0623456789", {Role.safety_person}),
    ("netwerklid", "Buurman Kees", "0634567890", {Role.network_member}),
    ("voorzitter", "Tante Fatima", "0645678901", {Role.chair, Role.network_member}),
    ("professional", "Jeroen Bakker", None, {Role.professional}),
]


def seed(session: Session) -> bool:
    """Make the demo household unless it is there already. Returns whether it was made."""
    if session.scalar(select(User.id).where(User.username == "ouder")) is not None:
        return False
    household = Household(name=HOUSEHOLD_NAME, phase=Phase.direct_safety)
    session.add(household)
    for username, name, phone, roles in PEOPLE:
        user = create_user(session, name, username, DEMO_PASSWORD if username else None, locale="nl")
        user.phone = phone
        add_member(session, household, user, roles)
    return True
