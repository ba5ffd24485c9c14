"""The notifier: fans committed events out to notification rows, records closing
reminders, and sends digests. Every step runs holding the lock on the one
`notification_cursor` row, in the transaction that writes its rows, so restarts and
several server processes never write a notification, a reminder or a digest twice."""
from __future__ import annotations

import bisect
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, bindparam, func, insert, or_, select, text

from ..events import record_event, record_notice, transaction
from ..extensions import db, socketio
from ..models import ClauseText, Comment, CommentPeriod, Document, DocumentFollow, Event, User, Version
from ..models.meetings import Meeting
from ..models.notifications import Notification, NotificationCursor, NotificationPreference, Reminder
from ..timeutil import isoformat, utcnow
from .audience import may_know_about
from .kinds import derive
from .mails import MailRenderer, queue_digest_mail, queue_immediate_mails
from .texts import notification_payload

log = logging.getLogger(__name__)

PERIOD_REMINDER_HOURS = (48, 2)
MEETING_REMINDER_HOURS = (1,)
ANSWER_KINDS = ("comment_answered", "answer_changed", "cosigned_answered")
# At most this many events are read per fan-out transaction (most notify nobody).
EVENTS_PER_ROUND = 200

# Set after a commit that recorded events, so this process's notifier looks at once.
events_committed = threading.Event()


def _locked_cursor() -> NotificationCursor | None:
    """The cursor, locked until the commit; None when another process holds it (PostgreSQL).
    On SQLite the write transaction (BEGIN IMMEDIATE) already admits one writer."""
    query = select(NotificationCursor).where(NotificationCursor.id == 1).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.execute(query).scalar_one_or_none()


# --- preferences -----------------------------------------------------------------------

def email_plan(preference: NotificationPreference | None, kind: str) -> str:
    """How a new notification of `kind` reaches the person by mail: queued at once,
    pending for the digest, or none."""
    frequency = preference.email_frequency if preference else "daily"
    kinds = (preference.kinds or {}) if preference else {}
    if frequency == "never" or kinds.get(kind) is False:
        return "none"
    if frequency == "immediate":
        return "queued"
    if kind in ANSWER_KINDS and (preference.answers_immediately if preference else True):
        return "queued"
    return "pending"


# --- fan-out ---------------------------------------------------------------------------

@dataclass
class FanOutResult:
    events: int = 0
    written: int = 0
    busy: bool = False


_FOLLOWS = DocumentFollow.__table__
# A follow that leaves an existing row (following or not) as it is. Written as text (the same
# on SQLite and PostgreSQL) because SQLAlchemy does not cache the compiled form of an
# `on_conflict_do_nothing()` insert: it was compiled again for every comment.
_FOLLOW_UNLESS_KNOWN = text(
    "INSERT INTO document_follows (user_id, document_id, is_following, created_at) "
    "VALUES (:user_id, :document_id, :is_following, :created_at) "
    "ON CONFLICT (user_id, document_id) DO NOTHING").bindparams(
    bindparam("user_id", type_=_FOLLOWS.c.user_id.type), bindparam("document_id", type_=_FOLLOWS.c.document_id.type),
    bindparam("is_following", type_=_FOLLOWS.c.is_following.type),
    bindparam("created_at", type_=_FOLLOWS.c.created_at.type))


def _auto_follow(event: Event) -> None:
    """Commenting follows the document, unless the person unfollowed it before (one statement:
    the row that says so stays as it is)."""
    if event.action != "comment.created" or event.actor_id is None or event.document_id is None:
        return
    db.session.connection().execute(_FOLLOW_UNLESS_KNOWN, {
        "user_id": event.actor_id, "document_id": event.document_id, "is_following": True, "created_at": utcnow()})


def _titles(document_ids) -> dict[int, str]:
    ids = {i for i in document_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(Document.id, Document.title).where(Document.id.in_(ids))).all())


def _write(event: Event, batch: list[tuple[User, "_Recipient"]]) -> list[Notification]:
    titles = _titles(c.document_id for _, c in batch)
    preferences = {p.user_id: p for p in db.session.execute(select(NotificationPreference).where(
        NotificationPreference.user_id.in_([u.id for u, _ in batch]))).scalars()}
    now = utcnow()
    rows = [{"user_id": user.id, "event_seq": event.seq, "kind": candidate.kind,
             "document_id": candidate.document_id, "clause_id": candidate.clause_id,
             "comment_id": candidate.comment_id, "details": candidate.details,
             "created_at": now, "email_state": email_plan(preferences.get(user.id), candidate.kind)}
            for user, candidate in batch]
    # One INSERT for the batch (no ORM flush per row); the ids come back in the rows' order.
    ids = list(db.session.execute(insert(Notification).returning(Notification.id, sort_by_parameter_order=True),
                                  rows).scalars())
    written = [Notification(id=notification_id, **row) for notification_id, row in zip(ids, rows)]
    renderer = MailRenderer(titles)
    queue_immediate_mails([renderer.mail(user, notification)
                           for notification, (user, _candidate) in zip(written, batch)
                           if notification.email_state == "queued"])
    return written


# The recipients of the event being fanned out, kept between its batches (derived once, not once a batch).
_derived = threading.local()


@dataclass(frozen=True)
class _Recipient:
    kind: str
    document_id: int | None
    clause_id: int | None
    comment_id: int | None
    details: dict


def _recipients(event: Event) -> tuple[dict[int, _Recipient], list[int]]:
    # Keyed by the event's hash too: a seq alone may name another event in another database.
    if getattr(_derived, "key", None) != (event.seq, event.hash):
        found = {user_id: _Recipient(c.kind, c.document_id, c.clause_id, c.comment_id, c.details)
                 for user_id, c in derive(event).items()}
        found.pop(event.actor_id, None)  # never about your own action
        _derived.key, _derived.found, _derived.ordered = (event.seq, event.hash), found, sorted(found)
    return _derived.found, _derived.ordered


def _fan_out_event(cursor: NotificationCursor, event: Event, room: int) -> tuple[int, int, bool]:
    """Consider up to `room` recipients of `event` after the cursor's; how many were written,
    how many considered, and whether the event is done."""
    after = cursor.partial_after_user_id if cursor.partial_seq == event.seq else None
    if after is None:
        _auto_follow(event)
    candidates, ordered = _recipients(event)
    start = bisect.bisect_right(ordered, after) if after is not None else 0
    chunk = ordered[start:start + room]
    done = start + room >= len(ordered)
    if chunk:
        users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(chunk))).scalars()}
        comment_ids = {candidates[u].comment_id for u in chunk} - {None}
        comments = {c.id: c for c in db.session.execute(select(Comment).where(Comment.id.in_(comment_ids)))
                    .scalars()} if comment_ids else {}
        # People whose comments staff entered from a letter or call have no account to read them in.
        batch = [(users[u], candidates[u]) for u in chunk
                 if u in users and not users[u].offline and may_know_about(users[u], candidates[u].document_id,
                                                  comments.get(candidates[u].comment_id))]
        written = _write(event, batch) if batch else []
        if written:
            titles = _titles(n.document_id for n in written)
            record_notice("notifications.created", notifications=[
                notification_payload(n, titles.get(n.document_id)) for n in written])
    else:
        written = []
    if done:
        cursor.last_seq, cursor.partial_seq, cursor.partial_after_user_id = event.seq, None, None
    else:
        cursor.partial_seq, cursor.partial_after_user_id = event.seq, chunk[-1]
    return len(written), len(chunk), done


def fan_out(batch_size: int | None = None) -> FanOutResult:
    """One transaction: fan out events after the cursor until `batch_size` notifications
    are written or EVENTS_PER_ROUND events are read."""
    batch_size = batch_size or int(current_app.config["NOTIFIER_BATCH_SIZE"])
    result = FanOutResult()
    with transaction():
        cursor = _locked_cursor()
        if cursor is None:
            result.busy = True
            return result
        room = batch_size
        events: dict[int, Event] = {}
        while room > 0 and result.events < EVENTS_PER_ROUND:
            seq = cursor.partial_seq or cursor.last_seq + 1
            if seq not in events:
                # The round's events in one read, not one read each (a burst commits many at once).
                events = {e.seq: e for e in db.session.execute(
                    select(Event).where(Event.seq >= seq).order_by(Event.seq)
                    .limit(EVENTS_PER_ROUND - result.events)).scalars()}
            event = events.get(seq)
            if event is None:
                break
            written, considered, done = _fan_out_event(cursor, event, room)
            result.written += written
            room -= considered
            if done:
                result.events += 1
        cursor.updated_at = utcnow()
    return result


def skip_to_now() -> int:
    """Move the cursor to the log's head (waiting for a notifier that holds it); the seq it now names."""
    with transaction():
        cursor = db.session.execute(select(NotificationCursor).where(NotificationCursor.id == 1)
                                    .with_for_update().execution_options(populate_existing=True)).scalar_one()
        cursor.last_seq = db.session.execute(select(func.max(Event.seq))).scalar() or 0
        cursor.partial_seq = cursor.partial_after_user_id = None
        cursor.updated_at = utcnow()
        return cursor.last_seq


def pending_events() -> bool:
    """A cheap read: are there events the notifier has not fanned out?"""
    last = db.session.execute(select(NotificationCursor.last_seq, NotificationCursor.partial_seq)
                              .where(NotificationCursor.id == 1)).first()
    head = db.session.execute(select(func.max(Event.seq))).scalar() or 0
    db.session.rollback()
    return last is not None and (last.partial_seq is not None or head > last.last_seq)


# --- closing reminders --------------------------------------------------------------------

def _reminder_due(subject: str, hours: tuple[int, ...], moment: datetime, since: datetime | None,
                  now: datetime) -> int | None:
    """Inside the notifier's transaction: the threshold to remind of now, once per subject. Thresholds
    that came together are recorded at once (only the nearest is told); one the subject never had
    ahead of it (it was planned later than that) is skipped."""
    done = set(db.session.execute(select(Reminder.hours).where(Reminder.subject == subject)).scalars())
    due = [h for h in hours if h not in done and moment - timedelta(hours=h) <= now
           and (since is None or moment - since > timedelta(hours=h))]
    skipped = [h for h in hours if h not in done and since is not None and moment - since <= timedelta(hours=h)
               and moment - timedelta(hours=h) <= now]
    for hour in skipped:
        db.session.add(Reminder(subject=subject, hours=hour, event_seq=None, recorded_at=now))
    if not due:
        return None
    nearest = min(due)
    for hour in due:
        if hour != nearest:
            db.session.add(Reminder(subject=subject, hours=hour, event_seq=None, recorded_at=now))
    return nearest


def record_due_reminders(now: datetime | None = None) -> int:
    """Record `period.closing_soon` (48 h, 2 h before an open period closes) and
    `meeting.starting_soon` (1 h before a scheduled meeting's planned start), once each."""
    now = now or utcnow()
    periods = list(db.session.execute(select(CommentPeriod.id).where(
        CommentPeriod.opens_at <= now, CommentPeriod.closes_at > now,
        CommentPeriod.closes_at <= now + timedelta(hours=max(PERIOD_REMINDER_HOURS)))).scalars())
    meetings = list(db.session.execute(select(Meeting.id).where(
        Meeting.status == "scheduled", Meeting.starts_at.is_not(None), Meeting.starts_at > now,
        Meeting.starts_at <= now + timedelta(hours=max(MEETING_REMINDER_HOURS)))).scalars())
    db.session.rollback()
    recorded = 0
    for period_id in periods:
        with transaction():
            if _locked_cursor() is None:
                return recorded
            period = db.session.get(CommentPeriod, period_id, populate_existing=True)
            hours = _reminder_due(f"period:{period.id}", PERIOD_REMINDER_HOURS, period.closes_at, period.opens_at,
                                  now)
            if hours is not None and period.closes_at > now:
                event = record_event("period.closing_soon", None, f"period:{period.id}", {
                    "period_id": period.id, "closes_at": isoformat(period.closes_at), "hours": hours,
                }, document_id=period.document_id)
                db.session.add(Reminder(subject=f"period:{period.id}", hours=hours, event_seq=event.seq,
                                        recorded_at=now))
                recorded += 1
    for meeting_id in meetings:
        with transaction():
            if _locked_cursor() is None:
                return recorded
            meeting = db.session.get(Meeting, meeting_id, populate_existing=True)
            hours = _reminder_due(f"meeting:{meeting.id}", MEETING_REMINDER_HOURS, meeting.starts_at,
                                  meeting.created_at, now)
            if hours is not None and meeting.status == "scheduled":
                event = record_event("meeting.starting_soon", None, f"meeting:{meeting.id}", {
                    "meeting_id": meeting.id, "starts_at": isoformat(meeting.starts_at), "hours": hours,
                }, document_id=meeting.document_id)
                db.session.add(Reminder(subject=f"meeting:{meeting.id}", hours=hours, event_seq=event.seq,
                                        recorded_at=now))
                recorded += 1
    return recorded


# --- digests ------------------------------------------------------------------------

def last_digest_moment(frequency: str, now: datetime) -> datetime:
    """The latest moment a digest of this frequency was due, at or before `now`."""
    moment = now.replace(hour=int(current_app.config["DIGEST_HOUR_UTC"]), minute=0, second=0, microsecond=0)
    if moment > now:
        moment -= timedelta(days=1)
    if frequency == "weekly":
        moment -= timedelta(days=moment.weekday())  # Mondays
    return moment


def _digest_candidates(now: datetime) -> list[int]:
    """People whose digest is due: pending notifications from before their digest moment, and
    no digest since that moment. One query, so an idle round costs the same for any number of people."""
    frequency = func.coalesce(NotificationPreference.email_frequency, "daily")
    due = []
    for name in ("daily", "weekly"):
        moment = last_digest_moment(name, now)
        due.append(and_(frequency == name, Notification.created_at <= moment,
                        or_(NotificationPreference.last_digest_at.is_(None),
                            NotificationPreference.last_digest_at < moment)))
    users = list(db.session.execute(
        select(Notification.user_id).outerjoin(NotificationPreference,
                                               NotificationPreference.user_id == Notification.user_id)
        .where(Notification.email_state == "pending", or_(*due)).group_by(Notification.user_id)).scalars())
    db.session.rollback()
    return users


def send_due_digests(now: datetime | None = None) -> int:
    """Queue the digests that are due: for each person with pending notifications whose
    digest moment has passed since their last digest, one mail with what they have not
    read in the app. A person whose pending notifications were all read gets no mail."""
    now = now or utcnow()
    sent = 0
    for user_id in _digest_candidates(now):
        with transaction():
            if _locked_cursor() is None:
                return sent
            preference = db.session.get(NotificationPreference, user_id, populate_existing=True)
            frequency = preference.email_frequency if preference else "daily"
            if frequency not in ("daily", "weekly"):
                continue
            moment = last_digest_moment(frequency, now)
            if preference is not None and preference.last_digest_at is not None \
                    and preference.last_digest_at >= moment:
                continue
            pending = list(db.session.execute(select(Notification).where(
                Notification.user_id == user_id, Notification.email_state == "pending",
                Notification.created_at <= moment)).scalars())
            if not pending:
                continue
            kinds = (preference.kinds or {}) if preference else {}
            unseen = [n for n in pending if n.read_at is None and kinds.get(n.kind) is not False]
            user = db.session.get(User, user_id)
            for notification in pending:
                notification.email_state = "digested" if notification in unseen else "none"
            if preference is None:
                preference = NotificationPreference(user_id=user_id, email_frequency="daily", kinds={},
                                                    answers_immediately=True, updated_at=now)
                db.session.add(preference)
            preference.last_digest_at = now
            if unseen and user is not None and user.is_active:
                queue_digest_mail(user, frequency, unseen, _titles(n.document_id for n in unseen),
                                  _clause_numbers(unseen))
                sent += 1
    return sent


def _clause_numbers(notifications: list[Notification]) -> dict[int, str]:
    ids = {n.clause_id for n in notifications if n.clause_id}
    if not ids:
        return {}
    rows = db.session.execute(select(ClauseText.clause_id, ClauseText.number).join(Version).join(
        Document, Document.id == Version.document_id).where(
        ClauseText.clause_id.in_(ids), Version.number == Document.current_version)).all()
    return dict(rows)


# --- the loop -------------------------------------------------------------------------

def run_once(app: Flask, timed: bool = True) -> FanOutResult:
    """One round of everything the notifier does (reminders and digests only when `timed`);
    errors are logged, never raised."""
    with app.app_context():
        result = FanOutResult()
        try:
            if timed:
                record_due_reminders()
            if pending_events():
                result = fan_out()
            if timed:
                send_due_digests()
        except Exception:  # noqa: BLE001 — nothing is half-written: try again next round
            log.exception("notifier failed; retrying")
            db.session.rollback()
        finally:
            db.session.remove()
        return result


def run_notifier(app: Flask, stop: threading.Event | None = None, until_idle: bool = False) -> int:
    """Fan out until `stop` is set (or, with `until_idle`, until nothing is left); how many rows were written."""
    poll = float(app.config["NOTIFIER_POLL_SECONDS"])
    # While comments arrive back to back, a round every `gather` seconds takes them together:
    # one transaction (one fsync on SQLite) for the burst instead of one for each comment.
    gather = 0.0 if until_idle else float(app.config.get("NOTIFIER_GATHER_SECONDS", 0.5))
    written = 0
    # Reminders and digests are due by the clock: looked for once per poll, not in every
    # round of a burst of comments (three reads a round at 20 comments a second).
    timed_at = float("-inf")
    while stop is None or not stop.is_set():
        events_committed.clear()
        timed = until_idle or time.monotonic() - timed_at >= poll
        if timed:
            timed_at = time.monotonic()
        result = run_once(app, timed=timed)
        written += result.written
        if result.events or result.written:
            socketio.sleep(gather)  # let the process's requests run between batches
            continue
        if until_idle and not result.busy:
            break
        events_committed.wait(poll)
    return written


def start_notifier(app: Flask) -> None:
    """Run the notifier as a background task of the server process (NOTIFIER_ENABLED)."""
    if not app.config.get("NOTIFIER_ENABLED", True):
        return
    socketio.start_background_task(run_notifier, app)
    log.info("notifier started")


def wake_notifier_on_events(items) -> None:
    """Subscriber to committed changes: this process's notifier looks at once."""
    from ..events import RecordedEvent

    if any(isinstance(item, RecordedEvent) for item in items):
        events_committed.set()
