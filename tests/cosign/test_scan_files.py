"""A scan's file lives as long as its row: replacing a scan removes the old file once the new one
is committed (never before), and redacting the comment or the person leaving removes it too."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.events import transaction
from collab.errors import Invalid
from collab.extensions import db
from collab.models import CommentScan
from collab.services.accounts import delete_account
from collab.services.intake import ScanUpload, attach_scan, enter_comment_on_behalf
from collab.services.moderation import hide_comment, redact_comment
from tests.conftest import any_database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def scans(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_DIR", str(tmp_path / "scans"))
    return tmp_path / "scans"


@pytest.fixture
def scene(make, scans):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    return type("Scene", (), {"admin": admin, "clause_id": make.clause_ids(document)[0]})


def _entered(scene, person=None):
    return enter_comment_on_behalf(scene.admin, scene.clause_id, source="letter", kind="concern",
                                   on_behalf_of=person or {"name": "Rosa Delgado", "group": "families"},
                                   body="Please keep arrests the very last resort.", scan=ScanUpload("letter.pdf", PDF))


def _files(scans) -> list[str]:
    return sorted(path.name for path in scans.iterdir()) if scans.exists() else []


def _stored_name(comment_id: int) -> str:
    return db.session.execute(select(CommentScan.stored_name).where(CommentScan.comment_id == comment_id)).scalar_one()


@any_database
def test_replacing_a_scan_removes_the_old_file_after_the_new_one_is_stored(scene, scans):
    comment = _entered(scene)
    old = _stored_name(comment.id)
    assert _files(scans) == [old]
    attach_scan(scene.admin, comment.id, ScanUpload("photo.png", PNG))
    new = _stored_name(comment.id)
    assert new != old and _files(scans) == [new]
    assert (scans / new).read_bytes() == PNG


@any_database
def test_a_refused_or_rolled_back_replacement_keeps_the_old_file(scene, scans):
    comment = _entered(scene)
    old = _stored_name(comment.id)
    with pytest.raises(Invalid):
        attach_scan(scene.admin, comment.id, ScanUpload("virus.png", b"MZ\x90\x00"))
    assert _files(scans) == [old]
    with pytest.raises(RuntimeError):
        with transaction():
            attach_scan(scene.admin, comment.id, ScanUpload("photo.png", PNG))
            raise RuntimeError("the commit never happens")
    db.session.expire_all()
    assert _stored_name(comment.id) == old and _files(scans) == [old]
    assert (scans / old).read_bytes() == PDF


@any_database
def test_redacting_the_comment_removes_its_scan_but_hiding_keeps_it(make, scene, scans):
    hidden, redacted = _entered(scene), _entered(scene, person={"name": "Ana Ruiz", "group": "students"})
    kept = _stored_name(hidden.id)
    hide_comment(scene.admin, hidden.id, reason="Off topic for now.")
    redact_comment(scene.admin, redacted.id, reason="The letter names a student.")
    assert _files(scans) == [kept]
    assert db.session.execute(select(CommentScan.comment_id)).scalars().all() == [hidden.id]


@any_database
def test_a_person_leaving_removes_the_scans_of_their_letters(make, scene, scans):
    parent = make.user(group="families", email="parent@example.org")
    theirs = _entered(scene, person={"user_id": parent.id})
    other = _entered(scene)
    delete_account(parent)
    assert _files(scans) == [_stored_name(other.id)]
    assert db.session.get(type(theirs), theirs.id) is not None  # the comment stays
