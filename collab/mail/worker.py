"""The mail worker: sends due outbox mail, in every server process by default
(started like the period scheduler) or alone with `flask --app app mail worker`."""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from flask import Flask

from ..extensions import db, socketio
from .delivery import BatchResult, deliver_batch
from .outbox import anything_due, mail_queued

log = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


def settings_problem(config) -> str | None:
    """What makes the mail settings unusable, if anything (checked before a worker starts)."""
    if config["MAIL_BACKEND"] == "smtp" and config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        return "MAIL_USE_TLS and MAIL_USE_SSL exclude each other: set one."
    if float(config["MAIL_LEASE_SECONDS"]) <= float(config["MAIL_TIMEOUT"]):
        return "MAIL_LEASE_SECONDS must exceed MAIL_TIMEOUT, or no send could start within a lease."
    return None


def start_mail_worker(app: Flask) -> None:
    """Run the worker as a background task of the server process (MAIL_WORKER_ENABLED)."""
    if not app.config.get("MAIL_WORKER_ENABLED", True):
        return
    problem = settings_problem(app.config)
    if problem:
        raise SystemExit(f"Mail settings: {problem}")
    socketio.start_background_task(run_worker, app)
    log.info("mail worker started (MAIL_BACKEND=%s)", app.config["MAIL_BACKEND"])


def run_once(app: Flask, worker_id: str) -> BatchResult:
    """One batch, with its own app context and session; errors are logged, never raised."""
    with app.app_context():
        try:
            if not anything_due():
                return BatchResult()
            return deliver_batch(worker_id)
        except Exception:  # noqa: BLE001 — the rows stay claimed until the lease ends; try again
            log.exception("mail worker failed; retrying")
            db.session.rollback()
            return BatchResult()
        finally:
            db.session.remove()


def run_worker(app: Flask, stop: threading.Event | None = None, until_idle: bool = False,
               worker_id: str | None = None) -> int:
    """Send due mail until `stop` is set (or, with `until_idle`, until none is due); return how many went."""
    worker_id = worker_id or new_worker_id()
    poll = float(app.config["MAIL_POLL_SECONDS"])
    sent = 0
    while stop is None or not stop.is_set():
        mail_queued.clear()
        result = run_once(app, worker_id)
        sent += result.sent
        if result.claimed and not (result.retrying or result.released):
            continue  # a full or partial batch went out: look again at once
        if until_idle and not result.claimed:
            break
        if until_idle and result.retrying:
            break
        # Sleep until the next poll, or until this process queues mail.
        if stop is not None:
            stop.wait(0) or mail_queued.wait(poll)
        else:
            mail_queued.wait(poll)
    return sent
