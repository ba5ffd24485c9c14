"""Co-signing: once per person, withdrawn while the period is open, never one's own comment,
counted by group from the aggregates, sorted on, told live and told of the answer."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.errors import Conflict, Forbidden, Invalid, NotFound
from collab.extensions import db
from collab.models import Comment, Cosignature, CosignerCount
from collab.services.cosigning import cosign_comment, withdraw_cosignature
from collab.services.documents import close_period
from collab.services.moderation import hide_comment
from collab.services.resolutions import record_resolution
from tests.api.helpers import assert_error
from tests.conftest import any_database, events_of
from tests.notifications.helpers import notified, notify
from tests.realtime.helpers import join, received


@pytest.fixture
def scene(make):
    admin = make.admin()
    document = make.document(admin=admin)
    period = make.open_period(document, admin)
    author = make.user(group="families")
    clause_id = make.clause_ids(document)[1]
    comment = make.comment(author, clause_id, body="Officers should never search student lockers without cause.")
    return type("Scene", (), {"admin": admin, "document": document, "period": period, "author": author,
                              "clause_id": clause_id, "comment": comment})


@any_database
def test_cosigning_counts_once_per_person_by_group_and_is_logged(make, scene):
    first, second, student = make.user(group="families"), make.user(group="families"), make.user(group="students")
    assert cosign_comment(first, scene.comment.id) == {"count": 1, "by_group": {"families": 1}}
    cosign_comment(second, scene.comment.id)
    assert cosign_comment(student, scene.comment.id) == {"count": 3, "by_group": {"families": 2, "students": 1}}
    with pytest.raises(Conflict) as again:
        cosign_comment(first, scene.comment.id)
    assert again.value.code == "already_cosigned"
    db.session.expire_all()
    comment = db.session.get(Comment, scene.comment.id)
    assert comment.cosigner_count == 3
    assert {(r.group.slug, r.count) for r in db.session.execute(select(CosignerCount)).scalars()} == \
        {("families", 2), ("students", 1)}
    events = events_of("comment.cosigned")
    assert [e.actor_id for e in events] == [first.id, second.id, student.id]
    assert '"count":3' in events[-1].data and '"group":"students"' in events[-1].data


@any_database
def test_withdrawing_lowers_the_counts_and_is_logged(make, scene):
    person = make.user(group="students")
    cosign_comment(person, scene.comment.id)
    assert withdraw_cosignature(person, scene.comment.id) == {"count": 0, "by_group": {}}
    assert [e.actor_id for e in events_of("comment.cosign_withdrawn")] == [person.id]
    with pytest.raises(NotFound) as twice:
        withdraw_cosignature(person, scene.comment.id)
    assert twice.value.code == "not_cosigned"
    # Withdrawn, a name may be added again.
    assert cosign_comment(person, scene.comment.id)["count"] == 1


@any_database
def test_a_closed_period_stops_cosigning_and_withdrawing(make, scene):
    person, late = make.user(), make.user()
    cosign_comment(person, scene.comment.id)
    close_period(scene.admin, scene.period.id)
    for action, who in ((cosign_comment, late), (withdraw_cosignature, person)):
        with pytest.raises(Conflict) as closed:
            action(who, scene.comment.id)
        assert closed.value.code == "commenting_closed"
        assert "Co-signing is closed" in closed.value.message
    assert db.session.execute(select(Cosignature.user_id)).scalars().all() == [person.id]


@any_database
def test_own_comment_replies_hidden_comments_and_observers_are_refused(make, scene):
    with pytest.raises(Forbidden) as own:
        cosign_comment(scene.author, scene.comment.id)
    assert own.value.code == "own_comment"
    with pytest.raises(Forbidden):
        cosign_comment(make.user(role="observer"), scene.comment.id)
    reply = make.comment(make.user(), scene.clause_id, body="Agreed.", kind=None, parent_id=scene.comment.id)
    with pytest.raises(Invalid) as on_reply:
        cosign_comment(make.user(), reply.id)
    assert on_reply.value.code == "cosign_reply"
    hide_comment(scene.admin, scene.comment.id, reason="Names a student.")
    with pytest.raises(Conflict) as hidden:
        cosign_comment(make.user(), scene.comment.id)
    assert hidden.value.code == "comment_hidden"
    with pytest.raises(NotFound):
        cosign_comment(make.user(), 987654)
    assert events_of("comment.cosigned") == []


@any_database
def test_the_api_answers_201_then_409_and_204_and_comments_carry_cosigners(client, make, scene):
    person = make.user(group="students")
    headers = make.bearer(person)
    url = f"/api/v1/comments/{scene.comment.id}/cosign"
    first = client.post(url, headers=headers)
    assert first.status_code == 201
    assert first.get_json()["cosigners"] == {"count": 1, "by_group": {"students": 1}}
    assert_error(client.post(url, headers=headers), 409, "already_cosigned")
    assert_error(client.post(url), 401)
    listed = client.get(f"/api/v1/documents/{scene.document.id}/comments").get_json()["comments"]
    assert listed[0]["cosigners"] == {"count": 1, "by_group": {"students": 1}}
    assert listed[0]["entered_by"] is None and listed[0]["source"] is None
    assert client.delete(url, headers=headers).status_code == 204
    assert_error(client.delete(url, headers=headers), 404, "not_cosigned")
    assert_error(client.post(url, headers=make.bearer(scene.author)), 403, "own_comment")


@any_database
def test_sort_cosigned_pages_by_count_then_newest_without_repeats_or_gaps(client, make, scene):
    people = [make.user(group=g) for g in ("families", "students", "community", "families")]
    comments = [scene.comment] + [make.comment(make.user(), scene.clause_id, body=f"Point number {i}.")
                                  for i in range(6)]
    # Counts 0..3 spread so ties need the id as well.
    wanted = {comments[0].id: 3, comments[2].id: 2, comments[3].id: 2, comments[5].id: 1}
    for comment_id, count in wanted.items():
        for person in people[:count]:
            cosign_comment(person, comment_id)
    expected = sorted((c.id for c in comments), key=lambda i: (-wanted.get(i, 0), -i))
    seen, cursor = [], None
    while True:
        args = {"sort": "cosigned", "limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = client.get(f"/api/v1/documents/{scene.document.id}/comments", query_string=args).get_json()
        assert answer["sort"] == "cosigned" and answer["notice"] is None
        seen += [c["id"] for c in answer["comments"]]
        cursor = answer["next"]
        if cursor is None:
            break
    assert seen == expected
    # A newest-first cursor does not page the co-signed order.
    newest = client.get(f"/api/v1/documents/{scene.document.id}/comments",
                        query_string={"sort": "newest", "limit": 2}).get_json()["next"]
    assert_error(client.get(f"/api/v1/documents/{scene.document.id}/comments",
                            query_string={"sort": "cosigned", "cursor": newest}), 400, "invalid_cursor")


@any_database
def test_cosigning_goes_live_after_the_commit_with_the_counts(make, scene, socket_client):
    reader = make.user(group="community")
    sock = socket_client(token=make.token(reader))
    join(sock, scene.document.id)
    received(sock)
    person = make.user(group="students")
    cosign_comment(person, scene.comment.id)
    [payload] = received(sock, "comment.cosigned")
    assert payload["cosigners"] == {"count": 1, "by_group": {"students": 1}}
    assert payload["comment"]["id"] == scene.comment.id and payload["actor"] == person.id
    withdraw_cosignature(person, scene.comment.id)
    [withdrawn] = received(sock, "comment.cosign_withdrawn")
    assert withdrawn["cosigners"] == {"count": 0, "by_group": {}}
    # A client that was away catches up with the counts as they are now.
    late = socket_client(token=make.token(make.user()))
    missed = join(late, scene.document.id, since=scene.comment.seq)["missed"]
    assert [m["cosigners"] for m in missed if m["action"].startswith("comment.cosign")] == \
        [{"count": 0, "by_group": {}}] * 2


@any_database
def test_cosigners_hear_of_the_answer_and_a_withdrawn_one_does_not(app, make, scene):
    staying, leaving = make.user(group="students"), make.user(group="community")
    cosign_comment(staying, scene.comment.id)
    cosign_comment(leaving, scene.comment.id)
    withdraw_cosignature(leaving, scene.comment.id)
    record_resolution(scene.admin, scene.comment.id, disposition="accepted", rationale="We agree and will add it.")
    notify(app)
    assert notified("comment_answered") == [(scene.author.id, "comment_answered")]
    assert notified("cosigned_answered") == [(staying.id, "cosigned_answered")]


@any_database
def test_a_name_may_be_taken_off_a_comment_hidden_since(make, scene):
    person = make.user(group="students")
    cosign_comment(person, scene.comment.id)
    hide_comment(scene.admin, scene.comment.id, reason="Names a student.")
    assert withdraw_cosignature(person, scene.comment.id) == {"count": 0, "by_group": {}}
