"""The district's decisions on campaigns: confirm, split, one answer to many; on both databases."""
import pytest

from collab.errors import Conflict, Forbidden, NotFound
from collab.extensions import db
from collab.models import Campaign, CampaignMember, Comment, CommentSignature, Resolution
from tests.campaigns.helpers import FORM, PERSONAL
from tests.conftest import any_database, events_of


@pytest.fixture
def campaign(make):
    from collab.services.campaign_grouping import group_all

    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    people = [make.user(group=g) for g in ("families", "students", "civil-rights", "educators")]
    comments = [make.comment(p, clause_id, body=FORM) for p in people[:3]]
    comments.append(make.comment(people[3], clause_id, body=f"{FORM}\n\n{PERSONAL}"))
    group_all(document.id)
    return db.session.query(Campaign).one(), comments, admin, people


def _member_ids(campaign):
    return {m.comment_id for m in db.session.query(CampaignMember).filter_by(campaign_id=campaign.id)}


@any_database
def test_the_district_confirms_a_campaign_once(campaign, make):
    from collab.services.campaigns import confirm_campaign

    found, _comments, admin, people = campaign
    with pytest.raises(Forbidden):
        confirm_campaign(people[0], found.id)
    confirmed = confirm_campaign(admin, found.id)
    assert confirmed.state == "confirmed" and confirmed.confirmed_by_id == admin.id
    [event] = events_of("campaign.confirmed")
    assert event.actor_id == admin.id and event.subject == f"campaign:{found.id}"
    with pytest.raises(Conflict):
        confirm_campaign(admin, found.id)
    with pytest.raises(NotFound):
        confirm_campaign(admin, 9999)


@any_database
def test_a_split_comment_leaves_and_stays_on_its_own(campaign, make):
    from collab.services.campaign_grouping import group_all
    from collab.services.campaigns import split_campaign

    found, comments, admin, people = campaign
    split_campaign(admin, found.id, [comments[1].id])
    assert _member_ids(found) == {comments[0].id, comments[2].id, comments[3].id}
    assert db.session.query(CommentSignature).filter_by(comment_id=comments[1].id).one().is_split
    [event] = events_of("campaign.split")
    assert f'"comment_ids":[{comments[1].id}]' in event.data and '"dissolved":false' in event.data
    # A new copy still joins the campaign; the split one is never put back.
    late = make.comment(make.user(), comments[0].clause_id, body=FORM)
    group_all()
    assert _member_ids(found) == {comments[0].id, comments[2].id, comments[3].id, late.id}
    with pytest.raises(NotFound):
        split_campaign(admin, found.id, [comments[1].id])


@any_database
def test_splitting_the_representative_hands_over_and_down_to_one_dissolves(campaign):
    from collab.services.campaigns import split_campaign

    found, comments, admin, _people = campaign
    assert found.representative_id == comments[0].id
    split_campaign(admin, found.id, [comments[0].id])
    db.session.refresh(found)
    # The next plain copy represents it, not the one with a personal paragraph.
    assert found.representative_id == comments[1].id
    split_campaign(admin, found.id, [comments[1].id, comments[2].id])
    db.session.refresh(found)
    assert found.state == "dissolved" and _member_ids(found) == set()
    assert db.session.query(CommentSignature).filter_by(comment_id=comments[3].id).one().is_key


@any_database
def test_one_answer_answers_every_member_and_personal_ones_stay_answerable(campaign):
    from collab.services.campaigns import answer_campaign
    from collab.services.resolutions import record_resolution

    found, comments, admin, _people = campaign
    answer = answer_campaign(admin, found.id, disposition="accepted_with_changes",
                             rationale="Clause 2 now keeps officers out of discipline.")
    assert answer.answered == 4 and answer.skipped == []
    for comment in comments:
        current = db.session.get(Comment, comment.id)
        assert current.status == "resolved" and current.resolutions[-1].batch_id == answer.batch_id
    [event] = events_of("campaign.answered")
    assert event.seq == answer.seq and "Clause 2 now" not in event.data
    assert len(events_of("resolution.recorded")) == 0
    # The member with a paragraph of its own gets its own answer too.
    own = record_resolution(admin, comments[3].id, disposition="noted", rationale="We hear your son's story.")
    assert db.session.get(Comment, comments[3].id).resolutions[-1].id == own.id


@any_database
def test_answering_skips_hidden_members_and_refuses_participants(campaign):
    from collab.services.campaigns import answer_campaign
    from collab.services.moderation import hide_comment

    found, comments, admin, people = campaign
    with pytest.raises(Forbidden):
        answer_campaign(people[0], found.id, disposition="noted", rationale="x")
    hide_comment(admin, comments[2].id, reason="Spam.")
    answer = answer_campaign(admin, found.id, disposition="noted", rationale="Thank you.")
    assert answer.skipped == [comments[2].id] and answer.answered == 3
    assert db.session.get(Comment, comments[2].id).status == "hidden"


@any_database
def test_one_answer_to_three_hundred_members_has_no_ceiling(make):
    from collab.reads.equity import equity
    from collab.reads.queue import report
    from collab.services.campaign_grouping import group_all
    from collab.services.campaigns import answer_campaign

    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    people = [make.user(group=("families", "students", "educators")[i % 3]) for i in range(30)]
    for i in range(300):  # one person may not post the very same text twice: each signs it
        make.comment(people[i % 30], clause_id, body=f"{FORM} Signed, neighbour {i}.")
    group_all(document.id)
    found = db.session.query(Campaign).one()
    assert len(_member_ids(found)) == 300
    answer = answer_campaign(admin, found.id, disposition="declined", rationale="The clause stays as it is.")
    assert answer.answered == 300
    assert db.session.query(Resolution).filter_by(batch_id=answer.batch_id).count() == 300
    assert db.session.query(Comment).filter_by(document_id=document.id, status="resolved").count() == 300
    shown = report(document.id)
    assert len(shown["rows"]) == 300 and {r["disposition"] for r in shown["rows"]} == {"declined"}
    assert shown["summary"]["comments"] == 300
    # One answer in the report, covering all 300.
    [answered] = [a for clause in shown["clauses"] for a in clause["answers"]]
    assert len(answered["comments"]) == 300
    groups = {g["group"]: g for g in equity(document.id)["groups"]}
    assert groups["families"]["answered"] == 100 and groups["families"]["declined"] == 100


@any_database
def test_redaction_removes_digests_and_personal_text_and_hands_the_representative_over(campaign, make):
    from collab.services.campaign_grouping import group_all
    from collab.services.moderation import hide_comment, redact_comment

    found, comments, admin, _people = campaign
    redact_comment(admin, comments[3].id, reason="A child's name.")
    signature = db.session.query(CommentSignature).filter_by(comment_id=comments[3].id).one()
    assert signature.exact_hash is None and signature.minhash is None
    member = db.session.get(CampaignMember, comments[3].id)
    assert member.personal_text is None and not member.is_unique
    redact_comment(admin, comments[0].id, reason="Personal data.")
    db.session.refresh(found)
    assert found.representative_id == comments[1].id
    hide_comment(admin, comments[1].id, reason="Abuse.")
    db.session.refresh(found)
    assert found.representative_id == comments[2].id
    # Copies still find the campaign through its new representative.
    late = make.comment(make.user(group="community"), comments[0].clause_id, body=FORM)
    group_all()
    assert late.id in _member_ids(found)


@pytest.mark.real_commits  # the notifier reads what was committed
@any_database
def test_every_members_author_hears_of_the_campaigns_answer(app, campaign):
    from collab.services.campaigns import answer_campaign
    from tests.notifications.helpers import notified, notify

    found, comments, admin, people = campaign
    answer_campaign(admin, found.id, disposition="noted", rationale="We read every letter.")
    notify(app)
    assert sorted(notified("comment_answered")) == sorted((p.id, "comment_answered") for p in people)
