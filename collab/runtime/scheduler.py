"""The background task that opens and closes comment periods at their moment, and records
the reminder that an adopted agreement's review is 30 days away (`review.due_soon`).

Started by the server (collab.runtime.server.serve) in every process; it survives
restarts because all it needs is in the database: on start it records any
transition that fell due while no server ran, then sleeps until the next one.
"""
from __future__ import annotations

import logging

from flask import Flask

from ..extensions import db, socketio

log = logging.getLogger(__name__)

# New periods made by another process are noticed within this many seconds.
MAX_SLEEP_SECONDS = 1.0


def start_scheduler(app: Flask) -> None:
    if not app.config.get("PERIOD_SCHEDULER_ENABLED", True):
        return
    socketio.start_background_task(run_scheduler, app)
    log.info("comment period scheduler started")


def run_scheduler(app: Flask, rounds: int | None = None) -> None:
    """Record due transitions, sleep until the next one (at most MAX_SLEEP_SECONDS), repeat."""
    from ..services.agreements import record_due_review_reminders
    from ..services.schedule import next_transition_at, record_due_transitions
    from ..timeutil import utcnow

    done = 0
    while rounds is None or done < rounds:
        wait = MAX_SLEEP_SECONDS
        with app.app_context():
            try:
                record_due_transitions()
                record_due_review_reminders()
                upcoming = next_transition_at()
                if upcoming is not None:
                    wait = min(MAX_SLEEP_SECONDS, max(0.0, (upcoming - utcnow()).total_seconds()) + 0.005)
            except Exception:  # noqa: BLE001 — try again next round
                log.exception("comment period scheduler failed; retrying")
                db.session.rollback()
            finally:
                db.session.remove()
        done += 1
        socketio.sleep(wait)
