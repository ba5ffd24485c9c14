"""Comments staff enter for someone from a letter, call, meeting or e-mail: marked with who
entered them and how they came, optionally with a scan only staff may fetch; the person counts,
is answered and reported like anyone."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from collab.errors import Forbidden, Invalid, NotFound, TooLarge
from collab.extensions import db
from collab.models import CommentScan, User
from collab.reads.equity import equity
from collab.services.intake import ScanUpload, enter_comment_on_behalf
from collab.services.resolutions import record_resolution
from collab.services.users import authenticate
from tests.api.helpers import assert_error
from tests.conftest import any_database, events_of
from tests.notifications.helpers import notified, notify

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def scene(make, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_DIR", str(tmp_path / "scans"))
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    return type("Scene", (), {"admin": admin, "document": document, "clause_id": make.clause_ids(document)[2],
                              "facilitator": make.user(role="facilitator", group="district")})


def _enter(scene, actor=None, source="letter", person=None, **extra):
    return enter_comment_on_behalf(actor or scene.admin, scene.clause_id,
                                   on_behalf_of=person or {"name": "Rosa Delgado", "group": "families"},
                                   source=source, body=extra.pop("body", "Please keep arrests the very last resort."),
                                   kind=extra.pop("kind", "concern"), **extra)


@any_database
@pytest.mark.parametrize("source", ["letter", "phone", "meeting", "email"])
def test_each_source_is_marked_and_the_person_cannot_sign_in(make, scene, source):
    comment = _enter(scene, actor=scene.facilitator, source=source)
    person = comment.author
    assert (comment.source, comment.entered_by_id, person.group.slug) == (source, scene.facilitator.id, "families")
    assert person.offline and person.password_hash == "" and person.email.endswith(".invalid")
    with pytest.raises(Exception):
        authenticate(person.email, "")
    [created] = events_of("comment.created")
    assert created.actor_id == scene.facilitator.id
    assert f'"author_id":{person.id}' in created.data and f'"source":"{source}"' in created.data
    assert events_of("user.created")[-1].subject == f"user:{person.id}"


@any_database
def test_an_existing_person_is_reused_by_id_or_email(make, scene):
    parent = make.user(group="students", email="parent@example.org")
    by_id = _enter(scene, person={"user_id": parent.id}, source="phone")
    by_email = _enter(scene, person={"name": "Anyone", "group": "families", "email": "Parent@Example.org"},
                      body="A second letter from the same parent.")
    assert by_id.author_id == by_email.author_id == parent.id
    offline = _enter(scene, body="A third, from someone new.")
    again = _enter(scene, person={"user_id": offline.author_id}, body="And their second letter.")
    assert again.author_id == offline.author_id
    assert db.session.execute(select(func.count()).select_from(User).where(User.offline.is_(True))).scalar_one() == 1


@any_database
def test_only_staff_enter_comments_and_bad_input_is_refused(make, scene):
    with pytest.raises(Forbidden):
        _enter(scene, actor=make.user())
    for bad, code in (({"source": "fax"}, "invalid_source"),
                      ({"person": {"name": "Rosa", "group": "nobody"}}, "invalid_group"),
                      ({"person": {"user_id": 99999}}, "person_not_found"),
                      ({"person": {"user_id": scene.admin.id}}, "on_behalf_of_self"),
                      ({"person": "Rosa"}, "invalid_on_behalf_of")):
        with pytest.raises((Invalid, NotFound)) as refused:
            _enter(scene, **bad)
        assert refused.value.code == code
    assert events_of("comment.created") == []


@any_database
@pytest.mark.parametrize("data, content_type", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_a_scan_is_kept_outside_static_and_served_only_to_staff(client, make, scene, data, content_type):
    comment = _enter(scene, scan=ScanUpload("letter from Rosa.bin", data))
    scan = db.session.execute(select(CommentScan)).scalar_one()
    assert (scan.content_type, scan.size, scan.filename) == (content_type, len(data), "letter from Rosa.bin")
    url = f"/api/v1/comments/{comment.id}/scan"
    answer = client.get(url, headers=make.bearer(scene.facilitator))
    assert answer.status_code == 200 and answer.data == data and answer.mimetype == content_type
    assert "no-store" in answer.headers["Cache-Control"] and answer.headers["Content-Disposition"].startswith(
        "attachment")
    assert_error(client.get(url, headers=make.bearer(make.user())), 403)
    assert_error(client.get(url), 401)


@any_database
def test_a_bad_scan_stores_nothing(make, scene, tmp_path):
    for upload, error in ((ScanUpload("letter.pdf", b"<html>not a pdf</html>"), Invalid),
                          (ScanUpload("empty.pdf", b""), Invalid),
                          (ScanUpload("huge.pdf", PDF + b"0" * (4 * 1024 * 1024)), TooLarge)):
        with pytest.raises(error):
            _enter(scene, scan=upload)
    assert events_of("comment.created") == []
    assert not (tmp_path / "scans").exists() or not any((tmp_path / "scans").iterdir())


@any_database
def test_the_api_extends_comment_creation_and_attaches_scans(client, make, scene):
    url = f"/api/v1/clauses/{scene.clause_id}/comments"
    body = {"body": "Read out at the microphone: no officers at the pickup line.", "kind": "concern",
            "on_behalf_of": {"name": "Sam Ortiz", "group": "community"}, "source": "meeting"}
    made = client.post(url, json=body, headers=make.bearer(scene.admin))
    assert made.status_code == 201, made.get_json()
    comment = made.get_json()["comment"]
    assert comment["source"] == "meeting" and comment["entered_by"] == {"id": scene.admin.id,
                                                                        "name": scene.admin.name}
    assert comment["author"]["name"] == "Sam Ortiz" and comment["author"]["group"] == "community"
    assert_error(client.post(url, json=body, headers=make.bearer(make.user())), 403)
    assert_error(client.post(url, json={**body, "source": "pigeon"}, headers=make.bearer(scene.admin)), 400,
                 "invalid_source")
    scan_url = f"/api/v1/comments/{comment['id']}/scan"
    attached = client.post(scan_url, data={"scan": (io.BytesIO(PNG), "photo.png")},
                           headers=make.bearer(scene.admin), content_type="multipart/form-data")
    assert attached.status_code == 201 and attached.get_json()["scan"]["content_type"] == "image/png"
    assert_error(client.post(scan_url, data={"scan": (io.BytesIO(b"MZ\x90\x00"), "virus.png")},
                             headers=make.bearer(scene.admin), content_type="multipart/form-data"), 400, "scan_type")
    assert_error(client.post(scan_url, data={}, headers=make.bearer(scene.admin),
                             content_type="multipart/form-data"), 400, "scan_missing")


@any_database
def test_they_count_are_answered_and_reported_like_any_other(app, client, make, scene):
    comment = _enter(scene, source="letter", person={"name": "Rosa Delgado", "group": "students"})
    make.comment(make.user(group="families"), scene.clause_id, body="Written on the site.")
    groups = {row["group"]: row for row in equity(scene.document.id)["groups"]}
    assert groups["students"]["comments"] == 1 and groups["families"]["comments"] == 1
    record_resolution(scene.admin, comment.id, disposition="accepted", rationale="Thank you, we agree.")
    notify(app)
    assert notified("comment_answered") == []  # nobody to tell online: the district writes back on paper
    report = client.get(f"/api/v1/documents/{scene.document.id}/report.json",
                        headers=make.bearer(scene.admin)).get_json()
    row = next(r for r in report["rows"] if r["comment_id"] == comment.id)
    assert row["source"] == "letter" and row["disposition"] == "accepted" and row["group"] == "students"
    csv_text = client.get(f"/api/v1/documents/{scene.document.id}/report.csv",
                          headers=make.bearer(scene.admin)).get_data(as_text=True)
    assert csv_text.splitlines()[0].endswith(",source,cosigners") and ",letter,0" in csv_text
