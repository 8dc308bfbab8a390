"""Page weight: bytes transferred for sign-in, home, the log and the child's book page, first and second load.

Starts Kring the way `make run` does (gunicorn, demo household, in a temporary instance folder), or measures a
running Kring given with --url. Loads each page in Debian's Chromium at phone size (which asks for gzip, br and
zstd) with an empty cache, then again with the cache that first load left, and adds up what the network carried
for HTML, CSS and JS, headers included. The last lines read `repeat_kb: N` (the heaviest second load, target at
most 15) and `max_kb: N` (the heaviest first load, target at most 30).
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
COUNTED = {"Document", "Stylesheet", "Script"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    instance = tempfile.mkdtemp(prefix="kring-bench-")
    port = free_port()
    env = {**os.environ, "KRING_INSTANCE": instance, "KRING_DEMO": "1", "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(flask + ["seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "webapp.serve"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/sign-in", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("Kring did not start")


def _transferred(context, url: str, cache: bool) -> dict[str, int]:
    """Load a page and add up the bytes the network carried (headers and compressed bodies) by kind."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    types: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: types.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    totals: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind = types.get(request_id, "Other")
        totals[kind] = totals.get(kind, 0) + size
    page.close()
    return totals


def measure(browser, state, url: str) -> tuple[dict[str, int], dict[str, int]]:
    """A first visit with nothing cached, then the same page again with what the first visit cached. No service
    worker: this is what HTTP caching alone gives (the service worker keeps the shell on top of it)."""
    context = browser.new_context(storage_state=state, service_workers="block", **PHONE)
    first = _transferred(context, url, cache=False)
    _transferred(context, url, cache=True)  # fills the HTTP cache
    repeat = _transferred(context, url, cache=True)
    context.close()
    return first, repeat


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "nl-NL", "is_mobile": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Kring with the demo household (default: start one)")
    args = parser.parse_args()
    server, url = (None, args.url.rstrip("/")) if args.url else start_server()
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            results["sign-in"] = measure(browser, None, url + "/sign-in")
            context = browser.new_context(service_workers="block", **PHONE)
            page = context.new_page()
            page.goto(url + "/sign-in")
            page.fill("#login", "ouder")
            page.fill("#password", "kring-demo")
            page.click("form[method=post] button[type=submit]")
            page.wait_for_url("**/h/*")
            home = page.url.split("?")[0]
            household = home.rstrip("/").rsplit("/", 1)[1]
            results["home"] = measure(browser, context.storage_state(), home)
            results["log"] = measure(browser, context.storage_state(), f"{url}/h/{household}/log/")
            # The child's book: the grown-up hands the phone over (the child lock), then the child reads.
            page.goto(f"{url}/h/{household}/child/start")
            page.click("form[method=post] button[type=submit]")
            page.wait_for_load_state("networkidle")
            results["book"] = measure(browser, context.storage_state(), f"{url}/h/{household}/child/books/plan/1")
            page.close()
            browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=15)
    worst = repeat_worst = 0.0
    for name, (first, repeat) in results.items():
        counted = sum(v for k, v in first.items() if k in COUNTED) / 1024
        again = sum(v for k, v in repeat.items() if k in COUNTED) / 1024
        worst, repeat_worst = max(worst, counted), max(repeat_worst, again)
        detail = ", ".join(f"{k.lower()} {v / 1024:.1f} KB" for k, v in sorted(first.items()))
        print(f"{name}: first load {counted:.1f} KB of HTML+CSS+JS ({detail}); again {again:.1f} KB")
    print(f"repeat_kb: {repeat_worst:.1f}")
    print(f"max_kb: {worst:.1f}")


if __name__ == "__main__":
    main()
