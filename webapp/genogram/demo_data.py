"""The demo household's family tree: Mila with her mother Sanne (in the household) and her father Mark
(separated, with a new partner Linda), Sanne's parents Oma Ria and Opa Henk and her sister Tante Fatima, Mark's
mother Oma Joke (died) and father Opa Wim, with whom there is no contact. Fictional. Called by webapp.demo."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.genogram.models import Bond, Kin, Relative, Shape
from webapp.genogram.services import add_bond
from webapp.households.models import Child, Household
from webapp.households.services import membership_of
from webapp.safety_circle.models import CirclePerson


def seed_demo(session: Session, household: Household, users: dict[str, User], mila: Child) -> None:
    def person(name, kin, shape, of=None, born=None, user=None, **more):
        made = Relative(household_id=household.id, name=name, kin=kin, shape=shape, of=of, born=born,
                        membership=membership_of(session, household.id, users[user].id) if user else None, **more)
        session.add(made)
        session.flush()
        return made

    sanne = person("Sanne de Vries", Kin.parent, Shape.circle, born=1992, user="ouder", in_household=True)
    mark = person("Mark", Kin.parent, Shape.square, born=1990)
    person("Mila", Kin.child, Shape.circle, born=2018, child_id=mila.id, in_household=True)
    ria = person("Oma Ria", Kin.grandparent, Shape.circle, of=sanne, born=1961, user="veiligheidspersoon")
    henk = person("Opa Henk", Kin.grandparent, Shape.square, of=sanne, born=1958,
                  circle_person=session.scalar(select(CirclePerson).where(CirclePerson.household_id == household.id,
                                                                          CirclePerson.name == "Opa Henk")))
    person("Tante Fatima", Kin.aunt_uncle, Shape.circle, of=sanne, born=1988, user="voorzitter")
    linda = person("Linda", Kin.partner, Shape.circle, of=mark)
    joke = person("Oma Joke", Kin.grandparent, Shape.circle, of=mark, deceased=True)
    wim = person("Opa Wim", Kin.grandparent, Shape.square, of=mark)
    add_bond(session, household.id, sanne, mark, Bond.separated)
    add_bond(session, household.id, mark, linda, Bond.together)
    add_bond(session, household.id, ria, henk, Bond.together)
    add_bond(session, household.id, joke, wim, Bond.together)
    add_bond(session, household.id, mark, wim, Bond.no_contact)
