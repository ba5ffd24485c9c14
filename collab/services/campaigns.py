"""The district's decisions on campaigns: confirm one, split comments out of one, and answer
one, which answers every member at once. Each is one event in the log."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from ..errors import Conflict, NotFound
from ..events import new_salt, record_event, salted_digest, transaction
from ..extensions import db
from ..models import Campaign, CampaignMember, Comment, CommentSignature, Resolution, User
from ..parsing import id_list, optional_text
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .campaign_grouping import locked_grouper, new_representative, set_key
from .resolutions import RATIONALE_MAX, keep_report_order, valid_answer, valid_version
from flask_babel import lazy_gettext as _l

# Rows per INSERT/UPDATE statement when a campaign is answered (any number of members).
ANSWER_CHUNK = 500


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id, populate_existing=True)
    if campaign is None or campaign.state == "dissolved":
        raise NotFound(_l("No such campaign: %(campaign_id)s.", campaign_id=campaign_id))
    return campaign


def confirm_campaign(actor: User, campaign_id: int) -> Campaign:
    """The district agrees these comments copy one text. Admins only. Records `campaign.confirmed`."""
    require(can_administer(actor), actor, _l("Only administrators confirm campaigns."))
    with transaction():
        campaign = _campaign(campaign_id)
        if campaign.state == "confirmed":
            raise Conflict(_l("This campaign is already confirmed."), "already_confirmed")
        campaign.state, campaign.confirmed_at, campaign.confirmed_by_id = "confirmed", utcnow(), actor.id
        record_event("campaign.confirmed", actor, f"campaign:{campaign.id}", {"campaign_id": campaign.id},
                     document_id=campaign.document_id)
    return campaign


def split_campaign(actor: User, campaign_id: int, comment_ids) -> Campaign:
    """Take comments out of a campaign: they stay on their own from then on (the grouping
    never puts them in one again). A campaign left with one comment is dissolved; one whose
    representative left gets another. Admins only. Records `campaign.split`."""
    require(can_administer(actor), actor, _l("Only administrators split campaigns."))
    ids = id_list(comment_ids, "comment_ids", required=True)
    with transaction():
        grouper = locked_grouper(wait=True)
        campaign = _campaign(campaign_id)
        members = set(db.session.execute(select(CampaignMember.comment_id)
                                         .where(CampaignMember.campaign_id == campaign.id)).scalars())
        strangers = [i for i in ids if i not in members]
        if strangers:
            raise NotFound(_l("Comment %(strangers)s is not in this campaign.", strangers=strangers[0]))
        grouper.generation += 1
        db.session.execute(delete(CampaignMember).where(CampaignMember.comment_id.in_(ids)),
                           execution_options={"synchronize_session": False})
        db.session.execute(update(CommentSignature).where(CommentSignature.comment_id.in_(ids))
                           .values(is_key=False, is_split=True, generation=grouper.generation),
                           execution_options={"synchronize_session": False})
        remaining = members - set(ids)
        dissolved = len(remaining) < 2
        if dissolved:
            campaign.state = "dissolved"
            db.session.execute(delete(CampaignMember).where(CampaignMember.campaign_id == campaign.id),
                               execution_options={"synchronize_session": False})
            for comment_id in remaining:  # on its own again: a later copy may join it
                set_key(comment_id, True, grouper.generation)
        elif campaign.representative_id in ids:
            new_representative(campaign, grouper.generation)
        db.session.flush()
        record_event("campaign.split", actor, f"campaign:{campaign.id}", {
            "campaign_id": campaign.id, "comment_ids": ids, "representative_id": campaign.representative_id,
            "dissolved": dissolved}, document_id=campaign.document_id)
    return campaign


def leave_grouping(comment: Comment, redacted: bool) -> None:
    """Inside moderation's transaction: a hidden or redacted comment is no longer one others
    join, and a representative hands over to a member everyone may read; a redacted one loses
    its digests and personal text too."""
    signature = db.session.execute(select(CommentSignature).where(CommentSignature.comment_id == comment.id)
                                   ).scalar_one_or_none()
    member = db.session.get(CampaignMember, comment.id)
    if redacted and member is not None:
        member.personal_text, member.is_unique = None, False
    if signature is None or not (signature.is_key or redacted):
        return
    grouper = locked_grouper(wait=True)
    grouper.generation += 1
    signature.generation = grouper.generation
    if redacted:
        signature.exact_hash = signature.minhash = None
    campaign = db.session.execute(select(Campaign).where(Campaign.representative_id == comment.id,
                                                         Campaign.state != "dissolved")).scalar_one_or_none()
    signature.is_key = False
    db.session.flush()
    if campaign is not None:  # a campaign is represented by a text everyone may read
        new_representative(campaign, grouper.generation)
    db.session.flush()


@dataclass
class CampaignAnswer:
    campaign: Campaign
    batch_id: str
    answered: int
    skipped: list[int]
    seq: int


def answer_campaign(actor: User, campaign_id: int, *, disposition, rationale, version=None,
                    rationale_es=None) -> CampaignAnswer:
    """One answer for every member of a campaign: each shown member gets its own resolution
    (sharing a `batch_id`, written in bulk, so any number of members), and becomes `resolved`.
    Hidden members and the administrator's own comments are skipped. Members with personal
    text can be answered again on their own. Records one `campaign.answered`."""
    require(can_administer(actor), actor, _l("Only administrators record resolutions."))
    disposition, rationale, version, pending = valid_answer(disposition, rationale, version)
    rationale_es = optional_text(rationale_es, "rationale_es", RATIONALE_MAX)
    with transaction():
        campaign = _campaign(campaign_id)
        valid_version(campaign.document_id, version)
        rows = db.session.execute(
            select(Comment.id, Comment.author_id, Comment.status).join(CampaignMember, CampaignMember.comment_id == Comment.id)
            .where(CampaignMember.campaign_id == campaign.id).order_by(Comment.id)).all()
        answered = [r.id for r in rows if r.status != "hidden" and r.author_id != actor.id]
        skipped = [r.id for r in rows if r.id not in set(answered)]
        if not answered:
            raise Conflict(_l("No comment of this campaign can be answered by you."), "nothing_to_answer")
        salt = new_salt()
        es_salt = new_salt() if rationale_es is not None else None
        batch_id = uuid.uuid4().hex
        event = record_event("campaign.answered", actor, f"campaign:{campaign.id}", {
            "campaign_id": campaign.id, "batch_id": batch_id, "disposition": disposition,
            "rationale_hmac": salted_digest(rationale, salt), "version": version, "comment_ids": answered,
            "skipped_comment_ids": skipped, **({"version_pending": True} if pending else {}),
            **({"rationale_es_hmac": salted_digest(rationale_es, es_salt)} if rationale_es is not None else {}),
        }, document_id=campaign.document_id)
        now = utcnow()
        for start in range(0, len(answered), ANSWER_CHUNK):
            chunk = answered[start:start + ANSWER_CHUNK]
            db.session.execute(insert(Resolution), [{
                "comment_id": comment_id, "document_id": campaign.document_id, "disposition": disposition,
                "rationale": rationale, "rationale_salt": salt, "rationale_es": rationale_es,
                "rationale_es_salt": es_salt, "version": version, "is_version_pending": pending,
                "batch_id": batch_id, "recorded_by_id": actor.id, "recorded_at": now, "seq": event.seq,
            } for comment_id in chunk])
            db.session.execute(update(Comment).where(Comment.id.in_(chunk)).values(status="resolved"),
                               execution_options={"synchronize_session": False})
        keep_report_order(answered, batch_id)
    db.session.expire_all()
    return CampaignAnswer(campaign, batch_id, len(answered), skipped, event.seq)
