"""The campaigns JSON API: list, members with personal text (paged), confirm, split, answer;
hidden and redacted text never leaks."""
import pytest

from collab.extensions import db
from collab.models import Campaign
from tests.api.helpers import Api, assert_error, stored_rows
from tests.campaigns.helpers import FORM, PERSONAL
from tests.conftest import any_database


@pytest.fixture
def setting(client, make):
    from collab.services.campaign_grouping import group_all

    api = Api(client, make)
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    people = [api.user(group=g) for g in ("families", "families", "students", "educators")]
    comments = [make.comment(p, clause_id, body=FORM) for p in people[:3]]
    comments.append(make.comment(people[3], clause_id, body=f"{FORM}\n\n{PERSONAL}"))
    group_all(document.id)
    api.headers(admin)
    return api, document, admin, people, comments, db.session.query(Campaign).one()


@any_database
def test_a_documents_campaigns_show_counts_by_group(setting):
    api, document, _admin, people, comments, campaign = setting
    body = api.get(f"/documents/{document.id}/campaigns", people[0]).get_json()
    assert body["next"] is None
    [shown] = body["campaigns"]
    assert shown["id"] == campaign.id and shown["representative_id"] == comments[0].id
    assert shown["count"] == 4 and shown["unique_count"] == 1
    assert shown["by_group"] == {"educators": 1, "families": 2, "students": 1}
    # Without an account on a public document too.
    assert api.get(f"/documents/{document.id}/campaigns").status_code == 200
    assert_error(api.get("/documents/9999/campaigns", people[0]), 404)


@any_database
def test_members_come_page_by_page_with_their_personal_text(setting):
    api, _document, _admin, people, comments, campaign = setting
    first = api.get(f"/campaigns/{campaign.id}?limit=3", people[0]).get_json()
    assert first["campaign"]["count"] == 4 and first["campaign"]["representative"]["body"] == FORM
    assert [m["id"] for m in first["members"]] == [c.id for c in comments[:3]]
    assert first["members"][0]["is_representative"] and first["members"][1]["personal_text"] is None
    second = api.get(f"/campaigns/{campaign.id}?limit=3&cursor={first['next']}", people[0]).get_json()
    [last] = second["members"]
    assert last["id"] == comments[3].id and last["personal_text"] == PERSONAL and last["is_unique"]
    assert second["next"] is None
    assert_error(api.get(f"/campaigns/{campaign.id}?cursor=nonsense", people[0]), 400, "invalid_cursor")
    assert_error(api.get("/campaigns/9999", people[0]), 404)


@any_database
def test_a_redacted_members_personal_text_is_gone(setting):
    from collab.services.moderation import redact_comment

    api, _document, admin, people, comments, campaign = setting
    redact_comment(admin, comments[3].id, reason="A child's name.")
    members = api.get(f"/campaigns/{campaign.id}", people[0]).get_json()["members"]
    assert PERSONAL not in str(members)
    assert api.get(f"/campaigns/{campaign.id}", people[0]).get_json()["campaign"]["unique_count"] == 0


@any_database
def test_the_district_confirms_splits_and_answers_through_the_api(setting):
    api, _document, admin, people, comments, campaign = setting
    assert_error(api.post(f"/campaigns/{campaign.id}/confirm", people[0]), 403)
    confirmed = api.post(f"/campaigns/{campaign.id}/confirm", admin)
    assert confirmed.status_code == 200 and confirmed.get_json()["campaign"]["state"] == "confirmed"
    assert_error(api.post(f"/campaigns/{campaign.id}/confirm", admin), 409, "already_confirmed")
    split = api.post(f"/campaigns/{campaign.id}/split", admin, json={"comment_ids": [comments[2].id]})
    assert split.status_code == 200 and split.get_json()["campaign"]["count"] == 3
    before = stored_rows()
    assert_error(api.post(f"/campaigns/{campaign.id}/split", admin, json={"comment_ids": "all"}), 400)
    assert_error(api.post(f"/campaigns/{campaign.id}/resolution", admin,
                          json={"disposition": "maybe", "rationale": "x"}), 400)
    assert_error(api.post(f"/campaigns/{campaign.id}/resolution", people[0],
                          json={"disposition": "noted", "rationale": "x"}), 403)
    assert stored_rows() == before
    answered = api.post(f"/campaigns/{campaign.id}/resolution", admin,
                        json={"disposition": "accepted", "rationale": "Clause 2 now says so."})
    assert answered.status_code == 201 and answered.get_json()["answered"] == 3
    for comment in (comments[0], comments[1], comments[3]):
        shown = api.get(f"/comments/{comment.id}/timeline", people[0]).get_json()["comment"]
        assert shown["status"] == "resolved" and shown["resolution"]["disposition"] == "accepted"
    assert api.get(f"/comments/{comments[2].id}/timeline", people[0]).get_json()["comment"]["status"] == "open"
