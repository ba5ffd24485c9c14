import pytest

from collab.errors import Conflict, Forbidden, IdempotencyMismatch, Invalid, NotFound, TooLarge
from collab.events import salted_digest, text_digest
from tests.conftest import any_database, events_of


@any_database
def test_comment_is_stored_with_its_event(make):
    document = make.document()
    make.open_period(document)
    author = make.user()
    clause_id = make.clause_ids(document)[1]
    comment = make.comment(author, clause_id, body="Who decides what counts as discipline?", kind="question",
                           quote="school rules")
    [event] = events_of("comment.created")
    assert comment.seq == event.seq
    assert '"body_hmac":"%s"' % salted_digest("Who decides what counts as discipline?", comment.body_salt) \
        in event.data
    # The plain digest of the text, which anyone could recompute from a guess, is not in the chain.
    assert text_digest("Who decides what counts as discipline?") not in event.data
    assert "Who decides" not in event.data


@any_database
def test_comment_outside_period_is_refused_and_stores_nothing(make):
    document = make.document()
    author = make.user()
    before = len(events_of())
    with pytest.raises(Conflict) as raised:
        make.comment(author, make.clause_ids(document)[0])
    assert raised.value.code == "commenting_closed"
    assert len(events_of()) == before


@any_database
def test_observer_cannot_comment(make):
    document = make.document()
    make.open_period(document)
    with pytest.raises(Forbidden):
        make.comment(make.user(role="observer"), make.clause_ids(document)[0])


@any_database
@pytest.mark.parametrize("fields, error", [
    ({"body": ""}, Invalid),
    ({"body": "   \n\t "}, Invalid),
    ({"body": "x" * 10_001}, TooLarge),
    ({"kind": "rant"}, Invalid),
    ({"quote": "not in the clause"}, Invalid),
    ({"parent_id": 999}, NotFound),
])
def test_bad_comment_input_is_refused(make, fields, error):
    document = make.document()
    make.open_period(document)
    author = make.user()
    before = len(events_of())
    with pytest.raises(error):
        make.comment(author, make.clause_ids(document)[0], **fields)
    assert len(events_of()) == before


@any_database
def test_unknown_clause_is_not_found(make):
    make.open_period(make.document())
    with pytest.raises(NotFound):
        make.comment(make.user(), 4242)


@any_database
def test_same_idempotency_key_creates_one_comment(make):
    from collab.services.comments import create_comment

    document = make.document()
    make.open_period(document)
    author, clause_id = make.user(), make.clause_ids(document)[0]
    first, created = create_comment(author, clause_id, body="Once", kind="concern", idempotency_key="k-1")
    again, created_again = create_comment(author, clause_id, body="Once", kind="concern", idempotency_key="k-1")
    assert (created, created_again) == (True, False)
    assert first.id == again.id
    with pytest.raises(IdempotencyMismatch):
        create_comment(author, clause_id, body="Twice", kind="concern", idempotency_key="k-1")
    assert len(events_of("comment.created")) == 1


@any_database
def test_event_chain_links_each_event_to_the_one_before(make):
    from collab.events import chained_fields, compute_hash
    from collab.models.events import GENESIS_HASH

    document = make.document()
    make.open_period(document)
    make.comment(make.user(), make.clause_ids(document)[0])
    previous = GENESIS_HASH
    events = events_of()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == compute_hash(previous, chained_fields(event))
        previous = event.hash


@any_database
def test_a_comment_rolled_back_with_its_transaction_leaves_the_session_ready_for_the_next(make):
    """The comment and its event are written with Core statements and put in the session as
    stored rows: a rollback must take them out again, or the next comment (which may get the
    same id, as SQLite reuses it) could not take its place."""
    from collab.events import transaction
    from collab.extensions import db
    from collab.models import Comment, Event

    document = make.document()
    make.open_period(document)
    author = make.user()
    clause_id = make.clause_ids(document)[0]
    before = len(events_of())
    with pytest.raises(RuntimeError), transaction():
        gone = make.comment(author, clause_id, body="Withdrawn before it was stored.")
        raise RuntimeError("the outer work failed")
    assert gone not in db.session
    assert not any(isinstance(item, Event) for item in db.session)
    assert len(events_of()) == before
    kept = make.comment(author, clause_id, body="Stored.")
    assert db.session.get(Comment, kept.id) is kept and kept.body == "Stored."
    assert [e.seq for e in events_of()][-1] == kept.seq
