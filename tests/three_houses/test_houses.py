"""The Three Houses: the child fills them in the child view with a grown-up; each item is seen by whom the child
chose (the grown-up who helped, the child's safety persons, or everyone), never the house of worries by someone
hidden from signals; what the child shares with everyone is the child's voice in the meeting pack and the summary;
taking something away keeps it; the houses go with the child and with the household."""
import io
import json
import zipfile

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.test_child_lock import give_phone_to_child
from tests.words_pictures.test_services import drawing_data_url
from webapp.extensions import db
from webapp.three_houses import services
from webapp.three_houses.models import House, HouseItem, ShareWith


def _put(app, family, house, words, share, helper="household_member"):
    item = services.add(db.session, app.instance_path, family.child, family.users[helper], house, words, None, None,
                        share)
    db.session.commit()
    return item


def _seen_by(family, key):
    items = services.items_for(db.session, family.household, family.membership(key), [family.child])
    return sorted(i.words for i in items[family.child.id])


def test_each_item_is_seen_by_whom_the_child_chose_and_never_worries_by_someone_hidden(app, family):
    _put(app, family, House.worries, "Shouting at night", ShareWith.helper)
    _put(app, family, House.worries, "Dad on the phone", ShareWith.safety_people)
    _put(app, family, House.good, "Baking with grandma", ShareWith.network)
    _put(app, family, House.worries, "Everyone should know", ShareWith.network)
    assert _seen_by(family, "household_member") == ["Baking with grandma", "Dad on the phone", "Everyone should know",
                                                    "Shouting at night"]  # the grown-up who helped sees all four
    assert _seen_by(family, "safety_person") == ["Baking with grandma", "Dad on the phone", "Everyone should know"]
    assert _seen_by(family, "network_member") == ["Baking with grandma", "Everyone should know"]
    family.membership("network_member").signals_hidden = True
    db.session.commit()
    assert _seen_by(family, "network_member") == ["Baking with grandma"]


def test_the_child_puts_a_drawing_and_words_in_a_house_the_most_private_by_default(client, family, app):
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, h)
    page = client.get(f"/h/{h}/child/houses/dreams").text
    assert 'checked class="choice__input" id="share_with-0" name="share_with" type="radio" value="helper"' in page
    answer = client.post(f"/h/{h}/child/houses/dreams", data={"words": "A quiet home", "drawing": drawing_data_url(),
                                                              "pictogram": "sun"})
    assert answer.status_code == 302
    [item] = db.session.scalars(select(HouseItem)).all()
    assert (item.house, item.share_with, item.words, item.pictogram) == (House.dreams, ShareWith.helper,
                                                                         "A quiet home", "sun")
    assert item.drawing and services.picture_path(app.instance_path, item) is not None
    page = client.get(f"/h/{h}/child/houses/dreams").text
    assert "A quiet home" in page and f"/houses/items/{item.id}/drawing" in page
    assert client.get(f"/h/{h}/houses/items/{item.id}/drawing").status_code == 200  # shown in the child view
    empty = client.post(f"/h/{h}/child/houses/good", data={"words": " "}).text
    assert "Draw something, pick a picture or say a few words." in empty


def test_a_private_item_is_not_there_for_anyone_else_not_even_its_drawing(client, app, family):
    from webapp import uploads as images
    item = services.add(db.session, app.instance_path, family.child, family.users["household_member"], House.worries,
                        "Secret", None, images.from_data_url(drawing_data_url()), ShareWith.helper)
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    assert "Secret" not in client.get(f"/h/{family.household.id}/houses").text
    assert client.get(f"/h/{family.household.id}/houses/items/{item.id}/drawing").status_code == 404
    assert client.post(f"/h/{family.household.id}/houses/items/{item.id}/remove").status_code == 403  # chair: no child view


def test_the_childs_voice_in_the_pack_and_summary_is_what_the_child_shared_with_everyone(client, app, family):
    from tests.meetings.conftest import plan
    _put(app, family, House.good, "Baking with grandma", ShareWith.network)
    _put(app, family, House.worries, "Only for Gwen", ShareWith.safety_people)
    meeting = plan(family)
    sign_in_as(client, family.users["chair"])
    pack = client.get(f"/h/{family.household.id}/meetings/{meeting.id}/pack").text
    assert "Baking with grandma" in pack and "Only for Gwen" not in pack
    assert "House of worries: 1" in pack  # a count says that there is something, not what
    sign_in_as(client, family.users["household_member"])
    summary = client.get(f"/h/{family.household.id}/summary").text
    assert "Baking with grandma" in summary and "Only for Gwen" not in summary


def test_taking_something_away_keeps_it_and_only_the_helper_may(client, app, family):
    item = _put(app, family, House.good, "Football", ShareWith.network)
    h = family.household.id
    sign_in_as(client, family.users["safety_person"])
    client.post(f"/h/{h}/houses/items/{item.id}/remove")
    assert db.session.get(HouseItem, item.id).removed_at is None  # not her item
    sign_in_as(client, family.users["household_member"])
    client.post(f"/h/{h}/houses/items/{item.id}/remove")
    db.session.expire_all()
    assert db.session.get(HouseItem, item.id).removed_at is not None
    page = client.get(f"/h/{h}/houses").text
    assert "Taken away" in page and "Football" in page


def test_the_houses_are_in_the_export_and_go_with_the_household(app, family):
    from webapp.ownership.services import erase_household, export_household
    _put(app, family, House.good, "Baking with grandma", ShareWith.network)
    with app.test_request_context():
        archive = zipfile.ZipFile(io.BytesIO(export_household(db.session, app.instance_path, family.household)))
    [item] = json.loads(archive.read("three_houses.json"))
    assert (item["house"], item["words"], item["share_with"]) == ("good", "Baking with grandma", "network")
    erase_household(db.session, app.instance_path, family.household)
    db.session.commit()
    assert db.session.scalar(select(func.count(HouseItem.id))) == 0


def test_a_photo_in_a_house_is_cleaned_of_where_it_was_taken(client, app, family):
    from PIL import Image
    from tests.safety_log.test_images import jpeg_with_gps
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, h)
    answer = client.post(f"/h/{h}/child/houses/good", data={"words": "My drawing at school", "share_with": "network",
                                                             "photo": (io.BytesIO(jpeg_with_gps()), "school.jpg")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    item = db.session.scalar(select(HouseItem))
    path = services.picture_path(app.instance_path, item)
    with Image.open(path) as image:
        assert not image.getexif()  # no GPS, no camera, no time
    shown = client.get(f"/h/{h}/houses/items/{item.id}/drawing")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    page = client.post(f"/h/{h}/child/houses/good", data={"words": "Kept", "photo": (io.BytesIO(b"not a picture"), "x.jpg")},
                       content_type="multipart/form-data").text
    assert "Kept" in page and db.session.scalar(select(func.count(HouseItem.id))) == 1
