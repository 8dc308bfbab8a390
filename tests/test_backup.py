"""Backup while running, restore into a fresh instance, and every record is back."""
from pathlib import Path

from tests.conftest import make_app, make_user
from webapp.extensions import db
from webapp.households.models import Role
from webapp.households.services import add_member, create_household


def _fresh_app(instance: Path, monkeypatch):
    monkeypatch.setenv("KRING_INSTANCE", str(instance))
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'kring.sqlite3'}")
    return app


def test_backup_restores_every_record_and_photo_into_a_fresh_instance(tmp_path, monkeypatch):
    from datetime import datetime
    from flask_migrate import upgrade
    from tests.safety_log.test_images import jpeg_with_gps
    from webapp.backup import row_counts
    from webapp.uploads import clean
    from webapp.safety_log.models import EntryKind
    from webapp.safety_log.services import NewEntry, write_entry

    source = _fresh_app(tmp_path / "source", monkeypatch)
    with source.app_context():
        upgrade()
        parent = make_user("Pat", "pat")
        household = create_household(db.session, "Family Backup", parent, {Role.household_member})
        add_member(db.session, household, make_user("Ned", "ned"), {Role.network_member})
        entry, _ = write_entry(db.session, source.instance_path, household, parent, "backup-1",
                               NewEntry(EntryKind.went_well, datetime(2026, 11, 1, 9), "Calm morning",
                                        photos=[clean(jpeg_with_gps())]))
        photo = entry.attachments[0].filename
        db.session.commit()
        household_id = household.id
        before = row_counts(db.engine, db.metadata)
        result = source.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path / "backups")])
        assert result.exit_code == 0, result.output
        archive = Path(result.output.split("Backup written: ")[1].strip())
        db.session.remove()
    assert archive.stat().st_mode & 0o077 == 0  # the archive holds everything: only its owner may read it

    target = _fresh_app(tmp_path / "target", monkeypatch)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "1 households" in result.output
        assert row_counts(db.engine, db.metadata) == before
        assert (Path(target.instance_path) / "uploads" / str(household_id) / photo).exists()
        assert (Path(target.instance_path) / "secret_key").read_text() == (tmp_path / "source" / "secret_key").read_text()
        assert (Path(target.instance_path) / "vapid_private.pem").read_bytes() == \
            (tmp_path / "source" / "vapid_private.pem").read_bytes()  # phones keep getting alerts
        # Restoring over a database with households needs --force.
        again = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert again.exit_code != 0 and "--force" in again.output
        db.session.remove()


def test_restore_refuses_something_that_is_not_a_backup(tmp_path, monkeypatch):
    target = _fresh_app(tmp_path / "target", monkeypatch)
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(bogus)])
        assert result.exit_code != 0 and "is not a Kring backup" in result.output
        db.session.remove()
