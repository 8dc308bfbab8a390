"""Render the PNG app icons from the SVG sources with Debian's Chromium (run by hand when an icon changes)."""
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "webapp" / "static" / "icons"


def maskable(svg: str) -> str:
    # Full-bleed background, artwork shrunk into the 80 % safe zone that launchers may crop to.
    inner = svg.split(">", 1)[1].rsplit("</svg>", 1)[0]
    background = 'fill="#1d4f91"' if "#1d4f91" in svg else 'fill="#4b5563"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" {background}/>'
            f'<g transform="translate(76.8 76.8) scale(.7)">{inner}</g></svg>')


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name in ("kring", "notes"):
            svg = (ICONS / f"{name}.svg").read_text()
            for suffix, source, size in ((f"{name}-192", svg, 192), (f"{name}-180", svg, 180),
                                         (f"{name}-512", svg, 512), (f"{name}-maskable-512", maskable(svg), 512)):
                page = browser.new_page(viewport={"width": size, "height": size})
                sized = source.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
                page.set_content(f'<html><body style="margin:0;background:transparent">{sized}</body></html>')
                page.screenshot(path=str(ICONS / f"{suffix}.png"), omit_background=True)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
