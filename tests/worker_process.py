"""A real huey consumer in its own process, as the run command starts it, on the test database and instance.

Tests that need background work done for real (sending alerts, escalating, recovering from a crash) start
one with `start_worker()`; `stop`/`kill` end it cleanly or like a crash.
"""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.clock import needs_the_machines_clock
from tests.conftest import database_url
from webapp.serve import worker_command

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(self, process: subprocess.Popen):
        self.process = process

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Like a crash or a pulled plug: no clean-up at all."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def start_worker(workers: int = 2, fresh_queue: bool = True, **env: str) -> WorkerProcess:
    """Start a consumer on the same database and instance folder (so the same huey queue, secret key and
    VAPID key) as the app under test. Extra environment, e.g. KRING_DELIVERY_LEASE_SECONDS="1".

    `fresh_queue` drops tasks earlier tests left in the queue (harmless, but noise); a restart after a
    crash keeps them, as a real restart does."""
    needs_the_machines_clock("a worker process")
    if fresh_queue:
        from webapp.worker import huey
        huey.flush()
    environment = {**os.environ, "DATABASE_URL": database_url(), "KRING_PUSH_ALLOW_HTTP_LOOPBACK": "1", **env}
    environment.pop("KRING_DEMO", None)
    command = [c for c in worker_command(workers) if c != "--quiet"]
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _wait_for_first_beat(process)
    return WorkerProcess(process)


def _wait_for_first_beat(process: subprocess.Popen, timeout: float = 60) -> None:
    """A worker has started once its heartbeat is written: before that the pages rightly say alerts are not sent
    yet. On a busy machine starting the process takes seconds, so wait for the beat, not a fixed time."""
    name = f"{socket.gethostname()}:{process.pid}"[:120]
    engine = create_engine(database_url())
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the worker did not start")
            with engine.connect() as connection:
                if connection.execute(text("SELECT 1 FROM worker_heartbeat WHERE name = :name"), {"name": name}).first():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"the worker wrote no heartbeat within {timeout} s")
    finally:
        engine.dispose()
