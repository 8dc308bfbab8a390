"""The family tree: relatives in three generations around the child, each side's grandparents above their own child,
the children under their parents, couples and broken contact as lines; made by the household and the chair, read by
the network, printable, in the export, gone with the household."""
import io
import json
import zipfile

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp.extensions import db
from webapp.genogram import services
from webapp.genogram.models import Bond, Kin, Relationship, Relative, Shape


def _add(family, name, kin, shape=Shape.diamond, of=None, **more):
    r = Relative(household_id=family.household.id, name=name, kin=kin, shape=shape, of=of, **more)
    db.session.add(r)
    db.session.flush()
    return r


def test_each_sides_grandparents_stand_above_their_own_child_and_the_children_under_their_parents(family):
    mum, dad = _add(family, "Sanne", Kin.parent, Shape.circle), _add(family, "Mark", Kin.parent, Shape.square)
    aunt = _add(family, "Tante Fatima", Kin.aunt_uncle, of=mum)
    new = _add(family, "Linda", Kin.partner, of=dad)
    grandma, grandpa = _add(family, "Oma Ria", Kin.grandparent, of=mum), _add(family, "Opa Wim", Kin.grandparent, of=dad)
    kim = _add(family, "Kim", Kin.child, child_id=family.child.id)
    half = _add(family, "Noah", Kin.child, of=dad)
    services.add_bond(db.session, family.household.id, mum, dad, Bond.separated)
    tree = services.layout(services.relatives(db.session, family.household.id),
                           services.bonds(db.session, family.household.id))
    x = {n.relative.id: n.x for n in tree.nodes}
    assert x[aunt.id] < x[mum.id] < x[dad.id] < x[new.id]  # each parent's family on their own side
    assert x[grandma.id] < x[grandpa.id] and abs(x[grandma.id] - (x[aunt.id] + x[mum.id]) / 2) < 1
    assert x[mum.id] <= x[kim.id] < x[dad.id] <= x[half.id]  # Mark's son on Mark's side
    assert [n.index for n in tree.nodes if n.relative == kim] == [True]
    [couple] = [line for line in tree.lines if line.kind == "separated"]
    assert couple.mark is not None  # the two strokes of a separation
    assert min(x.values()) >= services.MARGIN and tree.width >= max(x.values()) + services.MARGIN


def test_the_household_and_chair_draw_the_tree_and_the_network_reads_it(client, family):
    h = family.household.id
    sign_in_as(client, family.users["chair"])
    assert client.post(f"/h/{h}/genogram/add", data={"name": "Sanne", "kin": "parent", "shape": "circle",
                                                      "of": "", "member": "", "child": ""}).status_code == 302
    sanne = db.session.scalar(select(Relative).where(Relative.name == "Sanne"))
    page = client.post(f"/h/{h}/genogram/add", data={"name": "Oma Joke", "kin": "grandparent", "shape": "circle",
                                                      "of": "", "member": "", "child": "", "born": "12"}).text
    assert "Choose which parent they belong to." in page and "Write a year, for example 1961." in page
    assert 'value="Oma Joke"' in page  # nothing typed is lost
    assert client.post(f"/h/{h}/genogram/add", data={"name": "Oma Joke", "kin": "grandparent", "shape": "circle",
                                                      "of": str(sanne.id), "member": "", "child": "", "born": "1950",
                                                      "deceased": "y"}).status_code == 302
    joke = db.session.scalar(select(Relative).where(Relative.name == "Oma Joke"))
    assert (joke.of_id, joke.born, joke.deceased) == (sanne.id, 1950, True)
    assert client.post(f"/h/{h}/genogram/bonds", data={"a": str(sanne.id), "b": str(sanne.id), "bond": "together"}
                       ).status_code == 200  # two different people
    assert client.post(f"/h/{h}/genogram/bonds", data={"a": str(sanne.id), "b": str(joke.id), "bond": "no_contact"}
                       ).status_code == 302
    page = client.get(f"/h/{h}/genogram/").text
    assert "<svg" in page and "genogram-deceased" in page and "genogram-line--no_contact" in page
    assert "Sanne and Oma Joke: no contact" in page

    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{h}/genogram/").text
    assert "Oma Joke" in page and "/genogram/add" not in page
    assert client.post(f"/h/{h}/genogram/{joke.id}/remove").status_code == 403
    assert "Printed from Kring on" in client.get(f"/h/{h}/genogram/print").text


def test_taking_someone_out_takes_their_lines_and_leaves_their_side_standing(client, family):
    h = family.household.id
    mum = _add(family, "Sanne", Kin.parent)
    grandma = _add(family, "Oma Ria", Kin.grandparent, of=mum)
    services.add_bond(db.session, h, mum, grandma, Bond.no_contact)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    assert client.post(f"/h/{h}/genogram/{mum.id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(Relative, grandma.id).of_id is None
    assert db.session.scalar(select(func.count(Relationship.id))) == 0


def test_a_relative_of_another_household_cannot_be_reached(client, family):
    other = Relative(household_id=family.other_household.id, name="Other", kin=Kin.parent)
    db.session.add(other)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"/h/{family.household.id}/genogram/{other.id}").status_code == 404
    mum = _add(family, "Sanne", Kin.parent)
    db.session.commit()
    page = client.post(f"/h/{family.household.id}/genogram/bonds",
                       data={"a": str(mum.id), "b": str(other.id), "bond": "together"}).text
    assert "Not a valid choice" in page or "geen geldige keuze" in page.lower()


def test_the_tree_is_in_the_household_export_and_goes_with_the_household(app, family):
    from webapp.ownership.services import erase_household, export_household
    mum, dad = _add(family, "Sanne", Kin.parent), _add(family, "Mark", Kin.parent)
    services.add_bond(db.session, family.household.id, mum, dad, Bond.separated)
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(export_household(db.session, app.instance_path, family.household)))
    tree = json.loads(archive.read("family_tree.json"))
    assert {p["name"] for p in tree["people"]} == {"Sanne", "Mark"} and tree["bonds"][0]["bond"] == "separated"
    erase_household(db.session, app.instance_path, family.household)
    db.session.commit()
    assert db.session.scalar(select(func.count(Relative.id))) == 0


def test_a_relative_can_be_someone_on_the_safety_circle(client, family):
    from webapp.safety_circle.models import Ring
    from webapp.safety_circle.services import place
    henk = place(db.session, family.household, family.users["household_member"], Ring.middle, "Opa Henk", "opa")
    db.session.commit()
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    assert f'value="{henk.id}"' in client.get(f"/h/{h}/genogram/add").text
    assert client.post(f"/h/{h}/genogram/add", data={"name": "Opa Henk", "kin": "grandparent", "shape": "square",
                                                      "circle_person": str(henk.id)}).status_code == 302
    assert db.session.scalar(select(Relative)).circle_person_id == henk.id
    assert "On the safety circle" in client.get(f"/h/{h}/genogram/").text
