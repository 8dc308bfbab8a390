"""Operator commands: `flask --app webapp <command>`."""
import click
from flask import Flask, current_app

from webapp.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Add the fictional household "Familie Demo" (only with KRING_DEMO=1; once)."""
        from webapp.demo import seed
        if not current_app.config["DEMO"]:
            raise click.ClickException("The demo household is only made in demo mode (KRING_DEMO=1), never in production.")
        made = seed(db.session, current_app.instance_path)
        db.session.commit()
        click.echo("Demo household made." if made else "Demo household already there.")
