"""`check-config`: what is wrong or risky in this Kring's configuration, in plain words."""
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError


@dataclass
class Finding:
    problem: bool  # True: fix before real families use it; False: worth knowing
    text: str


def check(app: Flask, engine) -> list[Finding]:
    config = app.config
    found: list[Finding] = []
    secret_file = Path(app.instance_path) / "secret_key"
    if not os.environ.get("SECRET_KEY") and secret_file.exists() and secret_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        found.append(Finding(True, f"{secret_file} can be read by other users of this machine: run chmod 600 on it."))
    if len(str(config["SECRET_KEY"])) < 32:
        found.append(Finding(True, "SECRET_KEY is shorter than 32 characters: anyone who guesses it can sign in as anyone."))
    if not config["HTTPS"]:
        found.append(Finding(True, "KRING_HTTPS is not set: cookies are not marked Secure and HSTS is off. Serve Kring "
                                   "over HTTPS only and set KRING_HTTPS=1 (plain HTTP is fine on 127.0.0.1 alone)."))
    if config["HTTPS"] and not config["WEBAUTHN_RP_ID"]:
        found.append(Finding(False, "KRING_RP_ID is not set: passkeys are tied to whatever host name a request uses. "
                                    "Set it to your domain, e.g. kring.example.nl."))
    if config["DEMO"]:
        found.append(Finding(True, "Demo mode is on (KRING_DEMO): it is for trying Kring out, never for real families."))
    if not str(config["QUICK_EXIT_URL"]).startswith("https://"):
        found.append(Finding(True, "KRING_QUICK_EXIT_URL must be an https:// address of a neutral site."))
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        found.append(Finding(False, "Rate limits are counted in memory: fine for one web process; with several, set "
                                    "RATELIMIT_STORAGE_URI=redis://…"))
    if not config["RATELIMIT_ENABLED"]:
        found.append(Finding(True, "Rate limits are off (KRING_RATELIMIT=0): sign-in can be guessed at without limit."))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        found.append(Finding(True, f"The database does not answer: {error.__class__.__name__}. Check DATABASE_URL."))
    else:
        if engine.url.get_backend_name() == "sqlite":
            found.append(Finding(False, "The database is SQLite in the instance folder: right for one machine. "
                                        "Back it up with `flask --app webapp backup`."))
    return found
