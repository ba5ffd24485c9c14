import pytest

from collab.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge, Unauthenticated
from collab.events import salted_digest, text_digest
from collab.serializers import comment_to_dict
from tests.conftest import any_database, events_of


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    author = make.user(group="civil-rights")
    comment = make.comment(author, make.clause_ids(document)[1], body="Officers must stay out of discipline.")
    return document, admin, author, comment


@any_database
def test_resolution_is_recorded_with_one_event_and_resolves_the_comment(setting):
    from collab.services.resolutions import record_resolution

    document, admin, _author, comment = setting
    before = len(events_of())
    resolution = record_resolution(admin, comment.id, disposition="accepted",
                                   rationale="Clause 2 now says so.", version=1)
    assert comment.status == "resolved"
    assert len(events_of()) == before + 1
    [event] = events_of("resolution.recorded")
    assert resolution.seq == event.seq and event.subject == f"comment:{comment.id}"
    assert salted_digest("Clause 2 now says so.", resolution.rationale_salt) in event.data
    assert text_digest("Clause 2 now says so.") not in event.data and "Clause 2 now" not in event.data
    shown = comment_to_dict(comment)["resolution"]
    assert shown["disposition"] == "accepted" and shown["rationale"] == "Clause 2 now says so."
    assert shown["history_count"] == 1 and shown["recorded_by"]["id"] == admin.id


@any_database
def test_a_later_resolution_supersedes_and_keeps_the_earlier(setting):
    from collab.services.resolutions import record_resolution

    _document, admin, _author, comment = setting
    first = record_resolution(admin, comment.id, disposition="deferred", rationale="Later.")
    second = record_resolution(admin, comment.id, disposition="accepted_with_changes", rationale="Done.")
    shown = comment_to_dict(comment)["resolution"]
    assert shown["id"] == second.id and shown["history_count"] == 2
    assert f'"supersedes":{first.id}' in events_of("resolution.recorded")[-1].data


@any_database
@pytest.mark.parametrize("fields, error", [
    ({"disposition": "maybe", "rationale": "x"}, Invalid),
    ({"disposition": "accepted", "rationale": ""}, Invalid),
    ({"disposition": "accepted", "rationale": "   "}, Invalid),
    ({"disposition": "accepted", "rationale": None}, Invalid),
    ({"disposition": "accepted", "rationale": "x" * 20_001}, TooLarge),
    ({"disposition": "accepted", "rationale": "x", "version": 99}, Invalid),
    ({"disposition": "accepted", "rationale": "x", "version": "two"}, Invalid),
])
def test_bad_resolution_is_refused_and_stores_nothing(setting, fields, error):
    from collab.services.resolutions import record_resolution

    _document, admin, _author, comment = setting
    before = len(events_of())
    with pytest.raises(error):
        record_resolution(admin, comment.id, **fields)
    assert len(events_of()) == before
    assert comment_to_dict(comment)["resolution"] is None and comment.status == "open"


@any_database
def test_only_admins_resolve_and_never_their_own_comment(setting, make):
    from collab.services.resolutions import record_resolution

    document, admin, author, comment = setting
    others = [author, make.user(role="facilitator"), make.user(role="observer")]
    before = len(events_of())
    for user in others:
        with pytest.raises(Forbidden):
            record_resolution(user, comment.id, disposition="noted", rationale="x")
    with pytest.raises(Unauthenticated):
        record_resolution(None, comment.id, disposition="noted", rationale="x")
    own = make.comment(admin, make.clause_ids(document)[0])
    before = len(events_of())
    with pytest.raises(Forbidden) as raised:
        record_resolution(admin, own.id, disposition="noted", rationale="x")
    assert raised.value.code == "own_comment"
    with pytest.raises(NotFound):
        record_resolution(admin, 9999, disposition="noted", rationale="x")
    assert len(events_of()) == before


@any_database
def test_one_answer_for_several_comments_gives_each_a_resolution_in_one_batch(setting, make):
    from collab.services.resolutions import record_resolutions

    document, admin, author, comment = setting
    other = make.comment(make.user(group="families"), make.clause_ids(document)[1], body="Same point.")
    before = len(events_of())
    resolutions = record_resolutions(admin, document.id, [comment.id, other.id, comment.id],
                                     disposition="accepted", rationale="Both answered by the new clause 2.")
    assert len(resolutions) == 2 and resolutions[0].batch_id == resolutions[1].batch_id is not None
    assert len(events_of()) == before + 2
    assert comment.status == other.status == "resolved"


@any_database
def test_batch_resolution_is_all_or_nothing(setting, make):
    from collab.services.resolutions import record_resolutions

    document, admin, _author, comment = setting
    own = make.comment(admin, make.clause_ids(document)[0])
    before = len(events_of())
    with pytest.raises(Forbidden):
        record_resolutions(admin, document.id, [comment.id, own.id], disposition="noted", rationale="x")
    with pytest.raises(NotFound):
        record_resolutions(admin, document.id, [comment.id, 4242], disposition="noted", rationale="x")
    with pytest.raises(Invalid):
        record_resolutions(admin, document.id, [], disposition="noted", rationale="x")
    with pytest.raises(Invalid):
        record_resolutions(admin, document.id, ["a"], disposition="noted", rationale="x")
    assert len(events_of()) == before
    from collab.extensions import db
    db.session.refresh(comment)
    assert comment.status == "open"


@any_database
def test_author_reopens_a_resolution_that_does_not_address_the_concern(setting, make):
    from collab.services.resolutions import record_resolution, reopen_comment

    _document, admin, author, comment = setting
    with pytest.raises(Conflict):
        reopen_comment(author, comment.id)
    record_resolution(admin, comment.id, disposition="declined", rationale="We disagree.")
    with pytest.raises(Forbidden):
        reopen_comment(make.user(), comment.id, reason="Not mine")
    before = len(events_of())
    reopen_comment(author, comment.id, reason="This does not address my concern: discipline is still there.")
    assert len(events_of()) == before + 1
    assert comment.status == "open"
    shown = comment_to_dict(comment)
    assert shown["resolution"]["contested"] is True and shown["reopened_at"]
    [event] = events_of("comment.reopened")
    assert "discipline is still there" not in event.data
    record_resolution(admin, comment.id, disposition="accepted", rationale="Reconsidered.")
    assert comment_to_dict(comment)["resolution"]["contested"] is False


def test_hidden_comment_cannot_be_resolved(setting, make):
    from collab.services.moderation import hide_comment
    from collab.services.resolutions import record_resolution

    _document, admin, _author, comment = setting
    hide_comment(make.user(role="facilitator"), comment.id, reason="Off topic")
    with pytest.raises(Conflict):
        record_resolution(admin, comment.id, disposition="noted", rationale="x")
