#!/usr/bin/env python3
"""Verify Common Ground's hash-chained event log. Needs only Python's standard library.

The same file checks the live database (`flask --app app events verify`) and, copied
into an export as verify.py, lets anyone check an export offline:

    python3 verify.py EXPORT_DIR [--checkpoint FILE]

Each event's hash is SHA-256 over the previous event's hash followed by the canonical
JSON (keys sorted, no spaces, UTF-8) of {seq, at, actor, action, document_id, subject,
data}. Free texts never enter the chain, only their digests, so a text can be redacted
while the chain still verifies. A key in data says which digest it holds:
  `*_sha256`  plain SHA-256 of the UTF-8 text (events written before salted digests, and
              public texts such as clauses and titles);
  `*_hmac`    HMAC-SHA256 of the UTF-8 text keyed by a random per-text salt (hex) that is
              stored beside the text and deleted with it at redaction, so a short redacted
              text cannot be confirmed by guessing. texts.json files such a text as
              {"salt": ..., "text": ...} under its digest. A checkpoint is a published
(seq, head_hash): a log that no longer extends it was truncated or rewritten.

Exit status: 0 when everything holds, 1 when not (naming the first bad seq), 2 on usage errors.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable

GENESIS_HASH = "0" * 64
EVENT_KEYS = {"seq", "at", "actor", "action", "document_id", "subject", "data", "prev_hash", "hash"}
CHAINED_KEYS = ("seq", "at", "actor", "action", "document_id", "subject", "data")
EXPORT_FILES = ("events.jsonl", "texts.json", "checkpoints.json")


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: dict) -> str:
    fields = {key: event[key] for key in CHAINED_KEYS}
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hmac_text(text: str, salt: str) -> str:
    """The salted digest of a redactable text: HMAC-SHA256 keyed by the salt's bytes."""
    return hmac.new(bytes.fromhex(salt), text.encode("utf-8"), hashlib.sha256).hexdigest()


DIGEST_SUFFIXES = ("_sha256", "_hmac")


@dataclass
class Report:
    ok: bool = True
    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    bad_seq: int | None = None
    problem: str | None = None
    notes: list = field(default_factory=list)

    def fail(self, seq: int | None, problem: str) -> "Report":
        if self.ok:  # keep the first problem
            self.ok, self.bad_seq, self.problem = False, seq, problem
        return self

    def to_dict(self) -> dict:
        return {"ok": self.ok, "count": self.count, "head": self.head_hash, "head_seq": self.head_seq,
                "bad_seq": self.bad_seq, "problem": self.problem}

    def summary(self) -> str:
        if self.ok:
            return f"OK: {self.count} events verified; head seq {self.head_seq}, hash {self.head_hash}"
        where = f"first bad seq {self.bad_seq}: " if self.bad_seq is not None else ""
        return f"FAILED: {where}{self.problem}"


def _checkpoint_list(checkpoints: Iterable[dict] | None) -> list[dict]:
    cleaned = []
    for item in checkpoints or []:
        if not isinstance(item, dict) or not isinstance(item.get("seq"), int) \
                or not isinstance(item.get("head_hash"), str):
            raise ValueError("a checkpoint must be an object with an integer seq and a head_hash")
        cleaned.append(item)
    return sorted(cleaned, key=lambda c: c["seq"])


def verify_chain(events: Iterable[dict], checkpoints: Iterable[dict] | None = None) -> Report:
    """Check events (dicts as GET /events shows them) in the order given: consecutive
    seq from 1, each linked to the one before, each hash right, and every checkpoint
    extended by the log."""
    report = Report()
    wanted = {c["seq"]: c for c in _checkpoint_list(checkpoints)}
    seen_at_checkpoint: dict[int, str] = {0: GENESIS_HASH}
    previous_hash, expected_seq = GENESIS_HASH, 1
    for event in events:
        if not isinstance(event, dict) or set(event) != EVENT_KEYS:
            return report.fail(expected_seq, f"the record after seq {expected_seq - 1} is not a well-formed event")
        seq = event["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            return report.fail(expected_seq, "an event's seq is not a whole number")
        if seq > expected_seq:
            return report.fail(expected_seq, f"event seq {expected_seq} is missing (removed); the next one is {seq}")
        if seq < expected_seq:
            return report.fail(seq, f"event seq {seq} appears after seq {expected_seq - 1} (reordered or inserted)")
        if event["prev_hash"] != previous_hash:
            return report.fail(seq, f"event seq {seq} does not link to the event before it "
                                    "(an event was removed, inserted or reordered)")
        try:
            computed = event_hash(previous_hash, event)
        except (TypeError, ValueError, RecursionError) as error:
            return report.fail(seq, f"event seq {seq} cannot be hashed: {error}")
        if computed != event["hash"]:
            return report.fail(seq, f"event seq {seq} was altered: its content does not match its hash")
        previous_hash, expected_seq = computed, seq + 1
        report.count += 1
        if seq in wanted:
            seen_at_checkpoint[seq] = computed
    report.head_seq, report.head_hash = expected_seq - 1, previous_hash
    last_good = 0
    for seq, checkpoint in sorted(wanted.items()):
        if seq > report.head_seq:
            return report.fail(report.head_seq + 1,
                               f"the log ends at seq {report.head_seq}, but a checkpoint shows seq {seq} "
                               "existed: events were removed from the end (truncated)")
        if seen_at_checkpoint.get(seq) != checkpoint["head_hash"]:
            return report.fail(seq, f"the log no longer extends the checkpoint at seq {seq}: an event between "
                                    f"seq {last_good + 1} and seq {seq} was altered and the chain re-hashed")
        last_good = seq
    if wanted:
        report.notes.append(f"extends {len(wanted)} checkpoint(s), the last at seq {max(wanted)}")
    return report


def load_checkpoints(path: str) -> list[dict]:
    """A checkpoint file: the JSON of GET /api/v1/events/checkpoints, a list of checkpoints,
    or a single checkpoint {seq, head_hash}."""
    with open(path, encoding="utf-8") as handle:
        value = json.load(handle)
    if isinstance(value, dict) and "checkpoints" in value:
        value = value["checkpoints"]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("the checkpoint file holds no checkpoints")
    return _checkpoint_list(value)


def _digests_in(value, found: set) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith(DIGEST_SUFFIXES):
                if isinstance(item, str):
                    found.add(item)
                elif isinstance(item, list):
                    found.update(x for x in item if isinstance(x, str))
            else:
                _digests_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _digests_in(item, found)


def _read_exact_json(path: str):
    """Parse a JSON file that must be exactly its canonical form plus a newline."""
    with open(path, "rb") as handle:
        raw = handle.read()
    value = json.loads(raw.decode("utf-8"))
    if raw != (canonical_json(value) + "\n").encode("utf-8"):
        raise ValueError(f"{os.path.basename(path)} is not in canonical form")
    return value


def verify_export(directory: str, checkpoints: list[dict] | None = None) -> Report:
    """Check an export made by `flask --app app events export DIR`."""
    report = Report()
    try:
        manifest = _read_exact_json(os.path.join(directory, "MANIFEST.json"))
        if not isinstance(manifest, dict) or set(manifest.get("files", {})) != set(EXPORT_FILES):
            return report.fail(None, "MANIFEST.json does not list the export's files")
        for name in EXPORT_FILES:
            with open(os.path.join(directory, name), "rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() != manifest["files"][name]:
                    return report.fail(None, f"{name} does not match its digest in MANIFEST.json")
        texts = _read_exact_json(os.path.join(directory, "texts.json"))
        published = _read_exact_json(os.path.join(directory, "checkpoints.json"))
        events = []
        with open(os.path.join(directory, "events.jsonl"), "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8")
                event = json.loads(line)
                if line != canonical_json(event) + "\n":
                    return report.fail(number, f"line {number} of events.jsonl is not in canonical form")
                events.append(event)
    except (OSError, ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return report.fail(None, f"the export cannot be read: {error}")
    if not isinstance(published, dict) or not isinstance(published.get("checkpoints"), list):
        return report.fail(None, "checkpoints.json holds no checkpoint list")
    try:
        all_checkpoints = _checkpoint_list(published["checkpoints"]) + _checkpoint_list(checkpoints)
    except ValueError as error:
        return report.fail(None, str(error))
    report = verify_chain(events, all_checkpoints)
    if not report.ok:
        return report
    referenced: set = set()
    for event in events:
        _digests_in(event["data"], referenced)
    if not isinstance(texts, dict):
        return report.fail(None, "texts.json is not an object of digest -> text")
    for digest, text in texts.items():
        if isinstance(text, dict) and set(text) == {"salt", "text"}:
            try:
                matches = hmac_text(text["text"], text["salt"]) == digest
            except (AttributeError, TypeError, ValueError):
                matches = False
        else:
            matches = isinstance(text, str) and sha256_text(text) == digest
        if not matches:
            return report.fail(None, f"the text filed under digest {digest} does not have that digest")
        if digest not in referenced:
            return report.fail(None, f"the text filed under digest {digest} is not referenced by any event")
    report.notes.append(f"{len(texts)} texts match their digests in the chain "
                        f"({len(referenced) - len(texts)} referenced digests have no text: redacted or not exported)")
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Verify a Common Ground event-log export offline.")
    parser.add_argument("directory", nargs="?", default=os.path.dirname(os.path.abspath(__file__)),
                        help="the export directory (default: the directory holding this script)")
    parser.add_argument("--checkpoint", action="append", default=[],
                        help="a checkpoint file you kept (GET /api/v1/events/checkpoints, or one checkpoint)")
    args = parser.parse_args(argv)
    try:
        extra = [c for path in args.checkpoint for c in load_checkpoints(path)]
    except (OSError, ValueError, RecursionError) as error:
        print(f"cannot read the checkpoint file: {error}", file=sys.stderr)
        return 2
    try:
        report = verify_export(args.directory, extra)
    except RecursionError:
        # JSON nested deeper than Python's stack: no export we write is, so it was altered.
        report = Report().fail(None, "the export holds JSON nested too deeply to check")
    print(report.summary())
    for note in report.notes:
        print("  " + note)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
