"""Checking the stored event log, and exporting it for offline verification.

The checks live in collab/verify.py (standard library only), which the export copies
as verify.py so a third party runs the very same code."""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy import text as sql_text

from . import verify
from .extensions import db
from .models import (ChainHead, ClauseText, Comment, CommentRevision, Document, Event, Flag,
                     ModerationAction, Reopening, Resolution, Version)
from .reads.audit import list_checkpoints
from .timeutil import isoformat

log = logging.getLogger(__name__)

BATCH = 5000


def stored_events() -> Iterator[dict]:
    """Every stored event in seq order, as GET /events shows it, read in batches."""
    columns = (Event.seq, Event.at, Event.actor_id, Event.action, Event.document_id, Event.subject,
               Event.data, Event.prev_hash, Event.hash)
    result = db.session.execute(select(*columns).order_by(Event.seq).execution_options(yield_per=BATCH))
    for seq, at, actor, action, document_id, subject, data, prev_hash, hash_ in result:
        yield {"seq": seq, "at": isoformat(at), "actor": actor, "action": action, "document_id": document_id,
               "subject": subject, "data": json.loads(data), "prev_hash": prev_hash, "hash": hash_}


def verify_database(checkpoints: list[dict] | None = None) -> verify.Report:
    """Verify the stored chain against the checkpoints the database published, any `checkpoints`
    given (copies kept elsewhere), and the stored chain head."""
    published = [{"seq": c["seq"], "head_hash": c["head_hash"]} for c in list_checkpoints()]
    report = verify.verify_chain(stored_events(), published + list(checkpoints or []))
    if not report.ok:
        return report
    # Read from the database: the service transactions write the head with Core statements,
    # so a ChainHead object this session loaded earlier may be older than the row.
    head = db.session.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)).first()
    if head is not None and (head.seq, head.hash) != (report.head_seq, report.head_hash):
        first_bad = min(head.seq, report.head_seq) + 1
        return report.fail(first_bad, f"the stored chain head (seq {head.seq}) does not match the log, which "
                                      f"ends at seq {report.head_seq}: events were removed or rewritten")
    return report


def _stored_texts() -> Iterator[str]:
    """Every free text the database still holds (redacted ones are gone)."""
    queries = [
        select(Comment.body), select(Comment.quote), select(Comment.suggested_text),
        select(CommentRevision.body), select(Resolution.rationale), select(Flag.reason),
        select(Reopening.reason), select(ModerationAction.reason), select(Document.title),
        select(ClauseText.heading), select(ClauseText.body), select(Version.note),
    ]
    for query in queries:
        for (text,) in db.session.execute(query):
            if text is not None:
                yield text


def _stored_salted_texts() -> Iterator[tuple[str, str]]:
    """Every redactable text still held with the salt of its digest (redacted ones have neither)."""
    queries = [
        select(Comment.body, Comment.body_salt), select(Comment.quote, Comment.quote_salt),
        select(Comment.suggested_text, Comment.suggested_text_salt),
        select(CommentRevision.body, CommentRevision.body_salt), select(Flag.reason, Flag.reason_salt),
        select(Reopening.reason, Reopening.reason_salt), select(Resolution.rationale, Resolution.rationale_salt),
    ]
    for query in queries:
        for text, salt in db.session.execute(query):
            if text is not None and salt is not None:
                yield text, salt


def export_log(directory: str | Path) -> dict:
    """Write the events (JSON lines), the unredacted texts keyed by digest, the checkpoints,
    a MANIFEST of their digests and verify.py into `directory`. For the district and for
    auditors it chooses: hidden texts are included, redacted ones are not (they are gone)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    referenced: set[str] = set()
    count = 0
    with open(target / "events.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        for event in stored_events():
            verify._digests_in(event["data"], referenced)
            handle.write(verify.canonical_json(event) + "\n")
            count += 1
    texts: dict = {}
    for text in _stored_texts():
        digest = verify.sha256_text(text)
        if digest in referenced:
            texts[digest] = text
    for text, salt in _stored_salted_texts():
        digest = verify.hmac_text(text, salt)
        if digest in referenced:
            texts[digest] = {"salt": salt, "text": text}
    checkpoints = {"checkpoints": list_checkpoints()}
    for name, value in (("texts.json", texts), ("checkpoints.json", checkpoints)):
        (target / name).write_text(verify.canonical_json(value) + "\n", encoding="utf-8")
    files = {name: hashlib.sha256((target / name).read_bytes()).hexdigest() for name in verify.EXPORT_FILES}
    (target / "MANIFEST.json").write_text(verify.canonical_json({"files": files}) + "\n", encoding="utf-8")
    shutil.copyfile(Path(verify.__file__), target / "verify.py")
    (target / "README.txt").write_text(EXPORT_README, encoding="utf-8")
    return {"events": count, "texts": len(texts), "checkpoints": len(checkpoints["checkpoints"])}


EXPORT_README = """Common Ground: an export of the event log

events.jsonl      every event, one canonical JSON object a line, in seq order
texts.json        the texts the chain refers to, keyed by their digest: a plain SHA-256
                  (`*_sha256` in events), or for comments an HMAC-SHA256 keyed by a
                  random salt filed with the text as {"salt", "text"} (`*_hmac`)
                  (redacted texts and their salts are gone; hidden ones are included)
checkpoints.json  the chain heads the district published (at versions, period closes, meeting ends)
MANIFEST.json     SHA-256 of the three files above
verify.py         the verifier; it needs only Python 3.10+ and its standard library

Check it:     python3 verify.py .
Against a checkpoint you kept yourself (e.g. saved from the checkpoints page):
              python3 verify.py . --checkpoint my-copy.json
It prints the head (seq and hash); compare it with the one the district published.
"""


def scrub_free_space() -> None:
    """On SQLite, move the redacting transaction out of the write-ahead log into the
    database file and empty the log, so no earlier copy of a redacted text stays in it
    (secure_delete, set on every connection, zeroes the freed space in the file)."""
    if db.engine.dialect.name != "sqlite":
        return
    # The search index forgot the text at once (its trigger), but FTS5 keeps old index
    # segments until they are merged: merge them now, so the words leave the file too.
    db.session.execute(sql_text("INSERT INTO comments_fts(comments_fts) VALUES ('optimize')"))
    db.session.commit()
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _checkpointed = cursor.fetchone()
        cursor.close()
        if busy:
            log.warning("after a redaction the write-ahead log could not be emptied (a reader held it); "
                        "the next checkpoint will")
    finally:
        connection.close()


def scrub_after_redaction(items) -> None:
    """Subscriber to committed changes: after a redaction, no copy of the text stays in
    SQLite's write-ahead log (the redacting transaction must have committed first)."""
    from .events import Notice

    if any(isinstance(item, Notice) and item.kind == "text.redacted" for item in items):
        scrub_free_space()
