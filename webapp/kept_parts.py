"""Parts of pages rendered on their own from plain values and kept per process (the log's panel and composer, the
calendar's days, the scales' charts, the home's people, every page's footer): what they share.

A part is kept under exactly what it is made of, so that a change to any of it makes a new key and never shows a
stale part; the page's language and the folder Kring is served under are part of every key (`page_key`). A part is
rendered from the values it is given and the environment's globals and filters (_, url_for, dateformat), never from
the page's context (`render`): what it shows can only come from its key.
"""
from flask import current_app, request
from markupsafe import Markup

from webapp.i18n import locale_name


def page_key() -> tuple[str, str]:
    """The page's language and folder, for a kept part's key: its rendering reads both from the request."""
    return locale_name(), request._get_current_object().script_root


def render(template_name: str, **values) -> Markup:
    return Markup(current_app.jinja_env.get_template(template_name).render(**values))
