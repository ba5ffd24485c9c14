"""Campaigns as people read them: a document's campaigns (one representative, "N comments
(M unique)", members by group), a campaign's members page by page with what each added of
its own, and the badges the document page and the work queue put on a representative. Counts
leave out hidden and not yet revealed members; hidden and redacted text never shows."""
from __future__ import annotations


from sqlalchemy import and_, exists, select

from ..campaigns.live import member_counts
from ..errors import NotFound
from ..extensions import db
from ..models import Campaign, CampaignMember, Comment, Group, User
from ..serializers import comment_to_dict
from .access import readable_document
from .comments import visible_to
from .paging import Page, keyset_page, page_args
from flask_babel import lazy_gettext as _l

SHOWN_STATES = ("proposed", "confirmed")


def is_plain_copy():
    """SQL: the comment is a copy in a campaign that adds nothing of its own (not its
    representative): lists show the campaign once, through its representative."""
    return exists(select(CampaignMember.comment_id).join(Campaign, Campaign.id == CampaignMember.campaign_id).where(
        CampaignMember.comment_id == Comment.id, CampaignMember.is_unique.is_(False),
        Campaign.representative_id != Comment.id, Campaign.state.in_(SHOWN_STATES)))


def _counted(viewer: User | None):
    return and_(Comment.status != "hidden", visible_to(viewer))


def campaign_counts(viewer: User | None, campaign_ids: list[int]) -> dict[int, dict]:
    """campaign id -> {count, unique_count, by_group} of what `viewer` may read, in one GROUP BY."""
    return member_counts(campaign_ids, _counted(viewer))


def campaign_to_dict(campaign: Campaign, counts: dict) -> dict:
    return {"id": campaign.id, "document_id": campaign.document_id, "state": campaign.state,
            "representative_id": campaign.representative_id, **counts}


def document_campaigns(viewer: User | None, document_id: int, args) -> Page:
    """A document's campaigns, largest first within a page of ids (paged by id, oldest first)."""
    readable_document(viewer, document_id)
    limit, cursor = page_args(args)
    query = select(Campaign).where(Campaign.document_id == document_id, Campaign.state.in_(SHOWN_STATES))
    page = keyset_page(db.session, query, Campaign.id, kind="campaigns", limit=limit, cursor=cursor,
                       descending=False)
    counts = campaign_counts(viewer, [c.id for c in page.items])
    page.items = [campaign_to_dict(c, counts[c.id]) for c in page.items]
    return page


def readable_campaign(viewer: User | None, campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.state not in SHOWN_STATES:
        raise NotFound(_l("No such campaign: %(campaign_id)s.", campaign_id=campaign_id))
    readable_document(viewer, campaign.document_id)
    return campaign


def campaign_view(viewer: User | None, campaign_id: int) -> dict:
    """The campaign with its counts and its representative as GET shows comments."""
    campaign = readable_campaign(viewer, campaign_id)
    shown = campaign_to_dict(campaign, campaign_counts(viewer, [campaign.id])[campaign.id])
    shown["representative"] = comment_to_dict(db.session.get(Comment, campaign.representative_id))
    return shown


def campaign_members(viewer: User | None, campaign_id: int, args) -> Page:
    """The members of a campaign, oldest first, a page at a time: each comment as GET shows it,
    with `personal_text` (what it adds beyond the representative; none when hidden or redacted)
    and `is_unique`."""
    campaign = readable_campaign(viewer, campaign_id)
    limit, cursor = page_args(args)
    query = (select(Comment.id, Comment, CampaignMember.personal_text, CampaignMember.is_unique)
             .join(CampaignMember, CampaignMember.comment_id == Comment.id)
             .where(CampaignMember.campaign_id == campaign.id, visible_to(viewer)))
    page = keyset_page(db.session, query, Comment.id, kind="campaign_members", limit=limit, cursor=cursor,
                       descending=False, scalars=False)
    items = []
    for _id, comment, personal, unique in page.items:
        shown = comment_to_dict(comment)
        withheld = shown["is_hidden"] or shown["is_redacted"]
        items.append({**shown, "personal_text": None if withheld else personal, "is_unique": unique,
                      "is_representative": comment.id == campaign.representative_id})
    page.items = items
    return page


def campaign_badges(viewer: User | None, comment_ids: list[int]) -> dict[int, dict]:
    """comment id -> {id, count, unique_count, by_group, is_representative} for the comments
    that are in a campaign (two queries whatever the number)."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        select(CampaignMember.comment_id, Campaign.id, Campaign.representative_id)
        .join(Campaign, Campaign.id == CampaignMember.campaign_id)
        .where(CampaignMember.comment_id.in_(comment_ids), Campaign.state.in_(SHOWN_STATES))).all()
    counts = campaign_counts(viewer, sorted({campaign_id for _, campaign_id, _ in rows}))
    return {comment_id: {"id": campaign_id, **counts[campaign_id], "is_representative": comment_id == representative}
            for comment_id, campaign_id, representative in rows}


def group_names() -> dict[str, str]:
    """slug -> name of every group (for the campaign lines' counts by group)."""
    return dict(db.session.execute(select(Group.slug, Group.name)).all())
