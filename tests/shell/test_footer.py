"""The footer of every page is kept per process (webapp/shell/footer.py), but its two forms carry this person's own
form token and its language switch comes back to this very page: a kept footer must never hand one person's token, or
one page's address, to the next."""
import re

from tests.conftest import make_app, sign_in_as


def _footer(page: str) -> str:
    return page[page.index('<footer class="footer">'):page.index("</footer>")]


def _meta_token(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_each_person_and_page_gets_its_own_token_and_way_back_in_the_kept_footer(_schema, family):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        h = family.household.id
        parent, chair = app.test_client(), app.test_client()
        sign_in_as(parent, family.users["household_member"])
        sign_in_as(chair, family.users["chair"])
        pages = {}
        for client, address in [(parent, f"/h/{h}/log/?kind=went_well&week=2026-11-09"), (chair, f"/h/{h}/log/"),
                                (parent, f"/h/{h}/calendar/"), (chair, f"/h/{h}/calendar/")]:
            page = client.get(address).text
            footer = _footer(page)
            tokens = re.findall(r'name="csrf_token" value="([^"]+)"', footer)
            assert tokens == [_meta_token(page)] * 2  # the language switch and signing out: this person's token
            pages[client, address] = tokens[0]
            come_back_to = re.search(r'name="next" value="([^"]*)"', footer).group(1)
            assert come_back_to == address.replace("&", "&amp;") + ("" if "?" in address else "?")
        assert pages[parent, f"/h/{h}/calendar/"] != pages[chair, f"/h/{h}/calendar/"]

        # The switch in the footer works with what the footer holds, back to the page it is on.
        page = parent.get(f"/h/{h}/log/?kind=went_well").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', _footer(page)).group(1)
        switched = parent.post("/language", data={"csrf_token": token, "locale": "en",
                                                  "next": f"/h/{h}/log/?kind=went_well"})
        assert switched.status_code == 302 and switched.headers["Location"].endswith(f"/h/{h}/log/?kind=went_well")
        assert 'lang="en"' in parent.get(f"/h/{h}/log/").text

        # Signed out: the language switch, without a sign-out form; a form sent back comes back to the start.
        stranger = app.test_client()
        sign_in_page = stranger.get("/sign-in").text
        footer = _footer(sign_in_page)
        assert "Uitloggen" not in footer and "Sign out" not in footer
        assert re.findall(r'name="csrf_token" value="([^"]+)"', footer) == [_meta_token(sign_in_page)]
        refused = stranger.post("/sign-in", data={"csrf_token": _meta_token(sign_in_page), "login": "nobody",
                                                  "password": "wrong"}).text
        assert 'name="next" value="/"' in _footer(refused)
