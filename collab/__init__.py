"""Common Ground: clause-by-clause collaboration on a school district's SRO agreement."""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event as sa_event

from .config import INSTANCE_DIR, ROOT, Config
from .extensions import babel, csrf, db, limiter, login_manager, mailman, migrate



def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    INSTANCE_DIR.mkdir(exist_ok=True)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A SQLite connection is a file handle, never dropped by a server: pinging it on
        # every checkout (two a write) only cost time.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                                   "pool_pre_ping": False}
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True,
                     directory=str(ROOT / "migrations"))
    with app.app_context():
        _configure_engine(db.engine)
    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are revocable rows instead
    login_manager.login_view = "web.sign_in"
    csrf.init_app(app)
    from .i18n import select_language

    babel.init_app(app, locale_selector=select_language,
                   default_translation_directories=str(ROOT / "collab" / "translations"))
    from .localtime import valid_zone
    from .rate_limits import storage_uri

    valid_zone(app.config["DISTRICT_TIME_ZONE"])  # a misspelt zone fails at start-up, not on a page

    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config["RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    mailman.init_app(app)
    from .events import subscribe
    from .mail.outbox import wake_worker_on_new_mail

    subscribe(wake_worker_on_new_mail, app)
    from .audit import scrub_after_redaction

    subscribe(scrub_after_redaction, app)
    from .notifications.live import send_notifications_live
    from .notifications.notifier import wake_notifier_on_events

    subscribe(wake_notifier_on_events, app)
    subscribe(send_notifications_live, app)
    from .campaigns.worker import wake_grouper_on_comments

    subscribe(wake_grouper_on_comments, app)
    from .services.intake import remove_discarded_scan_files

    subscribe(remove_discarded_scan_files, app)

    from . import auth  # noqa: F401 — registers the request loader
    from .api import api
    from .http import prepare_app, register_http_handlers
    from .web import web

    prepare_app(app)
    app.register_blueprint(api)
    app.register_blueprint(web)
    register_http_handlers(app)

    from .realtime import init_realtime

    init_realtime(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _configure_engine(engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    from .events import writing

    @sa_event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Take over transaction control from pysqlite (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Freed space is zeroed, so a redacted text leaves no copy in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing.get() else "BEGIN")
