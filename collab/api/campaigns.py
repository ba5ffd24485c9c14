"""Campaigns: a document's campaigns, a campaign's members, and the district's decisions on one."""
from flask import jsonify, request

from ..reads.campaigns import campaign_members, campaign_view, document_campaigns
from ..services.campaigns import answer_campaign, confirm_campaign, split_campaign
from .blueprint import api
from .helpers import actor, json_body, viewer


@api.get("/documents/<int:document_id>/campaigns")
def document_campaigns_view(document_id: int):
    page = document_campaigns(viewer(), document_id, request.args)
    return jsonify(campaigns=page.items, next=page.next, limit=page.limit)


@api.get("/campaigns/<int:campaign_id>")
def campaign_detail_view(campaign_id: int):
    user = viewer()
    shown = campaign_view(user, campaign_id)
    page = campaign_members(user, campaign_id, request.args)
    return jsonify(campaign=shown, members=page.items, next=page.next, limit=page.limit)


@api.post("/campaigns/<int:campaign_id>/confirm")
def confirm_campaign_view(campaign_id: int):
    confirm_campaign(actor(), campaign_id)
    return jsonify(campaign=campaign_view(actor(), campaign_id))


@api.post("/campaigns/<int:campaign_id>/split")
def split_campaign_view(campaign_id: int):
    data = json_body()
    campaign = split_campaign(actor(), campaign_id, data.get("comment_ids"))
    if campaign.state == "dissolved":
        return jsonify(campaign=None, dissolved=True)
    return jsonify(campaign=campaign_view(actor(), campaign_id), dissolved=False)


@api.post("/campaigns/<int:campaign_id>/resolution")
def answer_campaign_view(campaign_id: int):
    data = json_body()
    answer = answer_campaign(actor(), campaign_id, disposition=data.get("disposition"),
                             rationale=data.get("rationale"), version=data.get("version"),
                             rationale_es=data.get("rationale_es"))
    return jsonify(campaign=campaign_view(actor(), campaign_id), batch_id=answer.batch_id,
                   answered=answer.answered, skipped_comment_ids=answer.skipped), 201
