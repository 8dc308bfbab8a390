"""Every message is in the catalogs, and Dutch (the default) and English are complete."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]


def _catalog(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def _translated(message) -> bool:
    return all(message.string) if isinstance(message.string, tuple) else bool(message.string)


def test_every_message_in_the_code_is_in_the_dutch_catalog():
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    catalog_ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog("nl") if m.id}
    missing = sorted(found - catalog_ids)
    assert missing == [], "run `make translations` and translate: " + "; ".join(missing)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalog_is_complete(lang):
    untranslated = [m.id for m in _catalog(lang) if m.id and (not _translated(m) or m.fuzzy)]
    assert untranslated == []


def test_dutch_is_the_default_and_arabic_runs_right_to_left(client):
    page = client.get("/sign-in")
    assert '<html lang="nl" dir="ltr">' in page.text and "Inloggen" in page.text
    arabic = client.get("/sign-in", headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in arabic.text


def test_not_found_page_is_in_dutch(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Deze pagina is er niet" in response.text


def test_a_page_that_switches_language_midway_says_each_part_in_its_own_language(app):
    """A request looks its translations up once (webapp.i18n.RequestDomain); an e-mail or push made in the
    recipient's language inside the same request (force_locale) must still come out in that language, and the
    page after it in the page's own."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext, ngettext

    page = "{{ _('Quick exit') }} | {{ ngettext('%(num)d invitation is waiting to be used.', " \
           "'%(num)d invitations are waiting to be used.', 3) }}"
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        before = render_template_string(page), gettext("Quick exit")
        with force_locale("ar"):
            forced = render_template_string(page), ngettext("%(num)d invitation is waiting to be used.",
                                                            "%(num)d invitations are waiting to be used.", 3)
        after = render_template_string(page), gettext("Quick exit")
    assert before == ("Snel weg | 3 uitnodigingen zijn nog niet gebruikt.", "Snel weg")
    assert forced == ("خروج سريع | 3 دعوات تنتظر الاستخدام.", "3 دعوات تنتظر الاستخدام.")
    assert after == before


def test_a_templates_message_comes_out_as_with_jinjas_own_gettext(app):
    """The templates' _() is Kring's own (one call instead of Jinja's three, webapp.i18n): it must come out exactly
    as with Jinja's newstyle gettext. In HTML what is filled in is escaped and the message is not; "%%" reads "%"
    with or without variables; a template that does not escape (plain text) gets the words as they are."""
    from jinja2 import Environment
    from webapp.i18n import _page_translations
    sources = ["{{ _('Open signal:') }}", "{{ _('50%%') }} {{ gettext('50%%') }}",
               "{{ _('%(household)s is closed and will be erased on %(date)s.', household='<b>A & B</b>', date=d) }}",
               "{{ _('%(what)s & more', what='<i>') }} {{ gettext('%(n)s%%', n=3) }}",
               # Kept per process without variables (_plain_message): still Markup only where the template escapes.
               "{{ _('Fish & chips <3') }} {{ _('Fish & chips')|e }}"]
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        for autoescape in (True, False):
            jinjas = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
            jinjas.install_gettext_callables(gettext=lambda s: _page_translations().ugettext(s),
                                             ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
                                             newstyle=True)
            ours = app.jinja_env.overlay(autoescape=autoescape)
            for source in sources:
                expected = jinjas.from_string(source).render(d="1 mei")
                assert ours.from_string(source).render(d="1 mei") == expected, (autoescape, source)
        assert ours.from_string(sources[0]).render() == "Open signaal:"
        filled_in = app.jinja_env.from_string(sources[2]).render(d="<1>")
        assert filled_in.endswith("&lt;b&gt;A &amp; B&lt;/b&gt; is gesloten en wordt gewist op &lt;1&gt;.")
