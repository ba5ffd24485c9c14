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
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Origins allowed to open the live channel besides the site's own
    # (comma-separated), e.g. when a proxy rewrites the Host header.
    SOCKETIO_ALLOWED_ORIGINS = [
        o.strip() for o in os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "").split(",") if o.strip()
    ]
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE") or None  # chosen in create_app

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
    # Per account; the looser per-address limit lets a classroom behind one school
    # address sign in at once.
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    SIGN_IN_ADDRESS_RATE_LIMIT = os.environ.get("SIGN_IN_ADDRESS_RATE_LIMIT", "300 per minute")
    COMMENT_RATE_LIMIT = os.environ.get("COMMENT_RATE_LIMIT", "120 per minute")  # per person
    # Readers without an account, per client address (pages, API, live connects and joins).
    ANONYMOUS_RATE_LIMIT = os.environ.get("ANONYMOUS_RATE_LIMIT", "300 per minute")

    # A meeting participant who drops and returns within this many seconds keeps one
    # attendance interval; the sweep that closes intervals runs this often.
    MEETING_GRACE_SECONDS = int(os.environ.get("MEETING_GRACE_SECONDS", "30"))
    MEETING_SWEEP_SECONDS = float(os.environ.get("MEETING_SWEEP_SECONDS", "5"))

    # Behind a TLS-terminating proxy, trust its X-Forwarded-* headers (number of proxies).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Each server process opens and closes scheduled comment periods at their moment.
    PERIOD_SCHEDULER_ENABLED = _bool("PERIOD_SCHEDULER_ENABLED", True)

    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SOCKETIO_MESSAGE_QUEUE = None
    SOCKETIO_ASYNC_MODE = "threading"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
