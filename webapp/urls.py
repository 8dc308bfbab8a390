"""The templates' url_for, each link built once per process.

A page builds dozens of links (the calendar week one per activity and day) and each build walks Werkzeug's rules, its
converters and the url_defaults (the static files' fingerprints): about a tenth of the week's page. A link inside Kring
depends only on its endpoint, its values and the folder Kring is served under, so it is kept under exactly those.
Anything else (an absolute link, an anchor, a relative endpoint such as '.edit', a value that is not a plain number,
text or date) is built as Flask builds it, every time.
"""
from datetime import date
from functools import lru_cache

from flask import Flask, has_request_context, request

URLS_KEPT = 8192  # links kept per process: a hundred bytes or so each
PLAIN = (int, str, date)  # values whose equality is their link (not bool: True == 1)


def install(app: Flask) -> None:
    build = app.url_for

    @lru_cache(maxsize=URLS_KEPT)
    def kept(endpoint: str, script_root: str, values: tuple) -> str:  # script_root is in the key; build reads it
        return build(endpoint, **dict(values))

    def url_for(endpoint: str, **values) -> str:
        if (endpoint.startswith(".") or not has_request_context()
                or any(key.startswith("_") or type(value) is bool or not isinstance(value, PLAIN)
                       for key, value in values.items())):
            return build(endpoint, **values)
        # The values in the call's order: the query's order. The request through _get_current_object: a proxy's
        # attribute costs five times as much (webapp/i18n.py, _page_translations).
        return kept(endpoint, request._get_current_object().script_root, tuple(values.items()))

    app.jinja_env.globals["url_for"] = url_for
