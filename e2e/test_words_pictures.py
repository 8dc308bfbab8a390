"""Words & Pictures end to end, at phone size in Dutch: a parent makes the picture plan (a pictogram, a
drawing; an empty page is refused; plain-language tips while typing), the child reads it one page at a time,
has it read aloud, reads it again without a connection, and cannot get into the grown-ups' pages without the
parent's password.
"""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, sign_in, wait_for_promise, wait_for_service_worker
from e2e.test_child_message import add_child, give_phone_to_child, unlock_child_view
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

# speechSynthesis.speak, recorded instead of spoken (a test machine has no voices, and must stay quiet).
RECORD_SPEECH = """
window.__spoken = [];
if ("speechSynthesis" in window) {
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push({ text: utterance.text, lang: utterance.lang });
    setTimeout(() => utterance.onend && utterance.onend(new Event("end")), 50);
  };
}
"""


def add_page(page, live_server, text: str, pictogram: str | None = None) -> None:
    page.get_by_role("link", name=live_server.t("Add a page")).click()
    expect(page.locator("h1")).to_have_text(live_server.t("A new page"))
    page.fill("#text", text)
    if pictogram:
        page.locator(".pictogram__label", has_text=live_server.t(pictogram)).click()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Save the page")).click()


def test_parent_makes_the_picture_plan_and_the_child_reads_it_aloud_and_offline(live_server, factory, new_context):
    family = factory.household("Familie Jansen", "Petra Jansen")
    add_child(live_server, family, "Noor Jansen")
    context = new_context()
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    sign_in(page, live_server.url, family.people["creator"].username)

    # The household home leads to the books.
    books = page.locator("ul.home-links")
    books.get_by_role("link", name=re.compile(re.escape(live_server.t("Words & Pictures")))).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/books/story")
    page.get_by_role("link", name=live_server.t("Go to the picture plan")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/books/plan")
    check_axe(page)

    # An empty page gets a clear message and keeps the pictogram chosen.
    page.get_by_role("link", name=live_server.t("Add a page")).click()
    check_axe(page)
    page.locator(".pictogram__label", has_text=live_server.t("Grandma")).click()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Save the page")).click()
    expect(page.locator(".error-summary")).to_contain_text(live_server.t("Write one to three short sentences for this page."))
    expect(page.locator("input[name=pictogram][value=grandma]")).to_be_checked()
    check_axe(page)

    # While typing, professional words get a plain suggestion below the field.
    page.fill("#text", "De casusregie ligt bij Jeroen.")
    hints = page.locator(".plain-hints")
    expect(hints).to_contain_text("casusregie")
    expect(hints).to_have_attribute("aria-live", "polite")
    page.fill("#text", "Oma Ria is er altijd voor jou.")
    expect(hints).to_be_empty()
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Save the page")).click()
    expect(page.locator(".notice--success")).to_contain_text(live_server.t("The page is saved."))

    add_page(page, live_server, "Ben je bang? Zet Beer op de vensterbank.", "Cuddly toy")

    # The third page is drawn with a finger.
    page.get_by_role("link", name=live_server.t("Add a page")).click()
    page.fill("#text", "Buurman Kees woont naast jullie.")
    page.locator("label", has_text=live_server.t("Draw it here")).click()
    canvas = page.locator("canvas[data-canvas]")
    expect(canvas).to_be_visible()
    expect(page.locator("[data-picture-section=pictogram]")).to_be_hidden()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 40, box["y"] + box["height"] - 40, steps=10)
    page.mouse.up()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Save the page")).click()
    cards = page.locator(".book-card")
    expect(cards).to_have_count(3)
    expect(cards.nth(2).locator("img")).to_be_visible()
    check_axe(page)

    # The child opens the picture plan from the child view, once the parent handed over the phone.
    give_phone_to_child(page, live_server, family.id, "Noor", axe=True)
    check_axe(page)
    page.get_by_role("link", name=live_server.t("My plan")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/child/books/plan/1")
    text = page.locator(".book-page__text")
    expect(text).to_have_text("Oma Ria is er altijd voor jou.")
    expect(page.locator(".book-page__count")).to_have_text(live_server.t("Page %(number)s of %(total)s", number=1, total=3))
    check_axe(page)

    read = page.get_by_role("button", name=live_server.t("Read to me"))
    expect(read).to_be_visible()
    read.click()
    page.wait_for_function("() => window.__spoken.length === 1")
    assert page.evaluate("window.__spoken") == [{"text": "Oma Ria is er altijd voor jou.", "lang": "nl"}]

    page.get_by_role("link", name=live_server.t("Next")).click()
    expect(text).to_have_text("Ben je bang? Zet Beer op de vensterbank.")
    page.get_by_role("link", name=live_server.t("Next")).click()
    expect(text).to_have_text("Buurman Kees woont naast jullie.")
    picture = page.locator("img.book-page__image")
    expect(picture).to_be_visible()
    expect(page.get_by_role("link", name=live_server.t("The end"))).to_be_visible()
    check_axe(page)

    # Opened once, the whole book is on the phone: it opens again without a connection.
    wait_for_service_worker(page)
    page.wait_for_selector("article[data-offline-ready=true]", state="attached")
    context.set_offline(True)
    try:
        page.reload()
        expect(text).to_have_text("Buurman Kees woont naast jullie.")
        page.wait_for_function("() => document.querySelector('img.book-page__image').naturalWidth > 0")
        page.get_by_role("link", name=live_server.t("Back")).click()
        expect(text).to_have_text("Ben je bang? Zet Beer op de vensterbank.")
        check_axe(page)
    finally:
        context.set_offline(False)

    # From the child's pages, the grown-ups' parts ask for the password.
    page.goto(f"{live_server.url}/h/{family.id}")
    expect(page).to_have_url(re.compile(r"/unlock\?next="))
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
    check_axe(page)
    page.fill("#password", "raden maar")
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Continue")).click()
    expect(page.locator(".error-summary")).to_contain_text(live_server.t("This password is not right. Try again."))
    check_axe(page)
    page.goto(f"{live_server.url}/h/{family.id}/books/plan")
    expect(page).to_have_url(re.compile(r"/unlock\?next="))
    unlock_child_view(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/books/plan")

    # Signing out removes the book from the phone.
    assert page.evaluate("caches.has('kring-child-books-v2')")
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Sign out")).click()
    wait_for_promise(page, "async () => !(await caches.has('kring-child-books-v2'))")


def test_without_javascript_the_child_turns_pages_with_the_links(live_server, factory, new_context):
    from webapp.extensions import db
    from sqlalchemy import select
    from webapp.households.models import Child
    from webapp.words_pictures.demo_data import seed_demo
    family = factory.household("Familie de Boer", "Mark de Boer")
    add_child(live_server, family, "Sem de Boer")
    with live_server.app.app_context():
        seed_demo(db.session, db.session.scalar(select(Child).where(Child.household_id == family.id)),
                  live_server.app.instance_path)
        db.session.commit()
        db.session.remove()
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server.url, family.people["creator"].username)
    give_phone_to_child(page, live_server, family.id, axe=True)  # a form: no JavaScript needed
    page.get_by_role("link", name=live_server.t("My story")).click()
    expect(page.locator(".book-page__text")).to_contain_text("Dit boek gaat over jou, Mila.")
    expect(page.get_by_role("button", name=live_server.t("Read to me"))).to_be_hidden()
    check_axe(page)
    page.get_by_role("link", name=live_server.t("Next")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/child/books/story/2")
    page.get_by_role("link", name=live_server.t("Back")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/child/books/story/1")
    page.goto(f"{live_server.url}/h/{family.id}/log/")
    expect(page.locator("h1")).to_contain_text(live_server.t("Are you a grown-up?"))
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Continue")).click()
    expect(page).to_have_url(f"{live_server.url}/h/{family.id}/log/")
