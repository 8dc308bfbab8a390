"""The footer of every page (the language switch, signing out, privacy, adding Kring to the home screen), rendered
once per process for what it shows and kept, as the main menu is (navigation.py).

A footer is the same for everyone who reads the same language signed in (or not) on the same address Kring is served
under, but for two things that are the person's or the page's: the form token of its two forms, and the page to come
back to after switching language. The kept footer holds a marker for each, and each page puts in its own, escaped,
on the way out. Rendering it for every page cost about half a million instructions (bench/page_instructions.py).
"""
from functools import lru_cache

from flask import request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from webapp.i18n import LANGUAGE_NAMES
from webapp.kept_parts import page_key, render

FOOTERS_KEPT = 64  # per process: a footer per language, signed in or not, and address
# Private-use characters: no translation, address or token holds them.
TOKEN, COME_BACK_TO = "\ue000token\ue000", "\ue000next\ue000"


def page_footer() -> Markup:
    """This page's footer: the kept one, with this person's form token and this page's address put in."""
    signed_in = current_user._get_current_object().is_authenticated
    here = request._get_current_object()
    kept = _footer(signed_in, *page_key())
    come_back_to = here.full_path if here.method == "GET" else "/"
    return Markup(kept.replace(TOKEN, escape(generate_csrf())).replace(COME_BACK_TO, escape(come_back_to)))


@lru_cache(maxsize=FOOTERS_KEPT)
def _footer(signed_in: bool, locale: str, _folder: str) -> str:
    return str(render("shell/_footer.html", token=Markup(TOKEN), come_back_to=Markup(COME_BACK_TO),
                      signed_in=signed_in, locale=locale, language_names=LANGUAGE_NAMES))
