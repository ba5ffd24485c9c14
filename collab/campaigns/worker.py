"""The grouping job as a background task of every server process (CAMPAIGN_GROUPER_ENABLED):
woken after a commit that created, edited or revealed comments, so a new copy joins its campaign
within seconds; it also polls for comments other processes wrote. Only one process groups at
a time (the grouper row's lock), so running it everywhere is safe."""
from __future__ import annotations

import logging
import threading

from flask import Flask

from ..events import Committed, RecordedEvent
from ..extensions import db, socketio
from ..services.campaign_grouping import GroupResult, group_step, warm_indexes

log = logging.getLogger(__name__)

WAKING_ACTIONS = ("comment.created", "comment.edited", "comment.unhidden", "meeting.silent_round_revealed")
# Set after a commit with new comments, so this process's grouper looks at once.
comments_committed = threading.Event()


def wake_grouper_on_comments(items: list[Committed]) -> None:
    if any(isinstance(item, RecordedEvent) and item.event.action in WAKING_ACTIONS for item in items):
        comments_committed.set()


def run_once(app: Flask) -> GroupResult:
    """One batch, with its own app context and session; errors are logged, never raised."""
    with app.app_context():
        try:
            return group_step()
        except Exception:  # noqa: BLE001 — nothing was stored: try again next round
            log.exception("campaign grouping failed; retrying")
            db.session.rollback()
            return GroupResult()
        finally:
            db.session.remove()


def run_grouper(app: Flask, stop: threading.Event | None = None, until_idle: bool = False) -> int:
    """Group new comments until `stop` is set (or, with `until_idle`, until none is left); how many were signed."""
    poll = float(app.config["CAMPAIGN_POLL_SECONDS"])
    gather = float(app.config["CAMPAIGN_GATHER_SECONDS"])
    signed = 0
    with app.app_context():
        try:
            warm_indexes()
        except Exception:  # noqa: BLE001 — the first step builds them instead
            log.exception("campaign index warm-up failed")
        finally:
            db.session.remove()
    while stop is None or not stop.is_set():
        comments_committed.clear()
        result = run_once(app)
        signed += result.signed
        if result.more:
            socketio.sleep(0)  # let the process's requests run between batches
            continue
        if until_idle and not result.busy:
            break
        if comments_committed.wait(poll) and gather > 0:
            # A step has a fixed cost (its transaction, the index's checks): during a burst,
            # one step for the comments of the next moment rather than one per comment.
            socketio.sleep(gather)
    return signed


def start_grouper(app: Flask) -> None:
    if not app.config.get("CAMPAIGN_GROUPER_ENABLED", True):
        return
    socketio.start_background_task(run_grouper, app)
    log.info("campaign grouper started")
