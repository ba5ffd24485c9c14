import pytest

from collab.errors import Conflict, Forbidden, Invalid, Unauthenticated
from collab.serializers import REDACTED_TEXT, comment_to_dict
from tests.conftest import any_database, events_of


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    author = make.user(group="students")
    comment = make.comment(author, make.clause_ids(document)[0], body="Secret body about Jamie Doe.",
                           quote="keeps students safe", suggested_text="Secret suggestion.")
    return document, admin, author, comment


@any_database
def test_flag_is_recorded_once_per_person(setting, make):
    from collab.services.moderation import flag_comment

    _document, _admin, author, comment = setting
    reader, observer, other = make.user(), make.user(role="observer"), make.user()
    before = len(events_of())
    flag = flag_comment(reader, comment.id, reason="Names a student")
    assert flag.comment_id == comment.id and len(events_of()) == before + 1
    assert "Names a student" not in events_of("comment.flagged")[0].data
    with pytest.raises(Conflict):
        flag_comment(reader, comment.id, reason="again")
    with pytest.raises(Forbidden):
        flag_comment(author, comment.id, reason="mine")
    with pytest.raises(Forbidden):
        flag_comment(observer, comment.id, reason="x")
    with pytest.raises(Invalid):
        flag_comment(other, comment.id, reason=" ")
    assert len(events_of()) == before + 1


@any_database
def test_hide_removes_the_texts_for_everyone_and_unhide_restores_the_status(setting, make):
    from collab.services.moderation import flag_comment, hide_comment, unhide_comment
    from collab.services.resolutions import record_resolution

    _document, admin, _author, comment = setting
    record_resolution(admin, comment.id, disposition="noted", rationale="Thanks.")
    flag_comment(make.user(), comment.id, reason="Names a student")
    facilitator = make.user(role="facilitator")
    before = len(events_of())
    hide_comment(facilitator, comment.id, reason="Personal data")
    assert len(events_of()) == before + 1
    shown = comment_to_dict(comment)
    assert shown["status"] == "hidden" and shown["body"] is shown["quote"] is shown["suggested_text"] is None
    assert "Secret" not in str(shown)
    with pytest.raises(Conflict):
        hide_comment(facilitator, comment.id, reason="again")
    unhide_comment(facilitator, comment.id, reason="Reviewed: no personal data")
    assert comment.status == "resolved" and comment_to_dict(comment)["body"].startswith("Secret")
    assert [e.action for e in events_of()[-2:]] == ["comment.hidden", "comment.unhidden"]


@any_database
def test_moderators_cannot_hide_their_own_comment_and_participants_cannot_hide(setting, make):
    from collab.services.moderation import hide_comment

    document, admin, author, comment = setting
    own = make.comment(admin, make.clause_ids(document)[0])
    others = [author, make.user(role="participant"), make.user(role="observer")]
    before = len(events_of())
    with pytest.raises(Forbidden) as raised:
        hide_comment(admin, own.id, reason="mine")
    assert raised.value.code == "own_comment"
    for user in others:
        with pytest.raises(Forbidden):
            hide_comment(user, comment.id, reason="x")
    with pytest.raises(Unauthenticated):
        hide_comment(None, comment.id, reason="x")
    with pytest.raises(Invalid):
        hide_comment(admin, comment.id, reason="")
    assert len(events_of()) == before and comment.status == "open"


@any_database
def test_dismissing_flags_handles_them_without_hiding(setting, make):
    from collab.reads.queue import moderation_queue
    from collab.services.moderation import dismiss_flags, flag_comment

    _document, admin, _author, comment = setting
    flag_comment(make.user(), comment.id, reason="Rude")
    assert [i["comment"]["id"] for i in moderation_queue()["flagged"]] == [comment.id]
    dismiss_flags(admin, comment.id, reason="Not rude")
    assert moderation_queue()["flagged"] == [] and comment.status == "open"
    with pytest.raises(Conflict):
        dismiss_flags(admin, comment.id, reason="again")


@any_database
def test_redaction_removes_every_text_and_keeps_the_chain_valid(setting, make):
    from collab.audit import verify_database
    from collab.extensions import db
    from collab.models import CommentRevision, Flag
    from collab.services.comments import edit_comment
    from collab.services.moderation import flag_comment, redact_comment

    _document, admin, author, comment = setting
    edit_comment(author, comment.id, body="Edited, still naming Jamie Doe.")
    flag_comment(make.user(), comment.id, reason="It names Jamie Doe")
    with pytest.raises(Forbidden):
        redact_comment(make.user(role="facilitator"), comment.id, reason="x")
    before = len(events_of())
    redact_comment(admin, comment.id, reason="A student's personal data")
    assert len(events_of()) == before + 1
    shown = comment_to_dict(comment)
    assert shown["body"] == shown["quote"] == shown["suggested_text"] == REDACTED_TEXT
    db.session.expire_all()
    stored = [comment.body, comment.quote, comment.suggested_text]
    stored += [r.body for r in db.session.query(CommentRevision)] + [f.reason for f in db.session.query(Flag)]
    assert all("Jamie" not in t and "Secret" not in t for t in stored)
    assert verify_database().ok
    with pytest.raises(Conflict):
        redact_comment(admin, comment.id, reason="again")
    with pytest.raises(Conflict):
        edit_comment(author, comment.id, body="new")


@any_database
def test_redacting_a_rationale_keeps_the_disposition(setting):
    from collab.audit import verify_database
    from collab.services.moderation import redact_resolution
    from collab.services.resolutions import record_resolution

    _document, admin, _author, comment = setting
    resolution = record_resolution(admin, comment.id, disposition="declined", rationale="Jamie Doe's case.")
    redact_resolution(admin, resolution.id, reason="Names a student")
    shown = comment_to_dict(comment)["resolution"]
    assert shown["rationale"] == REDACTED_TEXT and shown["disposition"] == "declined"
    assert verify_database().ok


@any_database
def test_the_event_table_refuses_update_and_delete(setting):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from collab.events import record_checkpoint, transaction
    from collab.extensions import db

    with transaction():
        record_checkpoint("test")
    for statement in ("UPDATE events SET action = 'x' WHERE seq = 1", "DELETE FROM events WHERE seq = 1",
                      "UPDATE checkpoints SET seq = 0", "DELETE FROM checkpoints"):
        db.session.rollback()
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
            db.session.execute(text("SELECT 1 FROM events WHERE seq = 1"))
            db.session.commit()
    db.session.rollback()
    assert db.session.execute(text("SELECT action FROM events WHERE seq = 1")).scalar() == "user.created"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_refuses_truncating_the_event_log(setting):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from collab.extensions import db

    for table in ("events", "checkpoints"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(f"TRUNCATE {table} CASCADE"))
        db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM events")).scalar() > 0
