"""The demo household's safety circle, built up over the weeks as a real network grows: Oma Ria close from the start,
Tante Fatima closer when she took over the chair, Buurman Kees closer after he answered a signal, Opa Henk and Juf
Anne (not in Kring) further out, Jeroen apart as the professional. Fictional; written through the circle's services.
Called by webapp.demo."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.households.models import Household, Membership
from webapp.safety_circle import services
from webapp.safety_circle.models import Ring

# (a username of a member, or (name, relation) of someone not in Kring; ring at the start; later moves as (days ago, ring))
CIRCLE = [
    ("veiligheidspersoon", "oma", Ring.inner, []),
    ("voorzitter", "tante", Ring.middle, [(28, Ring.inner)]),
    ("netwerklid", "buurman", Ring.middle, [(12, Ring.inner)]),
    ("professional", "jeugdhulp", Ring.professional, []),
    (("Opa Henk", "opa"), "", Ring.outer, [(5, Ring.middle)]),
    (("Juf Anne", "juf van groep 4"), "", Ring.outer, []),
]
STARTED_DAYS_AGO = 40


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> None:
    now = utcnow()
    members = {m.user_id: m for m in session.scalars(select(Membership).where(Membership.household_id == household.id))}
    for who, relation, ring, moves in CIRCLE:
        if isinstance(who, tuple):
            person = services.place(session, household, users["ouder"], ring, who[0], who[1],
                                    now=now - timedelta(days=STARTED_DAYS_AGO))
        else:
            person = services.place(session, household, users["ouder"], ring, relation=relation,
                                    membership=members[users[who].id], now=now - timedelta(days=STARTED_DAYS_AGO))
        for days_ago, new_ring in moves:
            services.move(session, person, new_ring, users["voorzitter"], now - timedelta(days=days_ago))
