"""The onboarding story: a household member invites a network member, who joins with the link on their own phone."""
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_axe, menu_link, sign_in
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def invite_nav(page):
    return menu_link(page, "a[href$='/invitations']")


def person(page, name: str):
    return page.locator("ul.people li.person").filter(has=page.locator(".person__name", has_text=name))


def test_network_member_joins_with_an_invitation_link_and_sees_a_home_for_their_role(live_server, factory, page, new_context):
    family = factory.demo()
    base = live_server.url

    # The demo's household member signs in as `ouder` and opens Invite from the menu.
    sign_in(page, base, "ouder", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/h/{family.id}$"))
    check_axe(page)
    expect(invite_nav(page)).to_be_visible()
    invite_nav(page).click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/invitations$"))
    check_axe(page)

    # Makes an invitation for a network member ("Netwerklid").
    page.fill("#invitee_name", "Noor de Buurvrouw")
    page.locator("input[name=role][value=network_member]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/invitations/\d+$"))
    link = page.locator("input#invite-link").input_value()
    assert link.startswith(f"{base}/join/")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator("main")).to_contain_text(live_server.t("Network member"))
    check_axe(page)

    # The invitee opens the link on their own phone: not signed in.
    invitee = new_context().new_page()
    invitee.goto(link)
    expect(invitee.locator("#display_name")).to_have_value("Noor de Buurvrouw")
    check_axe(invitee)
    invitee.fill("#display_name", "Noor Bakker")
    invitee.fill("#username", "noor")
    invitee.fill("#password", "een lange zin als wachtwoord")
    invitee.locator("main form button[type=submit]").click()

    # Recovery codes are offered first (with the welcome notice), then the welcome page, then the household's home
    # with everyone and their roles.
    expect(invitee).to_have_url(re.compile(r"/settings/recovery/codes\?next="))
    expect(invitee.locator(".notice--success").first).to_be_visible()
    invitee.get_by_role("link", name=live_server.t("Not now")).click()
    expect(invitee).to_have_url(re.compile(rf"/h/{family.id}/welcome$"))
    check_axe(invitee)
    invitee.locator(f"main a.button[href='/h/{family.id}']").click()
    expect(invitee).to_have_url(re.compile(rf"/h/{family.id}$"))
    check_axe(invitee)
    expect(person(invitee, "Noor Bakker").locator(".tag")).to_have_text([live_server.t("Network member")])
    expect(person(invitee, "Sanne de Vries").locator(".tag")).to_have_text([live_server.t("Household member")])

    # Role-scoped home: the network member cannot invite, the household member can.
    expect(invitee.locator("nav.mainnav")).to_be_visible()
    expect(invite_nav(invitee)).to_have_count(0)
    expect(invitee.locator(f"a[href='/h/{family.id}/invitations']")).to_have_count(0)
    page.goto(f"{base}/h/{family.id}")
    expect(invite_nav(page)).to_be_visible()
    page.locator(".people-fold summary").click()  # the people sit behind a fold below today's tasks
    expect(person(page, "Noor Bakker")).to_be_visible()
    check_axe(page)

    # The link works once: opening it again says it was used.
    response = invitee.goto(link)
    assert response.status == 410
    expect(invitee.locator("h1")).to_have_text(live_server.t("This link was already used"))
    check_axe(invitee)


def test_a_stopped_invitation_link_shows_the_stopped_page(live_server, factory, page, new_context):
    family = factory.household("Familie de Vries", "Karim de Vries")
    base = live_server.url
    sign_in(page, base, family.people["creator"].username)

    page.goto(f"{base}/h/{family.id}/invitations")
    check_axe(page)
    page.fill("#invitee_name", "Oom Henk")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/invitations/\d+$"))
    check_axe(page)
    link = page.locator("input#invite-link").input_value()

    # Stop the link from the page it was made on.
    page.locator("main form[action$='/revoke'] button").click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/invitations$"))
    expect(page.locator(".notice--success")).to_be_visible()
    check_axe(page)

    stranger = new_context().new_page()
    response = stranger.goto(link)
    assert response.status == 410
    expect(stranger.locator("h1")).to_have_text(live_server.t("This link was stopped"))
    expect(stranger.locator("#username")).to_have_count(0)
    check_axe(stranger)
