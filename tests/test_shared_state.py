"""What every web process must share is made once and read by all: the secret key, the Web Push key."""
import os
from concurrent.futures import ProcessPoolExecutor

from webapp import config
from webapp.notify.devices import public_key
from webapp.notify.push import ensure_key, write_new_key


def _secret(instance: str) -> str:
    return config._secret_key(__import__("pathlib").Path(instance))


def _vapid(instance: str) -> str:
    return public_key(str(ensure_key(__import__("pathlib").Path(instance))))


def test_processes_starting_together_all_get_the_same_secret_key_and_push_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with ProcessPoolExecutor(6) as pool:
        secrets = set(pool.map(_secret, [str(tmp_path)] * 12))
        keys = set(pool.map(_vapid, [str(tmp_path)] * 12))
    assert len(secrets) == 1 and len(keys) == 1
    assert (tmp_path / "secret_key").read_text().strip() in secrets
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no half-written files left


def test_a_running_process_hands_out_the_new_push_key_after_it_was_replaced_elsewhere(tmp_path):
    path = ensure_key(tmp_path)
    before = public_key(str(path))
    write_new_key(path)  # as `flask rotate-vapid-keys` does, in another process
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert public_key(str(path)) != before
