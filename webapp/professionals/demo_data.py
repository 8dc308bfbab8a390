"""The demo professional's access to "Familie Demo" and a fixed code app secret, so that anyone can try the summary
(README, demo section). Called by webapp.demo. Audit entries are not made up: only real views are recorded."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import Session

from webapp.auth import two_step
from webapp.auth.models import TotpCredential, User, utcnow
from webapp.households.models import Household
from webapp.grants.services import DEFAULT_MONTHS, add_months, end_of_day, local_today, start_grant

DEMO_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# The demo account `professional` signs in with its password and a code from this secret (any code app, or
# `python -c "import pyotp; print(pyotp.TOTP('KRINGDEMOPROFESSIONALJEROENBAKKE').now())"`). Demo only.
DEMO_TOTP_SECRET = "KRINGDEMOPROFESSIONALJEROENBAKKE"


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> None:
    """Access for Jeroen Bakker for three months, granted by Sanne, and his code app (already confirmed)."""
    now = utcnow()
    until = end_of_day(add_months(local_today(now, DEMO_TIMEZONE), DEFAULT_MONTHS), DEMO_TIMEZONE)
    start_grant(session, household, users["professional"], users["ouder"].id, until, now - timedelta(days=20))
    users["professional"].totp = TotpCredential(
        secret_encrypted=two_step.encrypt(DEMO_TOTP_SECRET, current_app.config["SECRET_KEY"]), confirmed_at=now)
    session.flush()
