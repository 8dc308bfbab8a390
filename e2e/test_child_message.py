"""A child tells something on a parent's phone: draws with a finger, picks a picture, sends.

The drawing reaches the server as a PNG, is stored for the household, and the entry is the child's,
written on the parent's phone. Without JavaScript the child can still pick a picture or write.
"""
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from tests.conftest import PASSWORD
from webapp.extensions import db
from webapp.safety_log.models import AttachmentKind, EntryKind, LogEntry

pytestmark = pytest.mark.e2e

BLACK, BLUE = (0x1A, 0x1A, 0x1A), (0x1D, 0x4F, 0x91)


def add_child(live_server, family, name: str) -> int:
    """A child is a record of the household, without a sign-in: it uses the child view on a grown-up's phone."""
    from webapp.households.models import Child
    with live_server.app.app_context():
        child = Child(household_id=family.id, first_name=name.split()[0])
        db.session.add(child)
        db.session.commit()
        child_id = child.id
        db.session.remove()
    return child_id


def give_phone_to_child(page, live_server, household_id: int, child_name: str | None = None, axe: bool = False,
                        base: str | None = None) -> None:
    """The grown-up opens the child view and, asked whether they are giving the phone to the child, says yes."""
    base = base or live_server.url
    page.goto(f"{base}/h/{household_id}/child")
    expect(page).to_have_url(re.compile(rf"/h/{household_id}/child/start\?next="))
    if child_name:
        expect(page.locator("h1")).to_contain_text(
            live_server.t("Are you giving the phone to %(name)s?", name=child_name))
    if axe:
        check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Yes, open the child view")).click()
    expect(page).to_have_url(f"{base}/h/{household_id}/child")


def unlock_child_view(page, live_server, password: str = PASSWORD) -> None:
    """On the "Are you a grown-up?" page that the child view leads to: the grown-up enters their password."""
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Continue")).click()
    expect(page.locator("h1")).not_to_contain_text(live_server.t("Are you a grown-up?"))


def entries_of(live_server, household_id: int) -> list[LogEntry]:
    with live_server.app.app_context():
        entries = db.session.scalars(db.select(LogEntry).filter_by(household_id=household_id)).all()
        for entry in entries:
            _ = [a.filename for a in entry.attachments]  # load them before the session closes
        db.session.expunge_all()
        db.session.remove()
    return entries


def open_child_message(page, live_server, family) -> None:
    give_phone_to_child(page, live_server, family.id)
    check_axe(page)
    tell = page.locator(f"main a[href='/h/{family.id}/log/child']")
    expect(tell).to_contain_text(live_server.t("Tell us something"))
    tell.click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/log/child")
    expect(page.locator("h1")).to_have_text(live_server.t("Tell us something"))


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour))


def test_child_draws_undoes_picks_a_colour_and_a_picture_and_sends(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    parent = family.people["creator"]
    child_id = add_child(live_server, family, "Noor Jansen")
    sign_in(page, live_server.url, parent.username)

    open_child_message(page, live_server, family)
    drawing = page.locator("section[data-drawing]")
    expect(drawing).to_be_visible()  # shown only because JavaScript runs
    check_axe(page)

    canvas = page.locator("canvas[data-canvas]")
    box = canvas.evaluate("c => { const r = c.getBoundingClientRect();"
                          " return {x: r.left + c.clientLeft, y: r.top + c.clientTop, width: c.clientWidth, height: c.clientHeight}; }")

    def stroke(*points):
        """A line through points given as fractions of the canvas."""
        (x, y), rest = points[0], points[1:]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        page.mouse.up()

    stroke((0.1, 0.25), (0.45, 0.25))  # black, the colour chosen at the start
    black = page.locator(".colour--1")
    expect(black).to_have_attribute("aria-checked", "true")

    blue = page.locator(".colour--3")
    blue.click()
    expect(blue).to_have_attribute("aria-checked", "true")
    expect(black).to_have_attribute("aria-checked", "false")
    stroke((0.1, 0.75), (0.45, 0.75))
    page.touchscreen.tap(box["x"] + 0.7 * box["width"], box["y"] + 0.5 * box["height"])  # a finger's dot
    stroke((0.85, 0.1), (0.85, 0.9))  # a line the child takes back
    page.locator("button[data-undo]").click()

    page.locator(".pictogram__label", has_text=live_server.t("Love")).click()
    expect(page.locator("input.pictogram__input[value=love]")).to_be_checked()

    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(live_server.t("Sent!"))
    check_axe(page)

    [entry] = entries_of(live_server, family.id)
    assert entry.kind == EntryKind.child_message
    assert entry.child_id == child_id
    assert entry.author_id == entry.recorded_by_id == parent.id
    assert entry.pictogram == "love"
    [attachment] = entry.attachments
    assert attachment.kind == AttachmentKind.drawing
    assert attachment.mimetype == "image/png"

    stored = Path(live_server.app.instance_path) / "uploads" / str(family.id) / attachment.filename
    image = Image.open(io.BytesIO(stored.read_bytes()))
    assert image.format == "PNG"
    image = image.convert("RGB")
    assert (image.width, image.height) == (600, 450)
    assert len(image.getcolors(maxcolors=1_000_000)) > 1, "the drawing is blank"
    assert near(image.getpixel((165, 112)), BLACK), "the black line is missing"
    assert near(image.getpixel((165, 337)), BLUE), "the blue line is missing"
    assert near(image.getpixel((420, 225)), BLUE), "the dot made with a finger is missing"
    undone = [image.getpixel((510, y)) for y in range(60, 400, 10)]
    assert all(near(p, (255, 255, 255), 10) for p in undone), "Undo did not take the last line back"


def test_without_javascript_the_child_picks_a_picture_and_writes(live_server, factory, new_context):
    family = factory.household("Familie de Boer", "Mark de Boer")
    child_id = add_child(live_server, family, "Sem de Boer")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server.url, family.people["creator"].username)

    open_child_message(page, live_server, family)
    expect(page.locator("section[data-drawing]")).to_be_hidden()
    check_axe(page)

    page.locator(".pictogram__label", has_text=live_server.t("Happy")).click()
    page.fill("#words", "Ik heb gevoetbald")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(live_server.t("Sent!"))

    [entry] = entries_of(live_server, family.id)
    assert (entry.child_id, entry.pictogram, entry.what_happened) == (child_id, "happy", "Ik heb gevoetbald")
    assert entry.attachments == []
