"""Grouping comments into campaigns: exact copies, near copies, form letters with a personal
paragraph, and the incremental case; on both databases."""
import pytest

from collab.extensions import db
from collab.models import Campaign, CampaignMember, CommentSignature
from tests.campaigns.helpers import FORM, OTHERS, PERSONAL, copy_with_changes
from tests.conftest import any_database, events_of


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    people = [make.user(group=g) for g in ("families", "families", "students", "civil-rights", "educators")]
    return document, admin, clause_ids, people


def _group(document):
    from collab.services.campaign_grouping import group_all

    return group_all(document.id)


def _members(campaign):
    return {m.comment_id: m for m in db.session.query(CampaignMember).filter_by(campaign_id=campaign.id)}


@any_database
def test_exact_copies_after_normalising_case_space_and_punctuation_make_one_campaign(make, setting):
    document, _admin, clause_ids, people = setting
    first = make.comment(people[0], clause_ids[1], body=FORM)
    second = make.comment(people[1], clause_ids[1], body=copy_with_changes(FORM))
    third = make.comment(people[2], clause_ids[2], body=FORM.lower())
    others = [make.comment(people[3], clause_ids[0], body=text) for text in OTHERS]
    result = _group(document)
    assert result.signed == 3 + len(OTHERS)
    [campaign] = db.session.query(Campaign).filter_by(document_id=document.id).all()
    assert campaign.state == "proposed" and campaign.representative_id == first.id
    members = _members(campaign)
    assert set(members) == {first.id, second.id, third.id}
    assert all(m.personal_text is None and not m.is_unique for m in members.values())
    assert not set(members) & {o.id for o in others}
    [proposed] = events_of("campaign.proposed")
    assert proposed.actor_id is None and proposed.subject == f"campaign:{campaign.id}"
    assert FORM[:30] not in proposed.data
    # Run again: every comment was signed once, nothing changes.
    assert _group(document).signed == 0
    assert db.session.query(CommentSignature).count() == 3 + len(OTHERS)


@any_database
def test_near_copies_join_and_different_comments_do_not(make, setting):
    document, _admin, clause_ids, people = setting
    first = make.comment(people[0], clause_ids[1], body=FORM)
    # One word changed and one added: no exact copy, but a near one.
    near = make.comment(people[1], clause_ids[1],
                        body=FORM.replace("counselors", "school counselors").replace("Please", "Kindly"))
    different = make.comment(people[2], clause_ids[1], body=OTHERS[0] + " " + OTHERS[1])
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    members = _members(campaign)
    assert set(members) == {first.id, near.id}
    assert different.id not in members


@any_database
def test_a_form_letter_with_a_personal_paragraph_joins_and_its_paragraph_is_kept(make, setting):
    document, _admin, clause_ids, people = setting
    plain = make.comment(people[0], clause_ids[1], body=FORM)
    personal = make.comment(people[1], clause_ids[1], body=f"{FORM}\n\n{PERSONAL}")
    greeting = make.comment(people[2], clause_ids[1], body=f"Dear board,\n\n{FORM}")
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    members = _members(campaign)
    assert campaign.representative_id == plain.id
    assert members[personal.id].personal_text == PERSONAL and members[personal.id].is_unique
    # Two words of greeting are the person's own, but not something to answer on its own.
    assert members[greeting.id].personal_text == "Dear board," and not members[greeting.id].is_unique


@any_database
def test_the_plainer_copy_represents_even_when_the_personal_one_came_first(make, setting):
    document, _admin, clause_ids, people = setting
    personal = make.comment(people[0], clause_ids[1], body=f"{FORM}\n\n{PERSONAL}")
    _group(document)
    plain = make.comment(people[1], clause_ids[1], body=FORM)
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    assert campaign.representative_id == plain.id
    assert _members(campaign)[personal.id].personal_text == PERSONAL
    # A third copy joins the same campaign, matched through its new representative.
    third = make.comment(people[2], clause_ids[1], body=FORM)
    _group(document)
    assert third.id in _members(campaign) and db.session.query(Campaign).count() == 1


@any_database
def test_a_new_copy_joins_its_campaign_incrementally(make, setting):
    from collab.services.campaign_grouping import group_step

    document, _admin, clause_ids, people = setting
    for person in people[:3]:
        make.comment(person, clause_ids[1], body=FORM)
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    late = make.comment(people[3], clause_ids[1], body=copy_with_changes(FORM) + " " + PERSONAL)
    result = group_step()
    assert result.signed == 1 and result.joined == 1
    assert late.id in _members(campaign)
    [grouped] = events_of("campaign.grouped")
    assert f'"comment_ids":[{late.id}]' in grouped.data


@any_database
def test_hidden_short_and_reply_comments_are_left_out(make, setting):
    from collab.services.moderation import hide_comment

    document, admin, clause_ids, people = setting
    first = make.comment(people[0], clause_ids[1], body=FORM)
    hidden = make.comment(people[1], clause_ids[1], body=FORM)
    hide_comment(admin, hidden.id, reason="Abusive.")
    make.comment(people[2], clause_ids[1], body="I agree.")
    make.comment(people[3], clause_ids[1], body="I agree.")
    make.comment(people[4], clause_ids[1], body=FORM, parent_id=first.id, kind="reply")
    _group(document)
    assert db.session.query(Campaign).count() == 0


@any_database
def test_copies_that_came_before_their_plain_form_end_in_one_campaign(make, setting):
    document, _admin, clause_ids, people = setting
    extra = make.user(group="community")
    first = [make.comment(p, clause_ids[1], body=f"{FORM}\n\n{PERSONAL}") for p in people[:2]]
    second = [make.comment(p, clause_ids[1], body=f"{FORM}\n\n{OTHERS[2]} {OTHERS[3]}") for p in people[2:4]]
    _group(document)
    assert db.session.query(Campaign).filter_by(state="proposed").count() == 2
    plain = make.comment(extra, clause_ids[1], body=FORM)
    _group(document)
    [campaign] = db.session.query(Campaign).filter_by(state="proposed").all()
    assert campaign.representative_id == plain.id
    members = _members(campaign)
    assert set(members) == {plain.id, *(c.id for c in first + second)}
    assert members[first[0].id].personal_text == PERSONAL
    assert members[second[0].id].personal_text == f"{OTHERS[2]} {OTHERS[3]}"
    assert "merged_campaign_ids" in events_of("campaign.grouped")[-1].data


def _edit(comment, body):
    from collab.services.comments import edit_comment

    return edit_comment(comment.author, comment.id, body=body)


@any_database
def test_an_edited_comment_is_grouped_again_with_its_new_text(make, setting):
    from collab.services.campaign_grouping import group_step

    document, _admin, clause_ids, people = setting
    copies = [make.comment(person, clause_ids[1], body=FORM) for person in people[:3]]
    own = make.comment(people[3], clause_ids[1], body=OTHERS[0] + " " + OTHERS[1])
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    assert set(_members(campaign)) == {c.id for c in copies}

    # A copy rewritten into a text of its own leaves the campaign; the comment on its own,
    # rewritten into the form letter with a paragraph of its own, joins it.
    _edit(copies[2], OTHERS[2] + " " + OTHERS[3])
    _edit(own, f"{FORM}\n\n{PERSONAL}")
    result = group_step()
    assert result.regrouped == 2
    db.session.expire_all()
    members = _members(campaign)
    assert set(members) == {copies[0].id, copies[1].id, own.id}
    assert members[own.id].personal_text == PERSONAL and members[own.id].is_unique
    signature = db.session.query(CommentSignature).filter_by(comment_id=copies[2].id).one()
    assert signature.is_key and signature.exact_hash is not None
    [left] = events_of("campaign.left")
    assert left.actor_id is None and f'"comment_ids":[{copies[2].id}]' in left.data and '"dissolved":false' in left.data
    # Nothing else to do: the edits were looked at once.
    assert group_step().signed == 0


@any_database
def test_an_edited_representative_hands_over_and_a_campaign_of_one_is_dissolved(make, setting):
    from collab.services.campaign_grouping import group_step

    document, _admin, clause_ids, people = setting
    first, second, third = (make.comment(person, clause_ids[1], body=FORM) for person in people[:3])
    _group(document)
    [campaign] = db.session.query(Campaign).all()
    assert campaign.representative_id == first.id

    _edit(first, OTHERS[0] + " " + OTHERS[1])
    group_step()
    db.session.expire_all()
    assert campaign.representative_id == second.id and set(_members(campaign)) == {second.id, third.id}
    # A later copy still finds the campaign, through its new representative.
    late = make.comment(people[3], clause_ids[1], body=copy_with_changes(FORM))
    group_step()
    db.session.expire_all()
    assert set(_members(campaign)) == {second.id, third.id, late.id}

    _edit(second, OTHERS[2] + " " + OTHERS[3])
    _edit(third, OTHERS[1] + " " + OTHERS[3])
    group_step()
    db.session.expire_all()
    assert campaign.state == "dissolved" and not _members(campaign)
    assert '"dissolved":true' in events_of("campaign.left")[-1].data
    # The copy left alone is a key again: a new copy makes a new campaign with it.
    again = make.comment(people[4], clause_ids[1], body=FORM)
    group_step()
    [current] = db.session.query(Campaign).filter_by(state="proposed").all()
    assert set(_members(current)) == {late.id, again.id}


@any_database
def test_a_silent_rounds_comment_waits_for_the_reveal_while_later_ones_are_grouped(make, setting):
    from collab.models import CampaignGrouper
    from collab.services import meetings
    from collab.services.campaign_grouping import group_step

    document, admin, clause_ids, people = setting
    meeting = meetings.create_meeting(admin, document.id, title="Evening forum")
    meetings.start_meeting(admin, meeting.id)
    meetings.start_silent_round(admin, meeting.id, clause_ids[1])
    unseen = make.comment(people[0], clause_ids[1], body=FORM)
    later = [make.comment(person, clause_ids[2], body=FORM) for person in people[1:3]]
    group_step()
    # The later copies are grouped; the round's copy is not, and the grouper's mark stays below it.
    [campaign] = db.session.query(Campaign).all()
    assert set(_members(campaign)) == {c.id for c in later}
    assert db.session.get(CampaignGrouper, 1).signed_through_id < unseen.id

    meetings.reveal_silent_round(admin, meeting.id)
    assert group_step().signed == 1
    db.session.expire_all()
    assert unseen.id in _members(campaign)
    assert db.session.get(CampaignGrouper, 1).signed_through_id >= later[-1].id
