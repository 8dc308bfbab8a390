"""Configuration from the environment, with defaults that are safe on a single machine."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def create_once(path: Path, content: bytes) -> None:
    """Write a file that must be made only once, readable by Kring only, even when several processes start at the
    same moment (the web server's workers, the worker): the first one's file is the one everybody reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces: a file another process made first is kept
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _secret_key(instance: Path) -> str:
    """Read the secret key from the environment, else from the instance folder (made on first run)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        create_once(path, secrets.token_urlsafe(48).encode())
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def engine_options(url: str) -> dict:
    """A database server's connection can be gone when the pool hands it out (a restart, a dropped network): each
    is tested first. A SQLite file's cannot, so its test (a SELECT 1 before every request's first statement) is
    left out."""
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}


def _database_url(instance: Path) -> str:
    url = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    return url or f"sqlite:///{instance / 'kring.sqlite3'}"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# Push services of the browsers in use (Chrome/Android, Firefox, Safari/iPhone, Edge/Windows).
PUSH_HOSTS = "fcm.googleapis.com,updates.push.services.mozilla.com,push.services.mozilla.com,web.push.apple.com,notify.windows.com"


VAPID_KEY_FILE = "vapid_private.pem"  # in the instance folder; made by the notification module on first run


def load(instance: Path) -> dict:
    https = _flag("KRING_HTTPS")
    port = os.environ.get("PORT", "5000")
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "HTTPS": https,
        "TRUST_PROXY": _flag("KRING_TRUST_PROXY"),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "__Host-kring" if https else "kring",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("KRING_REMEMBER_DAYS", "180"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a tired parent may leave a form open
        # Shared by every web process: Redis when one is set up, else a table in the database (webapp/rate_limits.py).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
        or "kring-db://",
        "RATELIMIT_ENABLED": _flag("KRING_RATELIMIT", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("KRING_TIMEZONE", "Europe/Amsterdam"),
        "LANGUAGES": ["nl", "en", "ar"],
        "QUICK_EXIT_URL": os.environ.get("KRING_QUICK_EXIT_URL", "https://www.google.com/search?q=weer"),
        "INVITATION_DAYS": int(os.environ.get("KRING_INVITATION_DAYS", "7")),
        "ERASE_GRACE_DAYS": int(os.environ.get("KRING_ERASE_GRACE_DAYS", "14")),
        # A household manager's new sign-in for someone waits this long, so that the person can cancel it.
        "RECOVERY_WAIT_HOURS": float(os.environ.get("KRING_RECOVERY_WAIT_HOURS", "72")),
        "WEBAUTHN_RP_ID": os.environ.get("KRING_RP_ID", ""),  # empty: the host of the request
        "WEBAUTHN_RP_NAME": "Kring",
        "DEMO": _flag("KRING_DEMO"),
        # Links in e-mails, which leave the browser: the address people open Kring on.
        "BASE_URL": os.environ.get("KRING_BASE_URL", f"http://localhost:{port}"),
        "VAPID_KEY_PATH": str(instance / VAPID_KEY_FILE),
        "VAPID_SUBJECT": os.environ.get("KRING_VAPID_SUBJECT", "mailto:beheer@kring.invalid"),
        "PUSH_HOSTS": [h.strip().lower() for h in os.environ.get("KRING_PUSH_HOSTS", PUSH_HOSTS).split(",") if h.strip()],
        "PUSH_ALLOW_HTTP_LOOPBACK": _flag("KRING_PUSH_ALLOW_HTTP_LOOPBACK"),  # tests and the benchmark only
        "SMTP_HOST": os.environ.get("KRING_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("KRING_SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("KRING_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("KRING_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("KRING_SMTP_STARTTLS", True),
        "MAIL_FROM": os.environ.get("KRING_MAIL_FROM", "Kring <kring@localhost>"),
        "PUSH_PARALLEL": int(os.environ.get("KRING_PUSH_PARALLEL", "32")),  # messages sent at the same time
        "DELIVERY_RETENTION_DAYS": int(os.environ.get("KRING_DELIVERY_RETENTION_DAYS", "90")),
        # How often an open signal's page (the grown-up's and the child's) asks for news.
        "LIVE_REFRESH_SECONDS": float(os.environ.get("KRING_LIVE_REFRESH_SECONDS", "4")),
        "SIGNAL_UNDO_SECONDS": int(os.environ.get("KRING_SIGNAL_UNDO_SECONDS", "5")),
        # A delivery claimed by a worker that has not reported back after this long is sent again.
        "DELIVERY_LEASE_SECONDS": int(os.environ.get("KRING_DELIVERY_LEASE_SECONDS", "30")),
        # The watched worker: each consumer writes a heartbeat this often; older than WORKER_SILENT_SECONDS, the
        # web side tells people raising a signal to call, and /health answers 503; silent for
        # OPERATOR_ALERT_SECONDS, the web side e-mails OPERATOR_EMAIL (at most once an hour).
        "WORKER_HEARTBEAT_SECONDS": float(os.environ.get("KRING_WORKER_HEARTBEAT_SECONDS", "5")),
        "WORKER_SILENT_SECONDS": int(os.environ.get("KRING_WORKER_SILENT_SECONDS", "120")),
        "OPERATOR_ALERT_SECONDS": int(os.environ.get("KRING_OPERATOR_ALERT_SECONDS", "300")),
        "OPERATOR_EMAIL": os.environ.get("KRING_OPERATOR_EMAIL", "").strip(),
        # ...and, when SMS is set up, texts this number too (E.164, e.g. +31612345678).
        "OPERATOR_PHONE": os.environ.get("KRING_OPERATOR_PHONE", "").strip(),
        # Details on /health only with this token (Authorization: Bearer …); without it, the status alone.
        "HEALTH_TOKEN": os.environ.get("KRING_HEALTH_TOKEN", ""),
        # SMS (off unless a provider and its credentials are set): see webapp/notify/sms.py.
        "SMS_PROVIDER": os.environ.get("KRING_SMS_PROVIDER", "").strip().lower(),
        "TWILIO_ACCOUNT_SID": os.environ.get("KRING_TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": os.environ.get("KRING_TWILIO_AUTH_TOKEN", ""),
        "TWILIO_FROM": os.environ.get("KRING_TWILIO_FROM", ""),
        "TWILIO_API_URL": os.environ.get("KRING_TWILIO_API_URL", "https://api.twilio.com"),
        # Numbers only in these countries: against SMS pumping (texts to expensive numbers abroad).
        "SMS_COUNTRY_CODES": [int(c) for c in os.environ.get("KRING_SMS_COUNTRY_CODES", "31,32,49").split(",")
                              if c.strip().isdigit()],
        "SMS_PER_HOUR": int(os.environ.get("KRING_SMS_PER_HOUR", "30")),  # per household
        "SMS_PER_DAY": int(os.environ.get("KRING_SMS_PER_DAY", "100")),  # per household
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,  # a child's drawing arrives as a data URL in a form field  # a few phone photos at once; each is checked again
    }
