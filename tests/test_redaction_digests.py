import pytest
"""Redaction leaves nothing guessable (issue 11, item 9): new events carry a digest keyed by
a random per-text salt kept beside the text and deleted with it; old events (plain SHA-256)
still verify; on SQLite no copy of a redacted text stays in the file or its write-ahead log."""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from collab.audit import verify_database
from collab.events import record_event, salted_digest, text_digest, transaction
from collab.extensions import db
from collab.models import Comment, CommentRevision
from collab.verify import hmac_text

pytestmark = pytest.mark.real_commits  # the tests read the SQLite file and its log

SECRET = "Call Jamie Doe's mother at 555-0199"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    return document, admin, make.user(), make.clause_ids(document)


def test_the_digest_of_a_new_comment_in_events_cannot_be_recomputed_from_its_text(client, make):
    _document, admin, author, clause_ids = _setting(make)
    posted = client.post(f"/api/v1/clauses/{clause_ids[0]}/comments", headers=make.bearer(author),
                         json={"body": SECRET, "kind": "concern", "quote": "keeps students safe"})
    assert posted.status_code == 201
    events = client.get("/api/v1/events", headers=make.bearer(author)).get_json()["events"]
    [created] = [e for e in events if e["action"] == "comment.created"]
    everything = json.dumps(events)
    assert _sha256(SECRET) not in everything and _sha256("keeps students safe") not in everything
    assert "body_sha256" not in created["data"]
    comment = db.session.get(Comment, posted.get_json()["comment"]["id"])
    assert comment.body_salt and comment.quote_salt and comment.suggested_text_salt is None
    assert created["data"]["body_hmac"] == hmac_text(SECRET, comment.body_salt)
    assert created["data"]["quote_hmac"] == hmac_text("keeps students safe", comment.quote_salt)


def test_redaction_deletes_the_salts_and_everything_still_verifies(app, make, runner, tmp_path):
    from collab.services.comments import edit_comment
    from collab.services.moderation import redact_comment

    _document, admin, author, clause_ids = _setting(make)
    comment = make.comment(author, clause_ids[0], body=SECRET, suggested_text="Name Jamie Doe here.")
    edit_comment(author, comment.id, body=SECRET + ", after school.")
    kept = make.comment(author, clause_ids[1], body="A text that stays.")
    edited_digest = salted_digest(SECRET + ", after school.", comment.body_salt)
    redact_comment(admin, comment.id, reason="A student's personal data")
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert (stored.body_salt, stored.quote_salt, stored.suggested_text_salt) == (None, None, None)
    assert stored.request_digest is None  # a plain hash over the texts is no better than one of the text
    assert [r.body_salt for r in db.session.query(CommentRevision)] == [None]
    redacted = [json.loads(e.data) for e in db.session.query(__import__("collab.models", fromlist=["Event"]).Event)
                if e.action == "comment.redacted"][0]
    assert edited_digest in redacted["removed_hmac"] and redacted["removed_sha256"] == []
    assert verify_database().ok
    assert runner.invoke(args=["events", "verify"]).exit_code == 0
    out = tmp_path / "export"
    assert runner.invoke(args=["events", "export", str(out)]).exit_code == 0
    texts = json.loads((out / "texts.json").read_text())
    assert SECRET not in (out / "texts.json").read_text()
    assert {"salt": kept.body_salt, "text": "A text that stays."} in texts.values()
    offline = subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)],
                             capture_output=True, text=True, cwd=tmp_path)
    assert offline.returncode == 0, offline.stdout + offline.stderr


def test_events_with_plain_digests_from_before_still_verify_export_and_redact(app, make, runner, tmp_path):
    """A comment written before salted digests: no salt, `body_sha256` in its event."""
    from collab.services.moderation import redact_comment
    from collab.timeutil import utcnow

    document, admin, author, clause_ids = _setting(make)
    with transaction():
        old = Comment(document_id=document.id, clause_id=clause_ids[0], version=1, author_id=author.id,
                      kind="concern", body="Written long ago.", status="open", created_at=utcnow())
        db.session.add(old)
        db.session.flush()
        event = record_event("comment.created", author, f"comment:{old.id}", {
            "comment_id": old.id, "clause_id": clause_ids[0], "version": 1, "parent_id": None, "kind": "concern",
            "body_sha256": text_digest("Written long ago."), "quote_sha256": None, "suggested_text_sha256": None,
        }, document_id=document.id)
        old.seq = event.seq
    make.comment(author, clause_ids[1], body="Written with a salt.")
    out = tmp_path / "before"
    assert runner.invoke(args=["events", "export", str(out)]).exit_code == 0
    texts = json.loads((out / "texts.json").read_text())
    assert texts[text_digest("Written long ago.")] == "Written long ago."
    assert subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)], cwd=tmp_path).returncode == 0
    redact_comment(admin, old.id, reason="Personal data")
    [*_, redacted] = [e for e in db.session.query(__import__("collab.models", fromlist=["Event"]).Event)
                      .order_by("seq") if e.action == "comment.redacted"]
    assert json.loads(redacted.data)["removed_sha256"] == [text_digest("Written long ago.")]
    assert verify_database().ok
    out = tmp_path / "after"
    assert runner.invoke(args=["events", "export", str(out)]).exit_code == 0
    assert subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)], cwd=tmp_path).returncode == 0


def test_on_sqlite_no_copy_of_a_redacted_text_stays_in_the_file_or_the_log(app, make):
    from collab.services.comments import edit_comment
    from collab.services.moderation import redact_comment

    _document, admin, author, clause_ids = _setting(make)
    comment = make.comment(author, clause_ids[0], body=SECRET)
    edit_comment(author, comment.id, body=SECRET + " (or her aunt)")
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    wal = Path(str(path) + "-wal")

    def copies() -> int:
        return sum(f.read_bytes().count(b"555-0199") for f in (path, wal) if f.exists())

    assert copies() > 0  # the check below would see the text if it were still there
    redact_comment(admin, comment.id, reason="A student's personal data")
    assert copies() == 0


def test_flag_reopening_and_rationale_texts_are_salted_too_and_lose_their_salts_at_redaction(app, make):
    from collab.models import Flag, Reopening, Resolution
    from collab.services.moderation import flag_comment, redact_comment, redact_resolution
    from collab.services.resolutions import record_resolution, reopen_comment

    _document, admin, author, clause_ids = _setting(make)
    comment = make.comment(author, clause_ids[0], body="Please answer.")
    resolution = record_resolution(admin, comment.id, disposition="accepted", rationale="We told Jamie Doe.")
    reopen_comment(author, comment.id, reason="Jamie Doe was not told.")
    flag_comment(make.user(), comment.id, reason="It names Jamie Doe")
    data = " ".join(e.data for e in db.session.query(__import__("collab.models", fromlist=["Event"]).Event))
    for text in ("We told Jamie Doe.", "Jamie Doe was not told.", "It names Jamie Doe"):
        assert _sha256(text) not in data
    redact_resolution(admin, resolution.id, reason="Personal data")
    redact_comment(admin, comment.id, reason="Personal data")
    db.session.expire_all()
    assert db.session.get(Resolution, resolution.id).rationale_salt is None
    assert [f.reason_salt for f in db.session.query(Flag)] == [None]
    assert [r.reason_salt for r in db.session.query(Reopening)] == [None]
    assert verify_database().ok
