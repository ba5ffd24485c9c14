"""Tampering with a copy of the database is caught by `events verify`; the export verifies offline."""
import json
import sqlite3
import subprocess
import sys

import pytest

from collab import create_app
from collab.events import canonical_json, compute_hash
from tests.conftest import _config_dict, any_database

pytestmark = pytest.mark.real_commits  # the tests copy the SQLite file


@pytest.fixture
def history(make, app):
    """A document, an open period, comments, a resolution and the period's close (a checkpoint)."""
    from collab.services.documents import close_period
    from collab.services.resolutions import record_resolution

    document = make.document()
    admin = make.admin()
    period = make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    author = make.user(group="families")
    comments = [make.comment(author, clause_ids[i % 3], body=f"Concern number {i}.") for i in range(6)]
    record_resolution(admin, comments[0].id, disposition="accepted", rationale="Clause 1 changed.")
    close_period(admin, period.id)
    return document, comments


def _copy(app, tmp_path):
    """A consistent copy of the test's SQLite file, without the append-only triggers (an attacker
    with access to the file can drop them)."""
    source = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    target = tmp_path / "copy.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    connection = sqlite3.connect(target)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        connection.execute(f'DROP TRIGGER "{name}"')
    connection.commit()
    return target, connection


def _verify(path, *args):
    copy_app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    from collab.extensions import db

    with copy_app.app_context():  # the command runs in the innermost app context
        result = copy_app.test_cli_runner().invoke(args=["events", "verify", *args])
        db.session.remove()
        db.engine.dispose()
    return result


def _checkpoint_file(client, make, tmp_path):
    response = client.get("/api/v1/events/checkpoints", headers=make.bearer(make.admin()))
    path = tmp_path / "kept-checkpoints.json"
    path.write_text(json.dumps(response.get_json()))
    return path


def _rows(connection):
    return connection.execute(
        "SELECT seq, at, actor_id, action, document_id, subject, data, prev_hash, hash FROM events ORDER BY seq"
    ).fetchall()


def _rehash_from(connection, first_seq):
    """What a careful attacker does after an edit: recompute every later hash and the head."""
    rows = _rows(connection)
    previous = rows[first_seq - 2][8] if first_seq > 1 else "0" * 64
    for seq, at, actor, action, document_id, subject, data, _prev, _hash in rows[first_seq - 1:]:
        fields = {"seq": seq, "at": at.replace(" ", "T") + "Z" if "T" not in at else at, "actor": actor,
                  "action": action, "document_id": document_id, "subject": subject, "data": json.loads(data)}
        fields["at"] = _iso(at)
        new_hash = compute_hash(previous, fields)
        connection.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", (previous, new_hash, seq))
        previous = new_hash
    connection.execute("UPDATE chain_head SET seq = ?, hash = ?", (rows[-1][0], previous))
    connection.execute("DELETE FROM checkpoints")
    connection.commit()


def _iso(stored: str) -> str:
    from datetime import datetime

    from collab.timeutil import isoformat

    return isoformat(datetime.fromisoformat(stored))


def test_untouched_log_verifies(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    connection.close()
    result = _verify(path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_an_edited_event_is_named(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    connection.execute("UPDATE events SET data = replace(data, '\"accepted\"', '\"declined\"') "
                       "WHERE action = 'resolution.recorded'")
    [(seq,)] = connection.execute("SELECT seq FROM events WHERE action = 'resolution.recorded'").fetchall()
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1
    assert f"first bad seq {seq}:" in result.output and "altered" in result.output


def test_two_swapped_events_are_caught_at_the_first(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    rows = {r[0]: r for r in _rows(connection)}
    for a, b in ((5, 8), (8, 5)):
        connection.execute("UPDATE events SET at = ?, actor_id = ?, action = ?, document_id = ?, subject = ?, "
                           "data = ?, prev_hash = ?, hash = ? WHERE seq = ?", (*rows[b][1:], a + 1000))
    connection.execute("DELETE FROM events WHERE seq IN (5, 8)")
    connection.execute("UPDATE events SET seq = seq - 1000 WHERE seq > 1000")
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1 and "first bad seq 5:" in result.output


def test_a_deleted_event_in_the_middle_is_named(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    connection.execute("DELETE FROM events WHERE seq = 6")
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1 and "first bad seq 6:" in result.output and "missing" in result.output


def test_an_inserted_event_is_caught(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    rows = _rows(connection)
    connection.execute("UPDATE events SET seq = -seq WHERE seq >= 6")
    connection.execute("UPDATE events SET seq = 1 - seq WHERE seq < 0")  # shifted up by one
    forged = rows[5]
    fields = {"seq": 6, "at": _iso(forged[1]), "actor": forged[2], "action": "comment.created",
              "document_id": forged[4], "subject": "comment:99", "data": {"comment_id": 99}}
    connection.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (6, forged[1], forged[2], "comment.created", forged[4], "comment:99",
                        canonical_json({"comment_id": 99}), rows[4][8], compute_hash(rows[4][8], fields)))
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1 and "first bad seq 7:" in result.output


def test_deleting_the_last_events_is_caught_by_the_stored_head(history, app, tmp_path):
    path, connection = _copy(app, tmp_path)
    connection.execute("DELETE FROM events WHERE seq > (SELECT MAX(seq) - 2 FROM events)")
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1 and "truncated" in result.output  # the stored checkpoint shows it
    connection.execute("DELETE FROM checkpoints")
    connection.commit()
    result = _verify(path)
    assert result.exit_code == 1 and "chain head" in result.output


def test_truncation_that_also_rewrites_the_head_is_caught_with_a_checkpoint(history, app, client, make, tmp_path):
    kept = _checkpoint_file(client, make, tmp_path)
    path, connection = _copy(app, tmp_path)
    [(last,)] = connection.execute("SELECT MAX(seq) FROM events").fetchall()
    keep = last - 3
    connection.execute("DELETE FROM events WHERE seq > ?", (keep,))
    connection.execute("UPDATE chain_head SET seq = ?, hash = (SELECT hash FROM events WHERE seq = ?)", (keep, keep))
    connection.execute("DELETE FROM checkpoints")
    connection.commit()
    assert _verify(path).exit_code == 0  # without an outside copy this cut cannot be seen
    result = _verify(path, "--checkpoint", str(kept))
    assert result.exit_code == 1
    assert f"first bad seq {keep + 1}:" in result.output and "truncated" in result.output


def test_rehashing_after_an_edit_is_caught_with_a_checkpoint(history, app, client, make, tmp_path):
    kept = _checkpoint_file(client, make, tmp_path)
    checkpoint_seq = json.loads(kept.read_text())["checkpoints"][-1]["seq"]
    path, connection = _copy(app, tmp_path)
    connection.execute("UPDATE events SET subject = subject || 'x' WHERE seq = 4")
    connection.commit()
    assert "first bad seq 4:" in _verify(path).output
    _rehash_from(connection, 4)
    assert _verify(path).exit_code == 0
    result = _verify(path, "--checkpoint", str(kept))
    assert result.exit_code == 1 and f"first bad seq {checkpoint_seq}:" in result.output
    assert "re-hashed" in result.output


def test_a_single_checkpoint_file_is_accepted(history, app, client, make, tmp_path):
    response = client.get("/api/v1/events/checkpoints", headers=make.bearer(make.admin()))
    single = tmp_path / "one.json"
    single.write_text(json.dumps(response.get_json()["checkpoints"][-1]))
    path, connection = _copy(app, tmp_path)
    connection.close()
    assert _verify(path, "--checkpoint", str(single)).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"nothing": 1}')
    assert _verify(path, "--checkpoint", str(bad)).exit_code == 2


@any_database
def test_verify_endpoint_is_for_admins(history, client, make):
    answer = client.get("/api/v1/events/verify", headers=make.bearer(make.admin()))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True and body["count"] == body["head_seq"] > 0 and len(body["head"]) == 64
    assert client.get("/api/v1/events/verify", headers=make.bearer(make.user())).status_code == 403
    assert client.get("/api/v1/events/verify").status_code == 401


def test_export_verifies_offline_with_the_same_head(history, app, runner, tmp_path):
    from collab.audit import verify_database
    from collab.services.moderation import redact_comment

    document, comments = history
    redact_comment(app.extensions["sqlalchemy"].session.query(__import__("collab.models", fromlist=["User"]).User)
                   .filter_by(role="admin").first(), comments[1].id, reason="Names a student")
    out = tmp_path / "export"
    result = runner.invoke(args=["events", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert "Concern number 1." not in (out / "texts.json").read_text()
    assert "Concern number 2." in (out / "texts.json").read_text()
    offline = subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)],
                             capture_output=True, text=True, cwd=tmp_path)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert verify_database().head_hash in offline.stdout


def test_changing_any_byte_of_the_export_fails_verification(history, runner, tmp_path):
    from collab.verify import verify_export

    out = tmp_path / "export"
    runner.invoke(args=["events", "export", str(out)])
    assert verify_export(str(out)).ok
    for name in ("events.jsonl", "texts.json", "checkpoints.json", "MANIFEST.json"):
        original = (out / name).read_bytes()
        for position in range(0, len(original), max(1, len(original) // 120)):
            changed = bytearray(original)
            changed[position] ^= 0x01
            (out / name).write_bytes(bytes(changed))
            assert not verify_export(str(out)).ok, (name, position)
        (out / name).write_bytes(original)
    offline = subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)], capture_output=True)
    assert offline.returncode == 0
    (out / "events.jsonl").write_bytes((out / "events.jsonl").read_bytes().replace(b"Concern", b"Cancern", 1)
                                       or b"")
    data = (out / "events.jsonl").read_bytes()
    (out / "events.jsonl").write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
    offline = subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out)], capture_output=True, text=True)
    assert offline.returncode == 1 and "FAILED" in offline.stdout


def test_the_verifier_hashes_exactly_as_the_server_does(history):
    from collab.audit import stored_events
    from collab.verify import event_hash

    for event in stored_events():
        assert event_hash(event["prev_hash"], event) == event["hash"]


# --- the offline verifier fails cleanly on deeply nested input (issue 11, item 11) ------------

DEEP = "[" * 100_000 + "]" * 100_000


def _run_verifier(out, *extra):
    return subprocess.run([sys.executable, "-I", str(out / "verify.py"), str(out), *extra],
                          capture_output=True, text=True, timeout=60)


def _rewrite_manifest(out) -> None:
    import hashlib

    manifest = json.loads((out / "MANIFEST.json").read_text())
    for name in manifest["files"]:
        manifest["files"][name] = hashlib.sha256((out / name).read_bytes()).hexdigest()
    (out / "MANIFEST.json").write_text(canonical_json(manifest) + "\n")


@pytest.mark.parametrize("target, content", [
    ("MANIFEST.json", DEEP), ("events.jsonl", DEEP), ("texts.json", DEEP),
    # Shallow enough to parse, too deep to check further.
    ("events.jsonl", "[" * 900 + "]" * 900), ("texts.json", "[" * 900 + "]" * 900)],
    ids=["manifest", "events", "texts", "events-900", "texts-900"])
def test_the_verifier_fails_cleanly_on_deeply_nested_json(history, runner, tmp_path, target, content):
    out = tmp_path / "export"
    assert runner.invoke(args=["events", "export", str(out)]).exit_code == 0
    (out / target).write_text(content + "\n")
    if target != "MANIFEST.json":
        _rewrite_manifest(out)  # as a forger would, so that the nested file is read at all
    offline = _run_verifier(out)
    assert offline.returncode == 1, offline.stdout + offline.stderr
    assert offline.stdout.startswith("FAILED") and "Traceback" not in offline.stderr + offline.stdout


def test_the_verifier_refuses_a_deeply_nested_checkpoint_file_cleanly(history, runner, tmp_path):
    out = tmp_path / "export"
    assert runner.invoke(args=["events", "export", str(out)]).exit_code == 0
    (tmp_path / "checkpoint.json").write_text(DEEP)
    offline = _run_verifier(out, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert offline.returncode == 2 and "cannot read the checkpoint file" in offline.stderr
    assert "Traceback" not in offline.stderr
