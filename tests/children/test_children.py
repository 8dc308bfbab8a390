"""The household's children: added, changed, removed and brought back by the people who manage the household,
with a history; their photo cleaned; their own safety persons; their age setting how simply Kring writes."""
import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import jpeg_with_gps
from webapp.auth.models import utcnow
from webapp.children import services
from webapp.extensions import db
from webapp.households.models import AgeBand, Child, ChildColour, Household, Role
from webapp.households.services import add_member, create_household


def _children(household_id: int) -> list[Child]:
    return list(db.session.scalars(select(Child).where(Child.household_id == household_id).order_by(Child.id)))


def test_a_new_household_home_offers_to_add_a_child_and_the_child_view_waits_for_one(client, family):
    from tests.conftest import make_user
    sanne = make_user("Sanne Jansen", "sanne")
    household = create_household(db.session, "Familie Jansen", sanne, {Role.household_member})
    db.session.commit()
    sign_in_as(client, sanne)
    home = client.get(f"/h/{household.id}").text
    assert "Add a child" in home and f"/h/{household.id}/children/new" in home
    assert "Open the child view" not in home  # nobody to greet yet
    assert "No child is added yet" in client.get(f"/h/{household.id}/child/start").text


def test_adding_a_child_with_a_colour_shows_them_with_who_added_them(client, family):
    sign_in_as(client, family.users["chair"])
    h = family.household.id
    added = client.post(f"/h/{h}/children/new", data={"first_name": " Noor ", "age_band": "age_4_6",
                                                     "colour": "green"})
    assert added.status_code == 302 and added.headers["Location"] == f"/h/{h}/children"
    noor = _children(h)[-1]
    assert (noor.first_name, noor.age_band, noor.colour, noor.picture) == ("Noor", AgeBand.age_4_6,
                                                                           ChildColour.green, None)
    page = client.get(f"/h/{h}/children").text
    assert "Noor" in page and "Added by Aunt Chris" in page and "child-avatar--green" in page
    assert "4 to 6 years" in page


def test_a_missing_name_is_asked_for_and_the_choices_are_kept(client, family):
    sign_in_as(client, family.users["household_member"])
    page = client.post(f"/h/{family.household.id}/children/new",
                       data={"first_name": " ", "age_band": "age_10_12", "colour": "purple"}).text
    assert "Enter the child&#39;s first name." in page or "Enter the child's first name." in page
    assert 'checked id="age_band-3"' in page or ('value="age_10_12"' in page and "checked" in page)
    assert len(_children(family.household.id)) == 1  # only Kim


def test_a_photo_is_stripped_of_its_location_kept_on_a_second_try_and_served_to_the_household(client, app, family):
    sign_in_as(client, family.users["household_member"])
    h = family.household.id
    first = client.post(f"/h/{h}/children/new", content_type="multipart/form-data", data={
        "first_name": "", "age_band": "age_7_9", "colour": "blue",
        "picture": (io.BytesIO(jpeg_with_gps(size=(300, 200))), "IMG_0001.jpg")}).text
    assert "Your photo is kept." in first
    token = first.split('name="kept_picture" type="hidden" value="')[1].split('"')[0]
    client.post(f"/h/{h}/children/new", data={"first_name": "Noor", "age_band": "age_7_9", "colour": "blue",
                                              "kept_picture": token})
    noor = _children(h)[-1]
    stored = Path(app.instance_path) / "uploads" / str(h) / noor.picture
    with Image.open(stored) as image:
        assert image.getexif() == {} and "comment" not in image.info
    served = client.get(f"/h/{h}/children/{noor.id}/picture")
    assert served.status_code == 200 and served.data == stored.read_bytes()
    assert served.headers["Cache-Control"] == "private, no-store"
    outsider = app.test_client()
    sign_in_as(outsider, family.users["outsider"])
    assert outsider.get(f"/h/{h}/children/{noor.id}/picture").status_code == 404


def test_a_token_for_another_households_photo_is_not_taken(client, app, family):
    sign_in_as(client, family.users["household_member"])
    from webapp.children.views import _serializer
    with app.test_request_context():
        token = _serializer().dumps([family.other_household.id, "x.jpg"])
    client.post(f"/h/{family.household.id}/children/new", data={"first_name": "Noor", "age_band": "age_7_9",
                                                                 "colour": "blue", "kept_picture": token})
    assert _children(family.household.id)[-1].picture is None


def test_changing_a_child_is_kept_in_the_history(client, family):
    sign_in_as(client, family.users["chair"])
    h, kim = family.household.id, family.child
    form = client.get(f"/h/{h}/children/{kim.id}").text
    assert 'value="Kim"' in form
    client.post(f"/h/{h}/children/{kim.id}", data={"first_name": "Kimberley", "age_band": "age_10_12",
                                                  "colour": "red"})
    db.session.refresh(kim)
    assert kim.first_name == "Kimberley" and kim.edited_by_id == family.users["chair"].id
    assert "Changed by Aunt Chris" in client.get(f"/h/{h}/children").text


def test_a_removed_child_can_be_brought_back_and_is_erased_with_the_photo_after_the_grace_period(client, app, family):
    sign_in_as(client, family.users["household_member"])
    h, kim = family.household.id, family.child
    kim.picture = services.keep_picture(app.instance_path, h, __import__("webapp.uploads", fromlist=["clean"])
                                        .clean(jpeg_with_gps(size=(40, 30))))
    db.session.commit()
    photo = Path(app.instance_path) / "uploads" / str(h) / kim.picture
    client.post(f"/h/{h}/children/{kim.id}/remove")
    page = client.get(f"/h/{h}/children").text
    assert "Removed by Parent Pat" in page and "Undo: bring Kim back" in page
    assert "No child is added yet" in client.get(f"/h/{h}/child/start").text
    assert client.get(f"/h/{h}/children/{kim.id}").status_code == 404  # a removed child is not changed
    client.post(f"/h/{h}/children/{kim.id}/undo")
    assert "Are you giving the phone to Kim?" in client.get(f"/h/{h}/child/start").text

    client.post(f"/h/{h}/children/{kim.id}/remove")
    assert services.erase_removed(db.session, app.instance_path, 14) == 0  # still within the grace period
    db.session.refresh(kim)
    kim.removed_at = utcnow() - timedelta(days=15)
    db.session.commit()
    from webapp.ownership.services import erase_due
    erase_due(db.session, app.instance_path, 14)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Child)) == 0 and not photo.exists()


def test_only_the_people_who_manage_the_household_add_change_or_remove_children(app, family):
    h = family.household.id
    for person in ("network_member", "safety_person"):
        client = app.test_client()
        sign_in_as(client, family.users[person])
        assert client.get(f"/h/{h}/children").status_code == 200
        assert "Add a child" not in client.get(f"/h/{h}/children").text
        assert client.post(f"/h/{h}/children/new", data={"first_name": "X", "age_band": "age_7_9",
                                                         "colour": "blue"}).status_code == 403
        assert client.post(f"/h/{h}/children/{family.child.id}/remove").status_code == 403
    assert len(_children(h)) == 1 and _children(h)[0].removed_at is None


def test_each_child_sees_only_their_own_safety_persons(client, family):
    from tests.conftest import make_user
    h = family.household.id
    ria = make_user("Oma Ria", "ria")
    ria_membership = add_member(db.session, family.household, ria, {Role.safety_person})
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    client.post(f"/h/{h}/children/{family.child.id}/safety-people", data={"safety_people": [str(ria_membership.id)]})
    client.post(f"/h/{h}/child/start", data={"child_id": str(family.child.id)})
    view = client.get(f"/h/{h}/child").text
    assert "Hello Kim!" in view and "Oma Ria" in view and "Grandma Gwen" not in view


def test_a_child_without_chosen_safety_persons_has_every_safety_person_of_the_household(family):
    gwen = family.membership("safety_person")
    assert services.safety_people(db.session, family.child) == [gwen]
    services.set_safety_people(db.session, family.child, {family.membership("network_member").id})
    assert services.chosen_safety_people(family.child) == set()  # only safety persons can be chosen


def test_current_lists_the_households_children_in_order_without_removed_ones(family):
    household = db.session.get(Household, family.household.id)
    noor = services.add_child(db.session, "/nonexistent", household, family.users["household_member"],
                              services.ChildInput("Noor", AgeBand.age_0_3, ChildColour.teal),
                              now=utcnow() + timedelta(seconds=1))
    assert services.current(db.session, household) == [family.child, noor]
    services.remove_child(db.session, family.child, family.users["household_member"])
    assert services.current(db.session, household) == [noor]
    assert services.current(db.session, family.other_household) == []


def test_a_young_child_gets_shorter_sentences_in_the_books_and_read_aloud_first(client, app, family):
    from tests.test_route_policy import _book_page
    page = _book_page(app, family)
    family.child.age_band = AgeBand.age_4_6
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    h = family.household.id
    form = client.get(f"/h/{h}/books/plan/new").text
    assert 'data-plain-language="young_child"' in form
    nine_words = "Oma Ria komt elke dag na school bij jou."
    saved = client.post(f"/h/{h}/books/pages/{page.id}/edit", data={"text": nine_words, "picture_kind": "pictogram",
                                                                    "pictogram": "child"})
    assert "tips=1" in saved.headers["Location"]  # nine words: too long for a four-year-old
    client.post(f"/h/{h}/child/start", data={"child_id": str(family.child.id)})
    book = client.get(f"/h/{h}/child/books/plan/1").text
    assert "child-young" in book and book.index("data-read-aloud") < book.index("data-read-text")


def test_an_older_child_keeps_the_usual_limits(client, app, family):
    from tests.test_route_policy import _book_page
    page = _book_page(app, family)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    h = family.household.id
    saved = client.post(f"/h/{h}/books/pages/{page.id}/edit", data={
        "text": "Oma Ria komt elke dag na school bij jou.", "picture_kind": "pictogram", "pictogram": "child"})
    assert "tips=1" not in saved.headers["Location"]
    client.post(f"/h/{h}/child/start", data={"child_id": str(family.child.id)})
    book = client.get(f"/h/{h}/child/books/plan/1").text
    assert "child-young" not in book and book.index("data-read-aloud") > book.index("data-read-text")
