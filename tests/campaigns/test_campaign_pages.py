"""Campaign pages: the document page and the work queue show a campaign once, through its
representative with "N comments (M unique)"; the campaign page lists members with their
personal paragraphs; the district confirms, splits and answers there."""
import pytest

from collab.extensions import db
from collab.models import Campaign, Comment
from tests.campaigns.helpers import FORM, OTHERS, PERSONAL
from tests.conftest import events_of


@pytest.fixture
def setting(make):
    from collab.services.campaign_grouping import group_all

    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    people = [make.user(group=g) for g in ("families", "families", "students", "educators", "students")]
    comments = [make.comment(p, clause_id, body=f"{FORM} Signed, person {i}.") for i, p in enumerate(people[:3])]
    comments.append(make.comment(people[3], clause_id, body=f"{FORM}\n\n{PERSONAL}"))
    other = make.comment(people[4], clause_id, body=OTHERS[0])
    group_all(document.id)
    return document, admin, people, comments, other, db.session.query(Campaign).one()


def test_the_document_page_shows_the_campaign_once_with_its_counts(setting, client):
    document, _admin, _people, comments, other, campaign = setting
    html = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'id="thread-{comments[0].id}"' in html and f'id="thread-{other.id}"' in html
    # Plain copies are not listed one by one; the copy with a paragraph of its own is.
    assert f'id="thread-{comments[1].id}"' not in html and f'id="thread-{comments[2].id}"' not in html
    assert f'id="thread-{comments[3].id}"' in html
    assert "Campaign: 4 comments (1 unique)" in html and f"/campaigns/{campaign.id}" in html


def test_the_work_queue_shows_the_campaign_once(setting, client, sign_in):
    document, admin, _people, comments, other, _campaign = setting
    sign_in(client, admin)
    html = client.get(f"/documents/{document.id}/queue").get_data(as_text=True)
    assert f'id="pick-{comments[0].id}"' in html and f'id="pick-{other.id}"' in html
    assert f'id="pick-{comments[1].id}"' not in html and f'id="pick-{comments[3].id}"' in html
    assert "Campaign: 4 comments (1 unique)" in html and "Part of a campaign of 4 comments" in html


def test_the_campaign_page_lists_members_with_personal_paragraphs(setting, client):
    document, _admin, _people, comments, _other, campaign = setting
    page = client.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert PERSONAL in html and "Signed, person 1." in html and "Representative" in html
    assert "Take the selected comments out" not in html  # no controls without an administrator
    listed = client.get(f"/documents/{document.id}/campaigns").get_data(as_text=True)
    assert f"/campaigns/{campaign.id}" in listed
    assert client.get("/campaigns/9999").status_code == 404


def test_members_come_page_by_page(setting, client):
    _document, _admin, _people, comments, _other, campaign = setting
    html = client.get(f"/campaigns/{campaign.id}?limit=2").get_data(as_text=True)
    assert f"#{comments[1].id}" in html and f"#{comments[2].id}<" not in html
    assert "Next page of comments" in html


def test_the_district_confirms_splits_and_answers_on_the_campaign_page(setting, client, sign_in, csrf_token):
    _document, admin, _people, comments, _other, campaign = setting
    sign_in(client, admin)
    assert "Confirm: these comments copy one text" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert client.post(f"/campaigns/{campaign.id}/confirm", data={"csrf_token": csrf_token()}).status_code == 302
    assert db.session.get(Campaign, campaign.id).state == "confirmed"
    split = client.post(f"/campaigns/{campaign.id}/split",
                        data={"csrf_token": csrf_token(), "comment_ids": [comments[2].id]})
    assert split.status_code == 302 and events_of("campaign.split")
    answered = client.post(f"/campaigns/{campaign.id}/resolve", data={
        "csrf_token": csrf_token(), "disposition": "noted", "rationale": "We read every letter."})
    assert answered.status_code == 302
    assert {db.session.get(Comment, c.id).status for c in (comments[0], comments[1], comments[3])} == {"resolved"}


def test_a_refused_answer_keeps_what_was_typed(setting, client, sign_in, csrf_token):
    _document, admin, _people, _comments, _other, campaign = setting
    sign_in(client, admin)
    refused = client.post(f"/campaigns/{campaign.id}/resolve", data={
        "csrf_token": csrf_token(), "disposition": "noted", "rationale": "   ", "rationale_es": "Leímos cada carta."})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Leímos cada carta." in html and "rationale" in html.lower()
    empty_split = client.post(f"/campaigns/{campaign.id}/split", data={"csrf_token": csrf_token()})
    assert empty_split.status_code == 400 and "Select at least one comment" in empty_split.get_data(as_text=True)
