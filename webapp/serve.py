"""Start Kring on one machine: gunicorn with a web process per core and one more, the huey consumer beside it; or,
with `--web-only`, the web processes alone (a web machine of a larger set-up, deploy/systemd/kring-web.service, whose
worker runs on its own): the same settings and the same start of each web process either way.

Every process reads what must be one for all of them from a shared place: the secret key and the Web Push key from
the instance folder (made once, before the web processes start), rate-limit counts from the database or Redis
(webapp/rate_limits.py), the queue from its SQLite file or Redis.
"""
import argparse
import gc
import os
import signal
import subprocess
import sys

from gunicorn.app.base import BaseApplication

from webapp import create_app


def worker_command(workers: int = 2) -> list[str]:
    """The huey consumer. An idle SQLite-backed consumer polls with back-off; capped at half a second so a
    signal is picked up at once, not after up to ten seconds of idle back-off."""
    return [sys.executable, "-m", "huey.bin.huey_consumer", "webapp.worker.huey", "--workers", str(workers),
            "--worker-type", "thread", "--delay", "0.1", "--max-delay", "0.5", "--quiet"]


def web_processes() -> int:
    """KRING_WEB_PROCESSES, else one per core and one more: while a thread waits on the database or a commit, another
    computes. Measured with bench/load.py's 400 members on 2 cores, in turns, seven rounds (2026-12-08): 3 processes
    of 2 threads needed 5.2-5.9 ms of server CPU a request against 6.1-8.1 for gunicorn's usual 2 x cores + 1 of 4
    threads, and their slowest pages (p95) were 2 to 20 times shorter in six of the rounds (docs/operations.md). Why
    was not taken apart: each process has its own memory (templates, statement cache, kept parts) for the same
    cores' caches, and more of them means more switching between them."""
    return int(os.environ.get("KRING_WEB_PROCESSES") or (os.cpu_count() or 1) + 1)


def web_threads() -> int:
    """KRING_WEB_THREADS, else 2: a page waiting on the database or a commit does not hold up its process. Three
    did no better than two on 2 cores; a web machine talking to PostgreSQL over the network may want more."""
    return int(os.environ.get("KRING_WEB_THREADS") or 2)


def gunicorn_options(host: str, port: int) -> dict:
    options = {
        "bind": f"{host}:{port}",
        "workers": web_processes(),
        "threads": web_threads(),
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "loglevel": os.environ.get("KRING_LOG_LEVEL", "warning"),
        # Forwarded headers are trusted only through KRING_TRUST_PROXY (ProxyFix in create_app), never by default.
        "forwarded_allow_ips": "",
        "proc_name": "kring",
        "control_socket_disable": True,  # gunicorn 27's socket in the home folder: one per user, not per Kring
    }
    if os.environ.get("KRING_ACCESS_LOG"):
        # Which process answered, what and how fast: no address, no path (a path can hold an invitation token).
        options["accesslog"] = os.environ["KRING_ACCESS_LOG"]
        options["access_log_format"] = 'pid=%(p)s %(m)s status=%(s)s bytes=%(B)s ms=%(M)s'
    return options


class Server(BaseApplication):
    """gunicorn with Kring's app factory: every worker process makes its own app (and its own database pool)."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = create_app()
        set_aside_what_lasts()
        return app


# New objects between collections of the youngest generation (Python's default is 700).
YOUNG_GENERATION = 10_000


def set_aside_what_lasts() -> None:
    """Called once a web process has made its app. Everything made so far (the modules, the app and its extensions)
    lives as long as the process, so it is frozen out of the cyclic garbage collector, whose full passes otherwise
    walk all of it again (and push a page's own work out of the processor's caches). The youngest generation is
    collected after 10,000 new objects instead of 700: about every 40 pages instead of every 3, and a page's
    short-lived objects are mostly gone by then instead of moved to an older generation.
    Measured with 5 web processes kept busy: the collector's time a page from about 0.24 to 0.10 ms, of 4-5 ms."""
    gc.collect()  # what starting left behind in cycles goes first: frozen, it would never be freed
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m webapp.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--web-only", action="store_true",
                        help="the web processes without the worker (a web machine whose worker runs on its own)")
    web_only = parser.parse_args(argv).web_only
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # Made once here, before any web process starts: the secret key, the Web Push key and the static build.
    app = create_app()
    options = gunicorn_options(host, port)
    master = os.getpid()
    consumer = None if web_only else subprocess.Popen(worker_command())
    # Browsers refuse passkeys on an IP address, so point people at the localhost name.
    shown = "localhost" if host == "127.0.0.1" else host
    threads = f"{options['threads']} thread{'s' if options['threads'] != 1 else ''} each"
    beside = "" if web_only else " and the background worker"
    print(f"Kring runs on http://{shown}:{port}/  ({options['workers']} web processes of {threads}{beside}; "
          "Ctrl+C stops them all)", flush=True)
    if app.config["DEMO"]:
        print("Demo sign-ins, all with password 'kring-demo': ouder, veiligheidspersoon, netwerklid, "
              "voorzitter, professional. The child view is under 'ouder'.", flush=True)
    # gunicorn turns SIGTERM and SIGINT into a graceful stop and then exits (SystemExit): the finally stops the
    # consumer. A web process that ends leaves through here too (it was forked from this frame): only the main
    # process may stop the consumer.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        Server(options).run()
    finally:
        if consumer is not None and os.getpid() == master:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(timeout=10)


if __name__ == "__main__":
    main()
