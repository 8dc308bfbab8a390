"""Page weight: bytes transferred for the first load of the sign-in page and the home page.

Starts Kring the way `make run` does (waitress, demo household, in a temporary instance folder),
or measures a running Kring given with --url. Loads each page in Debian's Chromium with an empty
cache at phone size and adds up what the network carried for HTML, CSS and JS (target: at most
60 KB per page). The last line reads `max_kb: N`.
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


def measure(context, url: str) -> dict[str, int]:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Kring with the demo household (default: start one)")
    args = parser.parse_args()
    server, url = (None, args.url.rstrip("/")) if args.url else start_server()
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            phone = {"viewport": {"width": 390, "height": 844}, "locale": "nl-NL", "is_mobile": True}
            context = browser.new_context(**phone)
            results["sign-in"] = measure(context, url + "/sign-in")
            page = context.new_page()
            page.goto(url + "/sign-in")
            page.fill("#login", "ouder")
            page.fill("#password", "kring-demo")
            page.click("form[method=post] button[type=submit]")
            page.wait_for_url("**/h/*")
            home = page.url
            page.close()
            # A second context with the same sign-in but nothing cached: a first visit to the home page.
            fresh = browser.new_context(storage_state=context.storage_state(), service_workers="block", **phone)
            results["home"] = measure(fresh, home)
            browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
    worst = 0.0
    for name, totals in results.items():
        counted = sum(v for k, v in totals.items() if k in COUNTED)
        worst = max(worst, counted / 1024)
        detail = ", ".join(f"{k.lower()} {v / 1024:.1f} KB" for k, v in sorted(totals.items()))
        print(f"{name}: {counted / 1024:.1f} KB of HTML+CSS+JS ({detail})")
    print(f"max_kb: {worst:.1f}")


if __name__ == "__main__":
    main()
