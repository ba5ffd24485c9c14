"""What the live channel carries with a campaign's events (`campaign.proposed`, `.grouped`,
`.left`), so a document page open in a browser draws the campaign as the server renders it:
the campaign with its counts as everyone reads them (hidden members left out), its
representative as GET shows comments, and the comments that left it."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from ..extensions import db
from ..models import Campaign, CampaignMember, Comment, Group, User
from ..serializers import comment_to_dict

LIVE_ACTIONS = ("campaign.proposed", "campaign.grouped", "campaign.left")


def member_counts(campaign_ids: list[int], counted) -> dict[int, dict]:
    """campaign id -> {count, unique_count, by_group} of the members matching `counted` (a
    condition on Comment), in one GROUP BY. The live payloads and the read side count alike."""
    counts: dict[int, dict] = {i: {"count": 0, "unique_count": 0, "by_group": defaultdict(int)} for i in campaign_ids}
    if not campaign_ids:
        return counts
    rows = db.session.execute(
        select(CampaignMember.campaign_id, CampaignMember.is_unique, Group.slug, func.count())
        .join(Comment, Comment.id == CampaignMember.comment_id).join(User, User.id == Comment.author_id)
        .join(Group, Group.id == User.group_id)
        .where(CampaignMember.campaign_id.in_(campaign_ids), counted)
        .group_by(CampaignMember.campaign_id, CampaignMember.is_unique, Group.slug))
    for campaign_id, unique, slug, count in rows:
        entry = counts[campaign_id]
        entry["count"] += count
        entry["unique_count"] += count if unique else 0
        entry["by_group"][slug] += count
    return {i: {**c, "by_group": dict(sorted(c["by_group"].items()))} for i, c in counts.items()}


def campaign_payloads(campaign_ids: list[int], left_ids: dict[int, list[int]] | None = None) -> dict[int, dict]:
    """campaign id -> {campaign: {id, document_id, state, representative_id, count, unique_count,
    by_group}, representative: comment, comments: [those that left]} (three queries)."""
    if not campaign_ids:
        return {}
    campaigns = {c.id: c for c in db.session.execute(select(Campaign).where(Campaign.id.in_(campaign_ids))).scalars()}
    counts = member_counts(list(campaigns), Comment.status != "hidden")
    wanted = {c.representative_id for c in campaigns.values()}
    for ids in (left_ids or {}).values():
        wanted.update(ids)
    comments = {c.id: c for c in db.session.execute(select(Comment).where(Comment.id.in_(wanted))).scalars()}
    payloads = {}
    for campaign_id, campaign in campaigns.items():
        shown = {"id": campaign.id, "document_id": campaign.document_id, "state": campaign.state,
                 "representative_id": campaign.representative_id,
                 **counts[campaign_id]}
        payload = {"campaign": shown}
        representative = comments.get(campaign.representative_id)
        if campaign.state != "dissolved" and representative is not None:
            payload["representative"] = comment_to_dict(representative)
        if left_ids and left_ids.get(campaign_id):
            payload["comments"] = [comment_to_dict(comments[i]) for i in left_ids[campaign_id] if i in comments]
        payloads[campaign_id] = payload
    return payloads
