"""Start Kring on one machine: the waitress WSGI server with a huey consumer beside it."""
import os
import signal
import subprocess
import sys

from waitress import serve

from webapp import create_app


def worker_command(workers: int = 2) -> list[str]:
    """The huey consumer. An idle SQLite-backed consumer polls with back-off; capped at half a second so a
    signal is picked up at once, not after up to ten seconds of idle back-off."""
    return [sys.executable, "-m", "huey.bin.huey_consumer", "webapp.worker.huey", "--workers", str(workers),
            "--worker-type", "thread", "--delay", "0.1", "--max-delay", "0.5", "--quiet"]


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app = create_app()
    consumer = subprocess.Popen(worker_command())
    # Browsers refuse passkeys on an IP address, so point people at the localhost name.
    shown = "localhost" if host == "127.0.0.1" else host
    print(f"Kring runs on http://{shown}:{port}/  (the background worker too; Ctrl+C stops both)", flush=True)
    if app.config["DEMO"]:
        print("Demo sign-ins, all with password 'kring-demo': ouder, veiligheidspersoon, netwerklid, "
              "voorzitter, professional. The child view is under 'ouder'.", flush=True)
    # A plain SIGTERM would end this process without stopping the worker: turn it into a clean exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(app, host=host, port=port, threads=8, ident="Kring")
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(timeout=10)


if __name__ == "__main__":
    main()
