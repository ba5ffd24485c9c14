"""Configuration, read from the environment once at start-up."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

# The project folder: templates, static files, migrations and node_modules sit beside the package.
ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.
    Several processes on different machines must share one SECRET_KEY."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(exist_ok=True)
        try:
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
                handle.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another process wrote it first
    return path.read_text().strip()


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'common-ground.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # SQLite: writers queued behind each other share one COMMIT (one fsync), each in its own
    # savepoint; see collab/group_commit.py.
    SQLITE_GROUP_COMMIT = _bool("SQLITE_GROUP_COMMIT", True)
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Origins allowed to open the live channel besides the site's own
    # (comma-separated), e.g. when a proxy rewrites the Host header.
    SOCKETIO_ALLOWED_ORIGINS = [
        o.strip() for o in os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "").split(",") if o.strip()
    ]
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE") or None  # chosen in create_app
    # Pages connect over WebSocket only, so several server processes need no sticky sessions;
    # set this behind a proxy that keeps each client on one process to allow long-polling too.
    LIVE_POLLING_FALLBACK = _bool("LIVE_POLLING_FALLBACK", False)

    # Request bodies above this size are refused with 413 (Word imports are the largest).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "cg_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    WTF_CSRF_CHECK_DEFAULT = False  # checked in one before_request, bearer requests exempt
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Flask-Limiter writes the seconds until its window resets into Retry-After on every answer,
    # over the app's own (a 503 busy's 1 s became up to the sign-in window's 60 s, and a storm's
    # refused sign-ins came back a minute later). Its figure goes under its own name; the
    # limiter's 429 gets Retry-After from the breached limit (collab/http.py).
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"
    # When the shared storage (Redis) is unreachable, count in the process and log it
    # rather than refuse every request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Failed sign-ins per (account, address); the looser per-account ceiling bounds
    # guessing from many addresses without letting one stranger lock the owner out.
    # The per-address limit (all sign-in requests) lets a classroom behind one school
    # address sign in at once.
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    SIGN_IN_ACCOUNT_RATE_LIMIT = os.environ.get("SIGN_IN_ACCOUNT_RATE_LIMIT", "60 per 10 minutes")
    SIGN_IN_ADDRESS_RATE_LIMIT = os.environ.get("SIGN_IN_ADDRESS_RATE_LIMIT", "300 per minute")
    # Password hashing threads (0: one per core) and calls that may wait
    # for one; beyond that 503 busy with Retry-After (collab/runtime/blocking.py).
    PASSWORD_CHECK_WORKERS = int(os.environ.get("PASSWORD_CHECK_WORKERS", "0"))
    PASSWORD_CHECK_QUEUE = int(os.environ.get("PASSWORD_CHECK_QUEUE", "16"))
    # Per person, shared by the API, the page form and the live channel.
    COMMENT_RATE_LIMIT = os.environ.get("COMMENT_RATE_LIMIT", "120 per minute")
    # The same text from the same person in the same thread of a clause within this many
    # seconds is refused as a duplicate (0 turns the check off).
    DUPLICATE_COMMENT_WINDOW_SECONDS = int(os.environ.get("DUPLICATE_COMMENT_WINDOW_SECONDS", "600"))
    # Readers without an account, per client address (pages, API, live connects and joins).
    ANONYMOUS_RATE_LIMIT = os.environ.get("ANONYMOUS_RATE_LIMIT", "300 per minute")

    # A meeting participant who drops and returns within this many seconds keeps one
    # attendance interval; the sweep that closes intervals runs this often.
    MEETING_GRACE_SECONDS = int(os.environ.get("MEETING_GRACE_SECONDS", "30"))
    MEETING_SWEEP_SECONDS = float(os.environ.get("MEETING_SWEEP_SECONDS", "5"))

    # Behind a TLS-terminating proxy, trust its X-Forwarded-* headers (number of proxies).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Periods are scheduled, and pages show times, in the district's zone (an IANA name).
    DISTRICT_TIME_ZONE = os.environ.get("DISTRICT_TIME_ZONE") or "America/New_York"

    # Whom people ask for help or another format (the accessibility statement shows them).
    DISTRICT_CONTACT_EMAIL = os.environ.get("DISTRICT_CONTACT_EMAIL") or "accessibility@district.example"
    DISTRICT_CONTACT_PHONE = os.environ.get("DISTRICT_CONTACT_PHONE") or ""

    # Each server process opens and closes scheduled comment periods at their moment.
    PERIOD_SCHEDULER_ENABLED = _bool("PERIOD_SCHEDULER_ENABLED", True)

    # Mail (collab.mail): sent over SMTP by the mail worker, which runs in every server
    # process unless MAIL_WORKER_ENABLED is off (then run `flask --app app mail worker`).
    # MAIL_BACKEND=console prints mails to the server's output instead of sending them (the demo).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Common Ground <no-reply@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds per SMTP exchange
    MAIL_WORKER_ENABLED = _bool("MAIL_WORKER_ENABLED", True)
    MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "2"))
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "20"))
    # A worker holds the mails it claimed this long; after that (it died), another takes them.
    # Must exceed MAIL_TIMEOUT: a send starts only while more than MAIL_TIMEOUT of the lease is left.
    MAIL_LEASE_SECONDS = float(os.environ.get("MAIL_LEASE_SECONDS", "300"))
    # Retries after a temporary failure wait 30 s, 1 min, 2 min … at most an hour; a mail is
    # given up (failed) after MAIL_MAX_ATTEMPTS tries, about a day of the mail server being down.
    MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "30"))
    MAIL_RETRY_MAX_SECONDS = float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "30"))

    # The site's address as people reach it: links in mails are <SITE_URL>/<path>?token=<token>.
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Sign-up, sign-in links and password resets mail someone: limited per e-mail address and,
    # more loosely (a school's shared address), per client address.
    ACCOUNT_MAIL_RATE_LIMIT = os.environ.get("ACCOUNT_MAIL_RATE_LIMIT", "5 per 10 minutes")
    ACCOUNT_ADDRESS_RATE_LIMIT = os.environ.get("ACCOUNT_ADDRESS_RATE_LIMIT", "60 per 10 minutes")
    # Notifications: the notifier runs in every server process (NOTIFIER_ENABLED); it fans
    # out NOTIFIER_BATCH_SIZE notifications per transaction.
    NOTIFIER_ENABLED = _bool("NOTIFIER_ENABLED", True)
    NOTIFIER_POLL_SECONDS = float(os.environ.get("NOTIFIER_POLL_SECONDS", "1"))
    NOTIFIER_BATCH_SIZE = int(os.environ.get("NOTIFIER_BATCH_SIZE", "100"))
    NOTIFIER_GATHER_SECONDS = float(os.environ.get("NOTIFIER_GATHER_SECONDS", "0.5"))
    # Campaigns: the grouping job runs in every server process (CAMPAIGN_GROUPER_ENABLED), woken by
    # new comments in its own process and looking for others' every CAMPAIGN_POLL_SECONDS.
    CAMPAIGN_GROUPER_ENABLED = _bool("CAMPAIGN_GROUPER_ENABLED", True)
    CAMPAIGN_POLL_SECONDS = float(os.environ.get("CAMPAIGN_POLL_SECONDS", "2"))
    CAMPAIGN_GATHER_SECONDS = float(os.environ.get("CAMPAIGN_GATHER_SECONDS", "1"))
    # Digests go at this hour (UTC): daily ones every day, weekly ones on Mondays.
    DIGEST_HOUR_UTC = int(os.environ.get("DIGEST_HOUR_UTC", "7"))
    # How long the unsubscribe link in a mail works.
    UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = int(os.environ.get("UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS", "90"))

    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLITE_GROUP_COMMIT = False  # the tests' savepoints bind the session to their own connection
    SOCKETIO_MESSAGE_QUEUE = None
    SOCKETIO_ASYNC_MODE = "threading"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Real SMTP in tests too (aiosmtpd, tests/mail/conftest.py); Flask-Mailman would pick locmem.
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 9  # nothing listens here unless a test starts an SMTP server
    MAIL_DEFAULT_SENDER = "Common Ground <no-reply@common-ground.test>"
    MAIL_TIMEOUT = 5.0
    MAIL_WORKER_ENABLED = False
    NOTIFIER_ENABLED = False
    CAMPAIGN_GROUPER_ENABLED = False
    SITE_URL = "https://common-ground.test"
