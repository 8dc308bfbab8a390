"""Backups of a running Kring: the SQLite database through SQLite's online backup API, plus the instance
files (photos and drawings, secret key), in one .tar.gz; and restoring such a backup into an instance.

On PostgreSQL the database is dumped with pg_dump instead (see the README); the archive then holds the
instance files only, and says so in its manifest.
"""
import json
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

DB_NAME = "kring.sqlite3"
# Instance files worth keeping; the worker's queue and caches are not. Without the Web Push key every phone
# would have to turn alerts on again.
KEPT = ("uploads", "secret_key", "vapid_private.pem")


class BackupError(RuntimeError):
    """Said to the operator in plain words."""


def sqlite_path(engine: Engine) -> Path | None:
    if engine.url.get_backend_name() != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)


def row_counts(engine: Engine, metadata) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


def make_backup(engine: Engine, metadata, instance: Path, target_dir: Path) -> Path:
    """Write kring-backup-<UTC time>.tar.gz into target_dir and return its path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target_dir.mkdir(parents=True, exist_ok=True)
    archive = target_dir / f"kring-backup-{stamp}.tar.gz"
    database = sqlite_path(engine)
    with tempfile.TemporaryDirectory(prefix="kring-backup-") as tmp:
        staging = Path(tmp)
        if database is not None:
            # The online backup API copies a consistent snapshot while Kring keeps writing.
            with sqlite3.connect(database) as source, sqlite3.connect(staging / DB_NAME) as copy:
                source.backup(copy)
        manifest = {
            "made_at": stamp,
            "database": "sqlite" if database is not None else "not included: dump PostgreSQL with pg_dump",
            "rows": row_counts(engine, metadata),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(archive, "w:gz") as tar:
            for name in ("manifest.json", DB_NAME):
                if (staging / name).exists():
                    tar.add(staging / name, arcname=name)
            for name in KEPT:
                if (instance / name).exists():
                    tar.add(instance / name, arcname=f"instance/{name}")
    archive.chmod(0o600)
    return archive


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The backup contains an unexpected path: {member.name}")
        yield member


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return json.loads(tar.extractfile("manifest.json").read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a Kring backup ({exc}).") from exc


def restore_backup(engine: Engine, instance: Path, archive: Path) -> dict:
    """Put the backup's database and instance files in place. The database must not be in use."""
    manifest = read_manifest(archive)
    database = sqlite_path(engine)
    with tempfile.TemporaryDirectory(prefix="kring-restore-") as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, members=list(_safe_members(tar)), filter="data")
        if (staging / DB_NAME).exists():
            if database is None:
                raise BackupError("This backup holds a SQLite database, but Kring is set up for PostgreSQL.")
            engine.dispose()
            database.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(staging / DB_NAME) as source, sqlite3.connect(database) as target:
                source.backup(target)
        for name in KEPT:
            source = staging / "instance" / name
            if not source.exists():
                continue
            destination = instance / name
            if source.is_dir():
                shutil.copytree(source, destination, dirs_exist_ok=True)
            else:
                shutil.copy2(source, destination)
    return manifest
