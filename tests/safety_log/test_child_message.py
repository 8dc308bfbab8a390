"""A child's message from the child view: drawn, picked or written; it names the child, on the parent's phone."""
import base64
import io

from PIL import Image
from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import bomb_data_url
from webapp.extensions import db
from webapp.safety_log.models import EntryKind, LogEntry


def _png_data_url() -> str:
    out = io.BytesIO()
    Image.new("RGBA", (60, 40), (20, 80, 160, 255)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_child_message_names_the_child_and_was_written_on_the_parents_phone(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/log/child", data={
        "client_id": "child-msg-1", "pictogram": "happy", "words": "ik heb gespeeld", "drawing": _png_data_url()})
    assert response.status_code == 200 and "Sent!" in response.text
    entry = db.session.scalar(select(LogEntry))
    assert entry.kind == EntryKind.child_message and entry.child_id == family.child.id
    assert entry.author_id == entry.recorded_by_id == family.users["household_member"].id
    timeline = client.get(f"/h/{family.household.id}/log/").text
    assert "Kim" in timeline and "written on the phone of Parent Pat" in timeline
    assert [a.kind.value for a in entry.attachments] == ["drawing"]


def test_an_empty_child_message_asks_for_something(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/log/child", data={"client_id": "child-msg-2", "words": " "})
    assert "Draw something, pick a picture or write a few words." in response.text
    assert db.session.scalar(select(LogEntry)) is None


def test_a_drawing_that_is_not_a_png_is_refused_and_the_words_are_kept(client, family):
    sign_in_as(client, family.users["safety_person"])
    response = client.post(f"/h/{family.household.id}/log/child", data={
        "client_id": "child-msg-3", "words": "mijn tekening", "drawing": "data:image/png;base64,bm90IGFuIGltYWdl"})
    assert "The drawing could not be saved. Try again." in response.text
    assert "mijn tekening" in response.text
    assert db.session.scalar(select(LogEntry)) is None


def test_network_member_cannot_write_as_the_child(client, family):
    sign_in_as(client, family.users["network_member"])
    assert client.get(f"/h/{family.household.id}/log/child").status_code == 403


def test_a_drawing_declaring_huge_dimensions_is_refused_as_too_big_and_the_words_are_kept(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/log/child", data={
        "client_id": "child-msg-4", "words": "mijn grote tekening", "drawing": bomb_data_url()})
    assert "This drawing is too big to save. Try again with a smaller drawing." in response.text
    assert "mijn grote tekening" in response.text
    assert db.session.scalar(select(LogEntry)) is None
