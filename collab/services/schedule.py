"""Scheduled comment periods: record `period.opened` and `period.closed` when their moment comes.

Every server process runs the scheduler (collab.runtime.scheduler); each transition is
recorded exactly once because it is claimed with a conditional UPDATE
(`... WHERE opened_recorded_at IS NULL`): the first transaction to claim it
records the event, any other sees no row changed and records nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update

from ..events import record_checkpoint, record_event, transaction
from ..extensions import db
from ..models import CommentPeriod, Event
from ..serializers import period_to_dict
from ..timeutil import isoformat, utcnow


def due_period_ids(now: datetime) -> list[int]:
    return list(db.session.execute(
        select(CommentPeriod.id).where(or_(
            (CommentPeriod.opened_recorded_at.is_(None)) & (CommentPeriod.opens_at <= now),
            (CommentPeriod.closed_recorded_at.is_(None)) & (CommentPeriod.closes_at <= now),
        )).order_by(CommentPeriod.id)).scalars())


def record_due_transitions(now: datetime | None = None) -> list[Event]:
    """Record the openings and closings of comment periods whose moment has passed and
    that no process has recorded yet. Nobody acts: the events have no actor.
    Records `period.opened`, `period.closed` (and a checkpoint after each close)."""
    recorded: list[Event] = []
    for period_id in due_period_ids(now or utcnow()):
        with transaction():
            recorded.extend(record_period_transitions(period_id, now or utcnow()))
    return recorded


def _claim(period_id: int, recorded_column, moment_column, now: datetime) -> bool:
    result = db.session.execute(
        update(CommentPeriod)
        .where(CommentPeriod.id == period_id, recorded_column.is_(None), moment_column <= now)
        .values({recorded_column.key: now})
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def record_period_transitions(period_id: int, now: datetime) -> list[Event]:
    """Inside a service transaction: claim and record this period's due transitions."""
    events = []
    opened = _claim(period_id, CommentPeriod.opened_recorded_at, CommentPeriod.opens_at, now)
    closed = _claim(period_id, CommentPeriod.closed_recorded_at, CommentPeriod.closes_at, now)
    if not (opened or closed):
        return events
    period = db.session.get(CommentPeriod, period_id, populate_existing=True)
    if opened:
        events.append(record_event(
            "period.opened", None, f"period:{period.id}",
            {"period_id": period.id, "opens_at": isoformat(period.opens_at),
             "closes_at": isoformat(period.closes_at), "scheduled": True},
            document_id=period.document_id, live={"period": period_to_dict(period)}))
    if closed:
        events.append(record_event(
            "period.closed", None, f"period:{period.id}",
            {"period_id": period.id, "closes_at": isoformat(period.closes_at), "scheduled": True},
            document_id=period.document_id, live={"period": period_to_dict(period)}))
        record_checkpoint("period.closed", period.document_id)
    return events


def next_transition_at(now: datetime | None = None) -> datetime | None:
    """The earliest opening or closing not yet recorded (it may already be due)."""
    opens = db.session.execute(select(func.min(CommentPeriod.opens_at)).where(
        CommentPeriod.opened_recorded_at.is_(None))).scalar()
    closes = db.session.execute(select(func.min(CommentPeriod.closes_at)).where(
        CommentPeriod.closed_recorded_at.is_(None))).scalar()
    moments = [m for m in (opens, closes) if m is not None]
    return min(moments) if moments else None
