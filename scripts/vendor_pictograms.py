"""Copy the Twemoji drawings Kring uses into webapp/static/pictograms.

Usage (only when a pictogram is added or Twemoji is updated; the copied files are part of the project):
    npm pack @twemoji/svg@15.0.0 && tar xzf twemoji-svg-15.0.0.tgz
    .venv/bin/python scripts/vendor_pictograms.py package/
"""
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.pictograms import FOLDER, file_name  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"


def used() -> dict[str, str]:
    """Every emoji Kring draws, by where it is used (also read by tests/test_child_view.py, which keeps them drawn).
    The capabilities' dictionaries and every `'…'|picto` in the templates."""
    from webapp.resilience_calendar.forms import CHILD_ICONS, ELEMENT_ICONS
    from webapp.three_houses.services import HOUSE_ICONS, PICTOGRAMS as HOUSE_PICTOGRAMS
    from webapp.trajectory.services import PHASES_FOR_THE_CHILD
    from webapp.safety_log.forms import KIND_ICONS, MOODS
    from webapp.safety_log.services import PICTOGRAMS as CHILD_MESSAGE_PICTOGRAMS
    from webapp.words_pictures.forms import BOOK_ICONS
    from webapp.words_pictures.services import PICTOGRAMS as BOOK_PICTOGRAMS
    found = {}
    for where, icons in (("calendar (child)", CHILD_ICONS),
                         ("calendar elements", ELEMENT_ICONS), ("log kinds", KIND_ICONS),
                         ("log moods", {str(v): face for v, face, _label in MOODS}),
                         ("child's message", CHILD_MESSAGE_PICTOGRAMS), ("books", BOOK_ICONS),
                         ("book pages", BOOK_PICTOGRAMS),
                         ("road (child)", {key: emoji for key, emoji, _words in PHASES_FOR_THE_CHILD}),
                         ("three houses", HOUSE_ICONS), ("house pictures", HOUSE_PICTOGRAMS)):
        for key, emoji in icons.items():
            found[f"{where}: {key}"] = emoji
    for template in sorted(TEMPLATES.rglob("*.html")):
        for emoji in re.findall(r"\{\{ '([^']+)'\|picto", template.read_text(encoding="utf-8")):
            found[f"{template.relative_to(TEMPLATES)}: {emoji}"] = emoji
    return found


LICENCE = """The pictures in this folder are Twemoji (https://github.com/jdecked/twemoji), copyright 2019 Twitter, Inc
and other contributors, licensed under CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The SVG files
come from the npm package @twemoji/svg 15.0.0 and are unchanged; scripts/vendor_pictograms.py copies them here.
"""


def main(source: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    missing = []
    for where, emoji in sorted(used().items()):
        name = file_name(emoji)
        found = Path(source) / name
        if not found.is_file():
            missing.append(f"{where} {emoji} ({name})")
            continue
        shutil.copyfile(found, FOLDER / name)
    (FOLDER / "LICENSE.txt").write_text(LICENCE, encoding="utf-8")
    if missing:
        sys.exit("Not in Twemoji: " + ", ".join(missing))


if __name__ == "__main__":
    main(sys.argv[1])
