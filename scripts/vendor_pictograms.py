"""Copy the Twemoji drawings Kring uses into webapp/static/pictograms.

Usage (only when a pictogram is added or Twemoji is updated; the copied files are part of the project):
    npm pack @twemoji/svg@15.0.0 && tar xzf twemoji-svg-15.0.0.tgz
    .venv/bin/python scripts/vendor_pictograms.py package/
"""
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.pictograms import FOLDER, file_name, used  # noqa: E402

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
