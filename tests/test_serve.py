"""The run command's server: waitress with the huey worker beside it, both stopped together."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_starts_the_worker_and_stops_it_on_sigterm(tmp_path):
    port = _free_port()
    env = {**os.environ, "KRING_INSTANCE": str(tmp_path), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env.pop("KRING_DEMO", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "webapp.serve"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        assert response.status == 200 and response.headers["Server"] == "Kring"  # waitress, not Werkzeug
        workers = _children(server.pid)
        assert len(workers) == 1 and "huey_consumer" in Path(f"/proc/{workers[0]}/cmdline").read_text()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        for _ in range(50):
            if not Path(f"/proc/{workers[0]}").exists() or "Z" in Path(f"/proc/{workers[0]}/stat").read_text().split()[2]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the worker outlived the server")
        assert "Kring runs on" in server.stdout.read()
    finally:
        if server.poll() is None:
            server.kill()
