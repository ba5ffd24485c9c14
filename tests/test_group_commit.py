"""SQLite group commit: writers queued behind each other share one COMMIT, each service
still one transaction with its event, the seq gap-free, nothing delivered before the fsync."""
import threading
import time

import pytest
from sqlalchemy import event as sa_event, text

from collab.errors import Invalid
from collab.events import RecordedEvent, _group_commit, _sqlite_write_lock, event_to_dict, subscribe
from collab.extensions import db
from collab.models import Comment, Event, User
from collab.services.comments import create_comment
from collab.verify import verify_chain

pytestmark = pytest.mark.real_commits


@pytest.fixture
def grouped(app, make):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("group commit is for SQLite; PostgreSQL commits each transaction on its own")
    app.config["SQLITE_GROUP_COMMIT"] = True
    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    writers = [make.user(email=f"writer{i}@example.org") for i in range(5)]
    db.session.commit()
    commits = []
    # Each write transaction (a group) begins with BEGIN IMMEDIATE and ends in one COMMIT.
    sa_event.listen(db.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *a: commits.append(1) if statement == "BEGIN IMMEDIATE" else None)
    delivered = []

    def check_committed(items):
        # Read through another connection: every event handed over is already stored.
        seqs = [item.event.seq for item in items if isinstance(item, RecordedEvent)]
        with db.engine.connect() as other:
            stored = other.execute(text("SELECT count(*) FROM events WHERE seq IN ({})".format(
                ",".join(map(str, seqs))))).scalar_one() if seqs else 0
        delivered.append((seqs, stored))

    subscribe(check_committed, app)
    yield app, make.clause_ids(document)[0], [w.id for w in writers], commits, delivered
    app.config["SQLITE_GROUP_COMMIT"] = False


def _post_all(app, clause_id, writer_ids, quotes):
    """Each writer posts one comment from its own thread while the write lock is held, so
    they all queue; then the lock is let go and they run as one group."""
    results, group = {}, None

    def write(writer_id, quote):
        with app.app_context():
            actor = db.session.get(User, writer_id)
            try:
                comment, _ = create_comment(actor, clause_id, body=f"Comment of writer {writer_id}.",
                                            kind="concern", quote=quote)
                results[writer_id] = comment.id
            except Invalid as error:
                results[writer_id] = error.code
            finally:
                db.session.remove()

    with app.app_context():
        group = _group_commit()
    threads = [threading.Thread(target=write, args=(w, q)) for w, q in zip(writer_ids, quotes)]
    with _sqlite_write_lock:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while group.waiting < len(threads) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert group.waiting == len(threads)
    for thread in threads:
        thread.join(20)
    return results


def test_queued_writers_share_one_commit_and_the_seq_stays_gap_free(grouped):
    app, clause_id, writer_ids, commits, delivered = grouped
    with app.app_context():
        before = db.session.query(Event).count()
    results = _post_all(app, clause_id, writer_ids, [None] * 5)
    assert all(isinstance(value, int) for value in results.values())
    assert len(commits) == 1  # five service transactions, one COMMIT (one fsync)
    with app.app_context():
        seqs = [e.seq for e in db.session.query(Event).order_by(Event.seq)]
        assert seqs == list(range(1, before + 6))
        assert verify_chain([event_to_dict(e) for e in db.session.query(Event).order_by(Event.seq)]).ok
        comments = db.session.query(Comment).filter(Comment.id.in_(results.values())).all()
        assert sorted(c.seq for c in comments) == seqs[-5:]
    # Handed over once, after the commit, in seq order.
    [(handed, stored)] = delivered
    assert handed == seqs[-5:] and stored == 5


def test_a_failing_member_leaves_the_others_committed_and_no_hole_in_the_seq(grouped):
    app, clause_id, writer_ids, commits, delivered = grouped
    with app.app_context():
        before = db.session.query(Event).count()
    quotes = [None, None, "words that are not in the clause", None, None]
    results = _post_all(app, clause_id, writer_ids, quotes)
    assert results[writer_ids[2]] == "quote_not_found"
    assert len(commits) == 1
    with app.app_context():
        seqs = [e.seq for e in db.session.query(Event).order_by(Event.seq)]
        assert seqs == list(range(1, before + 5))
        assert verify_chain([event_to_dict(e) for e in db.session.query(Event).order_by(Event.seq)]).ok
        assert db.session.query(Comment).filter(Comment.author_id == writer_ids[2]).count() == 0
    [(handed, stored)] = delivered
    assert handed == seqs[-4:] and stored == 4


def test_a_subscriber_that_writes_during_the_delivery_commits_on_its_own(grouped):
    """A subscriber of a group may itself write (a service, as the redaction's scrub does):
    the lock is held for the delivery, so its transaction commits at once instead of waiting
    for writers queued behind the lock."""
    app, clause_id, writer_ids, commits, delivered = grouped
    from collab.events import record_event, transaction

    follow_ups, late = [], []

    def late_writer():
        with app.app_context():
            actor = db.session.get(User, writer_ids[0])
            late.append(create_comment(actor, clause_id, body="A late comment.", kind="concern")[0].id)
            db.session.remove()

    def writes_back(items):
        if follow_ups or not any(isinstance(i, RecordedEvent) and i.event.action == "comment.created"
                                 for i in items):
            return
        # Another writer queues behind the lock this delivery holds.
        thread = threading.Thread(target=late_writer)
        thread.start()
        group = _group_commit()
        deadline = time.monotonic() + 10
        while group.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        late.append(thread)
        with transaction():
            follow_ups.append(record_event("audit.checked", None, "audit:1", {}).seq)

    subscribe(writes_back, app)
    results = _post_all(app, clause_id, writer_ids, [None] * 5)
    late[0].join(20)
    assert all(isinstance(value, int) for value in results.values())
    assert len(follow_ups) == 1 and isinstance(late[1], int)
    assert len(commits) == 3  # the group, the subscriber's own, the late writer's
    with app.app_context():
        seqs = [e.seq for e in db.session.query(Event).order_by(Event.seq)]
        assert seqs == list(range(1, len(seqs) + 1))
        assert follow_ups[0] == seqs[-2]  # before the late writer's comment, which waited for it
