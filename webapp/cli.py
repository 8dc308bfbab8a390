"""Operator commands: `flask --app webapp <command>`."""
import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from webapp.extensions import db
from webapp.notify.devices import rotate_keys


@click.command("build-static")
@with_appcontext
def build_static():
    """Fingerprint and compress webapp/static into webapp/static_built (done by make install and make run)."""
    from webapp import static_files
    names = static_files.build()
    click.echo(f"{len(names)} static files fingerprinted and compressed in {static_files.BUILT}")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Add the fictional household "Familie Demo" (only with KRING_DEMO=1; once)."""
    from webapp.demo import seed
    if not current_app.config["DEMO"]:
        raise click.ClickException("The demo household is only made in demo mode (KRING_DEMO=1), never in production.")
    made = seed(db.session, current_app.instance_path)
    db.session.commit()
    click.echo("Demo household made." if made else "Demo household already there.")


@click.command("backup")
@click.option("--to", "target", default="backups", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the backup archive.")
@with_appcontext
def backup(target):
    """Back up the database (SQLite, while Kring runs) and the instance files into one archive."""
    from pathlib import Path
    from webapp.backup import make_backup, sqlite_path
    archive = make_backup(db.engine, db.metadata, Path(current_app.instance_path), Path(target))
    click.echo(f"Backup written: {archive}")
    if sqlite_path(db.engine) is None:
        click.echo("The database is PostgreSQL: it is NOT in this archive. Dump it with pg_dump (see the README).")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds households.")
@with_appcontext
def restore(archive, force):
    """Restore a backup made by `backup` into this instance. Stop Kring first."""
    from pathlib import Path
    from sqlalchemy import inspect
    from webapp.backup import BackupError, restore_backup
    from webapp.households.models import Household
    has_data = inspect(db.engine).has_table("household") and db.session.query(Household).count() > 0
    db.session.remove()
    if has_data and not force:
        raise click.ClickException("This database already holds households. Add --force to replace it.")
    try:
        manifest = restore_backup(db.engine, Path(current_app.instance_path), Path(archive))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = manifest["rows"]
    click.echo(f"Restored the backup of {manifest['made_at']}: {rows.get('household', 0)} households, "
               f"{rows.get('log_entry', 0)} log entries, {rows.get('user', 0)} people.")


@click.command("check-config")
@with_appcontext
def check_config():
    """Say what is wrong or risky in this configuration, in plain words (exit 1 when something must be fixed)."""
    from webapp.config_check import check
    findings = check(current_app, db.engine)
    for finding in findings:
        click.echo(("PROBLEM: " if finding.problem else "Note: ") + finding.text)
    if any(f.problem for f in findings):
        raise SystemExit(1)
    click.echo("The configuration looks right.")


@click.command("rotate-vapid-keys")
@click.option("--yes", is_flag=True, help="Do it without asking.")
@with_appcontext
def rotate_vapid_keys(yes):
    """Make a new Web Push key pair (e.g. after the old one leaked). Every device must turn alerts on again."""
    if not yes:
        click.confirm("Every phone then has to turn alerts on again (Kring does this by itself the next time "
                      "the app is opened). Go on?", abort=True)
    removed = rotate_keys(db.session, current_app.config["VAPID_KEY_PATH"])
    db.session.commit()
    click.echo(f"New Web Push keys made; the old key is kept as {current_app.config['VAPID_KEY_PATH']}.old. "
               f"{removed} device(s) were signed up with the old key: until their owners open Kring again, "
               "their alerts go by e-mail, and the chair sees them as not reachable by push. Restart Kring.")


@click.command("create-household")
@click.argument("name")
@click.option("--person", required=True, help="Name of the first person, e.g. 'Petra Jansen'.")
@click.option("--role", type=click.Choice(["household_member", "chair"]), default="household_member", show_default=True)
@click.option("--base-url", required=True, help="The address people use, e.g. https://kring.example.nl")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 30), help="How long the link works.")
@with_appcontext
def create_household(name, person, role, base_url, days):
    """Make a household and a personal invitation link for its first person (who then sets their own password)."""
    from webapp.households.models import Household, Phase, Role
    from webapp.invitations.services import create_invitation
    household = Household(name=name.strip(), phase=Phase.alignment)
    db.session.add(household)
    new = create_invitation(db.session, household, None, person, Role(role), days)
    db.session.commit()
    click.echo(f"Household '{household.name}' made. Send this link to {person} yourself; it works once, "
               f"for {days} days:")
    click.echo(f"{base_url.rstrip('/')}/join/{new.token}")


COMMANDS = (build_static, seed_demo, backup, restore, check_config, rotate_vapid_keys, create_household)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
