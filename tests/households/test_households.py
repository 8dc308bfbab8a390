"""Households: making one, the home page, switching, roles and the child view."""
import re

from sqlalchemy import select

from tests.conftest import make_user, sign_in_as
from tests.test_child_lock import give_phone_to_child
from webapp.extensions import db
from webapp.households.models import Household, Membership, Role
from webapp.households.services import add_member, create_household, named_people, people


def test_new_household_makes_its_creator_a_member_who_can_invite(client, app):
    user = make_user("Sam", "sam")
    db.session.commit()
    sign_in_as(client, user)
    response = client.post("/households/new", data={"name": "Family Jansen", "my_role": "household_member"},
                           follow_redirects=True)
    assert "Family Jansen" in response.text
    household = db.session.scalar(select(Household).filter_by(name="Family Jansen"))
    membership = db.session.scalar(select(Membership).filter_by(household_id=household.id, user_id=user.id))
    assert membership.roles == {Role.household_member}
    assert f"/h/{household.id}/invitations" in response.text


def test_new_household_without_a_name_keeps_the_chosen_role(client, app):
    user = make_user("Sam", "sam")
    db.session.commit()
    sign_in_as(client, user)
    response = client.post("/households/new", data={"name": " ", "my_role": "chair"})
    assert "Enter a name for the household." in response.text
    assert re.search(r'<input checked[^>]*value="chair"', response.text)


def test_home_shows_phase_and_people_with_their_roles(client, family):
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{family.household.id}").text
    for name in ("Parent Pat", "Grandma Gwen", "Neighbour Ned", "Aunt Chris", "Pro Paula", "Kim"):
        assert name in page
    assert "Safety person" in page and "Network chair" in page
    assert 'aria-current="step"' in page  # the current phase is marked, not by colour alone
    assert "Outsider" not in page
    assert f"/h/{family.household.id}/invitations" not in page  # a network member does not invite


def test_the_home_asks_for_open_invitations_only_for_who_may_invite(client, family):
    """The invitations waiting show only to who may invite (the first steps and "1 invitation is waiting"): the
    other people's home pages do not read them."""
    from sqlalchemy import event

    from webapp.invitations.services import create_invitation

    h = family.household.id
    create_invitation(db.session, family.household, family.users["household_member"], "Buurvrouw Bea",
                      Role.network_member, days=7)
    db.session.commit()
    for key, shown in (("household_member", True), ("network_member", False), ("safety_person", False)):
        sign_in_as(client, family.users[key])
        statements = []
        listener = lambda _c, _cur, sql, *_rest: statements.append(sql)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/h/{h}").text
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert ("1 invitation is waiting to be used." in page) is shown, key
        assert any("FROM invitation" in sql for sql in statements) is shown, key


def _people_list(client, household_id: int) -> str:
    page = client.get(f"/h/{household_id}").text
    return page[page.index('<ul class="people">'):page.index("</ul>", page.index('<ul class="people">'))]


def test_the_kept_list_of_people_shows_each_change_and_what_its_reader_may_do(client, family):
    """The home's list of people is kept per process (households/parts.py): a new phone number, a new name, a new
    role and a new member each show at once, and each reader sees "you" at their own name and only their own links."""
    h = family.household.id
    chair, neighbour = family.users["chair"], family.users["network_member"]
    sign_in_as(client, chair)
    first = _people_list(client, h)
    assert first == _people_list(client, h)  # the second time from what is kept
    assert f"{chair.display_name} (you)" in first and f"/h/{h}/people/" in first

    neighbour.phone = "06 12345678"
    neighbour.display_name = "Neighbour Ned Jansen"
    membership = db.session.scalar(select(Membership).filter_by(household_id=h, user_id=neighbour.id))
    membership.set_roles({Role.network_member, Role.safety_person})
    add_member(db.session, family.household, make_user("Newcomer Noor", "newcomer"), {Role.network_member})
    db.session.commit()
    changed = _people_list(client, h)
    assert 'href="tel:0612345678"' in changed and "Call Neighbour" in changed and "Neighbour Ned Jansen" in changed
    ned = changed[changed.index("Neighbour Ned Jansen"):]
    assert "Safety person" in ned[:ned.index("</li>")] and "Newcomer Noor" in changed

    sign_in_as(client, neighbour)  # a network member: no roles to change, and "you" at their own name
    theirs = _people_list(client, h)
    assert "Neighbour Ned Jansen (you)" in theirs and f"{chair.display_name} (you)" not in theirs
    assert f"/h/{h}/people/" not in theirs and 'href="tel:0612345678"' not in theirs  # not calling yourself


def test_people_are_listed_household_first_professional_last(app, family):
    names = [m.user.display_name for m in people(db.session, family.household)]
    assert names[0] == "Parent Pat" and names[-1] == "Pro Paula"


def test_the_names_alone_come_in_the_same_order_and_leave_out_who_is_asked(app, family):
    """The log's "who wrote it" filter reads only names and roles, in the order of everyone's list: a member with no
    role at all is in it too (last), and a professional is left out."""
    lone = make_user("Aad Zonder Rol", "no-roles")
    add_member(db.session, family.household, lone, set())
    db.session.commit()
    everyone = [(m.user_id, m.user.display_name) for m in people(db.session, family.household)]
    assert named_people(db.session, family.household) == everyone
    assert everyone[-1] == (lone.id, "Aad Zonder Rol")
    assert named_people(db.session, family.household, without=Role.professional) == [
        (m.user_id, m.user.display_name) for m in people(db.session, family.household) if Role.professional not in m.roles]
    assert family.users["professional"].id not in dict(named_people(db.session, family.household,
                                                                     without=Role.professional))
    assert family.users["outsider"].id not in dict(named_people(db.session, family.household))


def test_person_in_two_households_chooses_and_switches(client, family):
    user = family.users["safety_person"]
    add_member(db.session, family.other_household, user, {Role.network_member})
    db.session.commit()
    sign_in_as(client, user)
    listing = client.get("/")
    assert listing.status_code == 200
    assert "Family Test" in listing.text and "Other Family" in listing.text
    assert "Set-Cookie" in client.get(f"/h/{family.other_household.id}").headers
    assert client.get("/").headers["Location"] == f"/h/{family.other_household.id}"  # remembers the last one
    # The same home again leaves the session as it is: no new cookie to make and send with every home page.
    assert "Set-Cookie" not in client.get(f"/h/{family.other_household.id}").headers
    back = client.get(f"/h/{family.household.id}")
    assert "Switch to another household" in back.text and "Set-Cookie" in back.headers
    assert client.get("/").headers["Location"] == f"/h/{family.household.id}"
    sign_in_as(client, family.users["network_member"])  # in this household only
    assert "Switch to another household" not in client.get(f"/h/{family.household.id}").text


def test_roles_can_be_changed_but_not_so_that_nobody_can_manage(client, family):
    sign_in_as(client, family.users["household_member"])
    ned = family.membership("network_member")
    response = client.post(f"/h/{family.household.id}/people/{ned.id}",
                           data={"roles": ["network_member", "safety_person"]})
    assert response.status_code == 302
    db.session.refresh(ned)
    assert ned.roles == {Role.network_member, Role.safety_person}
    # Only the parent and the chair manage; the parent drops the chair role of the chair, then tries to
    # drop their own: refused.
    chair = family.membership("chair")
    client.post(f"/h/{family.household.id}/people/{chair.id}", data={"roles": ["network_member"]})
    pat = family.membership("household_member")
    refused = client.post(f"/h/{family.household.id}/people/{pat.id}", data={"roles": ["network_member"]})
    assert "Someone must stay able to manage the household" in refused.text
    db.session.refresh(pat)
    assert pat.roles == {Role.household_member}


def test_member_of_another_household_cannot_reach_a_membership_by_id(client, family):
    sign_in_as(client, family.users["outsider"])
    other = db.session.scalar(select(Membership).filter_by(user_id=family.users["outsider"].id))
    # The outsider manages their own household, but a membership id of this household is not found there.
    ned = family.membership("network_member")
    assert client.get(f"/h/{other.household_id}/people/{ned.id}").status_code == 404
    assert client.get(f"/h/{other.household_id}/people/{other.id}").status_code == 200


def test_removing_a_member_takes_away_their_access(app, family):
    parent, ned = app.test_client(), app.test_client()
    sign_in_as(parent, family.users["household_member"])
    sign_in_as(ned, family.users["network_member"])
    membership = family.membership("network_member")
    parent.post(f"/h/{family.household.id}/people/{membership.id}/remove", data={})
    assert ned.get(f"/h/{family.household.id}").status_code == 404


def test_child_view_shows_the_safety_people_to_call(client, family):
    family.users["safety_person"].phone = "06 1234 5678"
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    page = client.get(f"/h/{family.household.id}/child").text
    assert "Hello Kim!" in page
    assert "Grandma Gwen" in page and 'href="tel:0612345678"' in page
    assert "Neighbour Ned" not in page


def test_create_household_service_sets_the_first_phase(app):
    user = make_user("Lee", "lee")
    household = create_household(db.session, "  De Boer  ", user, {Role.chair})
    assert household.name == "De Boer" and household.phase.value == "alignment"


def test_menu_stays_the_same_on_pages_outside_the_household(client, family):
    sign_in_as(client, family.users["household_member"])
    client.get(f"/h/{family.household.id}")
    settings = client.get("/settings").text
    assert f'href="/h/{family.household.id}/invitations"' in settings
    assert f'href="/h/{family.household.id}/calendar/"' in settings  # the child view is on the home, not in the menu


def test_menu_shows_nothing_of_a_household_the_person_left(client, family):
    sign_in_as(client, family.users["network_member"])
    client.get(f"/h/{family.household.id}")
    db.session.delete(family.membership("network_member"))
    db.session.commit()
    assert f"/h/{family.household.id}" not in client.get("/settings").text


def test_the_professional_role_is_not_given_taken_or_combined_on_the_roles_page(client, family):
    """A professional's access comes from a grant with an end date: the roles page cannot skip or strip it."""
    sign_in_as(client, family.users["household_member"])
    ned, paula = family.membership("network_member"), family.membership("professional")
    for membership, roles in ((ned, ["network_member", "professional"]), (paula, ["network_member"]),
                              (paula, ["professional", "chair"])):
        refused = client.post(f"/h/{family.household.id}/people/{membership.id}", data={"roles": roles})
        assert refused.status_code == 200
        assert "invite them as a professional with an end date" in refused.text
    db.session.refresh(ned)
    db.session.refresh(paula)
    assert ned.roles == {Role.network_member} and paula.roles == {Role.professional}
