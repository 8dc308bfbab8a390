"""A brand-new household builds its safety circle on a phone, in Dutch: the grandmother from Kring close by, the
grandfather who is not in Kring further out and then closer, the aim of three said in words as it grows, and the
grandfather invited from the circle with his name already filled in. No dragging needed; axe clean. On a wide
screen with a mouse, people can also be dragged to another ring."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in
from webapp.demo import DEMO_PASSWORD
from webapp.households.models import Role

pytestmark = pytest.mark.e2e


def test_a_new_household_builds_its_circle_without_dragging(live_server, factory, page):
    t = live_server.t
    family = factory.household("Familie Jansen", "Petra Jansen")
    factory.member(family, "oma", "Oma Lies", {Role.safety_person})
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}")
    page.locator("details.people-fold summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name=t("The safety circle: who stands around the child")).click()
    expect(page.locator("h1")).to_have_text(t("The safety circle"))
    expect(page.locator(".circle-aim")).to_have_text(t("%(num)d of the 3 in the inner ring: who else could join?", num=0))
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name=t("Put someone on the circle")).click()
    with page.expect_navigation():  # nothing chosen: the form says what is missing and keeps what was typed
        page.fill("#relation", "opa")
        page.get_by_role("button", name=t("Put on the circle")).click()
    expect(page.locator(".error-summary")).to_contain_text(t("Choose where this person stands."))
    expect(page.locator("#relation")).to_have_value("opa")
    check_axe(page)
    page.fill("#name", "Opa Henk")
    page.get_by_label(t("A bit further: could help")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Put on the circle")).click()
    expect(page.locator(".notice--success")).to_contain_text("Opa Henk")

    with page.expect_navigation():
        page.get_by_role("link", name=t("Put someone on the circle")).click()
    page.select_option("#member", label="Oma Lies")
    page.get_by_label(t("Close by: helps keep the child safe now")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Put on the circle")).click()
    expect(page.locator(".circle-aim")).to_have_text(t("%(num)d of the 3 in the inner ring: who else could join?", num=1))

    with page.expect_navigation():  # Opa Henk turns out to be there every week: closer
        page.get_by_role("link", name=t("Change where %(name)s stands", name="Opa Henk")).click()
    expect(page.locator("h1")).to_have_text(t("Where does %(name)s stand?", name="Opa Henk"))
    check_axe(page)
    page.get_by_label(t("Close by: helps keep the child safe now")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save")).click()
    expect(page.locator(".circle-aim")).to_have_text(t("%(num)d of the 3 in the inner ring: who else could join?", num=2))
    expect(page.locator(".circle-drawing .circle-dot--inner")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("button", name=t("Invite %(name)s to Kring", name="Opa Henk")).click()
    expect(page.locator("#invitee_name")).to_have_value("Opa Henk")


def test_on_a_wide_screen_the_chair_drags_someone_into_the_inner_ring(live_server, factory, new_context):
    t = live_server.t
    family = factory.demo()  # Opa Henk stands in the middle ring
    page = new_context(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False).new_page()
    sign_in(page, live_server.url, "voorzitter", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/h/{family.id}/circle")
    aim = page.locator(".circle-aim.circle-aim--met")  # "3 mensen in de binnenste ring: het doel van 3 is gehaald."
    expect(aim).to_have_text(re.compile(r"^3 "))
    henk = page.locator(".circle-drawing .circle-dot--middle", has_text="Opa Henk")
    expect(henk).to_have_class(re.compile("circle-dot--movable"))  # the drag script took it on
    centre = page.locator(".circle-drawing .circle-child").bounding_box()
    dot = henk.locator("circle").bounding_box()
    page.mouse.move(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
    page.mouse.down()
    page.mouse.move(centre["x"] + centre["width"] / 2 + 60, centre["y"] + centre["height"] / 2 + 20, steps=8)
    with page.expect_navigation():
        page.mouse.up()
    expect(aim).to_have_text(re.compile(r"^4 "))
    expect(page.locator(".circle-drawing .circle-dot--inner", has_text="Opa Henk")).to_have_count(1)
    expect(page.locator(".notice--success")).to_contain_text("Opa Henk")
    check_axe(page)
