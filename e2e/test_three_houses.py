"""The child's Three Houses on a phone, in Dutch: with her mother beside her, Noor puts a worry in her house of
worries with a picture and a few words and chooses her safety person; the grandmother sees it, the neighbour does
not; what Noor shares with everyone is seen by everyone. Read aloud is there, axe clean."""
import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, menu_link, sign_in
from e2e.test_child_message import add_child, give_phone_to_child
from webapp.households.models import Role

pytestmark = pytest.mark.e2e


def _put(page, t, house: str, words: str, picture: str, share: str) -> None:
    page.get_by_role("link", name=t(house)).click()
    expect(page.locator("[data-read-aloud]")).to_be_visible()
    page.locator("label", has_text=t(picture)).first.click()
    page.fill("#words", words)
    page.get_by_label(t(share)).check()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Put it in my house")).click()
    expect(page.locator(".notice--success")).to_contain_text(t("It is in your house."))
    expect(page.locator(".house-item__words")).to_contain_text(words)
    with page.expect_navigation():
        page.get_by_role("link", name=t("Back")).click()


def test_the_child_fills_her_houses_and_each_grown_up_sees_what_she_chose(live_server, factory, new_context):
    t = live_server.t
    family = factory.household("Familie Jansen", "Petra Jansen")
    oma = factory.member(family, "oma", "Oma Lies", {Role.safety_person})
    kees = factory.member(family, "kees", "Buurman Kees", {Role.network_member})
    add_child(live_server, family, "Noor Jansen")

    phone = new_context().new_page()
    sign_in(phone, live_server.url, family.people["creator"].username)
    give_phone_to_child(phone, live_server, family.id)
    with phone.expect_navigation():
        phone.get_by_role("link", name=t("My three houses")).click()
    check_axe(phone)
    _put(phone, t, "My house of worries", "Als papa boos belt", "Sad", "My safety person(s) too")
    _put(phone, t, "My house of good things", "Koekjes bakken", "Love", "Everyone in my network")

    for person, sees_worry in ((oma, True), (kees, False)):
        page = new_context().new_page()
        sign_in(page, live_server.url, person.username)
        with page.expect_navigation():
            menu_link(page, f"a[href='/h/{family.id}/houses']").click()
        expect(page.locator("main")).to_contain_text("Koekjes bakken")
        expect(page.get_by_text("Als papa boos belt")).to_have_count(1 if sees_worry else 0)
        check_axe(page)
