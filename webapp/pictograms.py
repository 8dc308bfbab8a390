"""Kring's pictograms: drawn pictures shipped with Kring instead of emoji characters.

An emoji character depends on the phone's fonts: without a colour emoji font it shows as a black outline or an
empty box, and it looks different on every phone. Kring keeps its pictures as a dictionary of emoji (the code
reads well: `"bell": "🔔"`), and templates draw each one with the `picto` filter: the matching SVG from Twemoji
(jdecked/twemoji, graphics CC-BY 4.0; the files and their licence are in webapp/static/pictograms, copied there by
scripts/vendor_pictograms.py), inline in the page, so it needs no request and works offline. It is always
decoration (aria-hidden): the word beside it says what it means.
"""
import re
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

FOLDER = Path(__file__).parent / "static" / "pictograms"

def file_name(emoji: str) -> str:
    """Twemoji's name for an emoji: its code points in hex, joined by '-', without the variation selector."""
    return "-".join(f"{ord(c):x}" for c in emoji if c != "\ufe0f") + ".svg"


@cache
def _svg(emoji: str) -> str | None:
    path = FOLDER / file_name(emoji)
    if not path.is_file():
        return None
    return re.sub(r"^<svg ", '<svg aria-hidden="true" focusable="false" ', path.read_text(encoding="utf-8").strip())


_VIEW_BOX = re.compile(r'viewBox="([^"]+)"')
_INSIDE = re.compile(r"^<svg[^>]*>(.*)</svg>$", re.S)


@cache
def picto_symbol(emoji: str, name: str) -> Markup:
    """The drawing for `emoji` once, as an SVG <symbol> with the id `name`, for a page that shows the same few
    pictograms many times (the calendar week: six elements on every activity and every day): each then costs a
    `picto_use(name)` of about a hundred bytes instead of a drawing of about two thousand."""
    svg = _svg(emoji)
    if svg is None:
        raise KeyError(f"no drawing for {emoji!r}")
    view_box = _VIEW_BOX.search(svg).group(1)
    return Markup(f'<symbol id="{escape(name)}" viewBox="{view_box}">{_INSIDE.match(svg).group(1)}</symbol>')


@cache
def picto_use(name: str, class_: str = "") -> Markup:
    """A pictogram drawn from the symbol `name` that the same page holds (picto_symbol)."""
    classes = f"picto {class_}".strip()
    return Markup(f'<svg class="{classes}" aria-hidden="true" focusable="false"><use href="#{escape(name)}"/></svg>')


def picto(emoji: str | None, class_: str = "") -> Markup:
    """The drawn pictogram for `emoji`, as inline SVG with the class `picto` (and `class_`). An emoji without a
    drawing is written as it is (a test keeps every emoji Kring uses drawn)."""
    if not emoji:
        return Markup("")
    svg = _svg(emoji)
    if svg is None:
        return escape(emoji)
    classes = f"picto {class_}".strip()
    return Markup(svg.replace("<svg ", f'<svg class="{classes}" ', 1))
