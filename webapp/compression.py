"""Pages compressed on the way out (Flask-Compress), but only where compression cannot leak a secret.

BREACH: when a compressed response holds a secret (the CSRF token, personal data) beside text an attacker put into
the request, the size of the response tells the attacker how much of their guess matched the secret. So a response
is compressed only when nothing in it can come from the request: a GET (or HEAD) without a query string, on a
route whose path holds only numbers and fixed words (`<int:...>`, `<any(...)>`). Pages reached by a token in the
path (`/join/<token>`: every page echoes its own path in the language menu), form posts (which re-render what was
typed) and filtered lists (which echo their filters) go out uncompressed. Static files never get here: WhiteNoise serves them precompressed.
"""
import re

from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()

MIMETYPES = ["text/html", "application/json", "application/manifest+json", "text/javascript"]


FIXED_PART = re.compile(r"<(?:int:|any\()")


def nothing_reflected() -> bool:
    if request.method not in {"GET", "HEAD"} or request.query_string or request.url_rule is None:
        return False
    parts = re.findall(r"<[^>]*>", request.url_rule.rule)
    return all(FIXED_PART.match(part) for part in parts)


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Level 2: a 50 KB page (the calendar week) in 0.14 ms and 9.0 KB; level 4 took twice as long for 8.2 KB, and a
    # page's processor time is what limits how many people one machine serves (bench/page_cpu.py).
    app.config.setdefault("COMPRESS_BR_LEVEL", 2)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1000)
    app.config["COMPRESS_REGISTER"] = False  # registered below, behind the BREACH rule
    compress.init_app(app)

    @app.after_request
    def compress_when_safe(response: Response) -> Response:
        if nothing_reflected():
            return compress.after_request(response)
        return response
