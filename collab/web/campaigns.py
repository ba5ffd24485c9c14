"""Campaign pages: a document's campaigns, and one campaign with its members page by page
(personal paragraphs shown) and the district's controls: confirm, split, answer all."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_babel import gettext as _

from ..errors import Invalid
from ..models.lookups import get_document
from ..permissions import can_administer
from ..reads.campaigns import campaign_members, campaign_view, document_campaigns, group_names
from ..services.campaigns import answer_campaign, confirm_campaign, split_campaign
from .blueprint import web
from .concerns import _answer_version
from .forms import form_view
from .helpers import page_viewer


@web.app_template_global()
def group_name(slug: str) -> str:
    """A group's name by its slug (read once per request)."""
    if "group_names" not in g:
        g.group_names = group_names()
    return g.group_names.get(slug, slug)


@web.get("/documents/<int:document_id>/campaigns")
def campaigns_page(document_id: int):
    viewer = page_viewer()
    page = document_campaigns(viewer, document_id, request.args)
    next_url = url_for("web.campaigns_page", document_id=document_id, cursor=page.next) if page.next else None
    return render_template("campaigns/list.html", document=get_document(document_id), campaigns=page.items,
                           next_url=next_url)


def _campaign_page(campaign_id: int, args):
    viewer = page_viewer()
    campaign = campaign_view(viewer, campaign_id)
    page = campaign_members(viewer, campaign_id, args)
    next_url = url_for("web.campaign_page", campaign_id=campaign_id, cursor=page.next) if page.next else None
    return render_template("campaigns/campaign.html", document=get_document(campaign["document_id"]),
                           campaign=campaign, members=page.items, next_url=next_url,
                           can_administer=can_administer(viewer))


@web.get("/campaigns/<int:campaign_id>")
def campaign_page(campaign_id: int):
    return _campaign_page(campaign_id, request.args)


def _again(error, campaign_id: int):
    return _campaign_page(campaign_id, {})


@web.post("/campaigns/<int:campaign_id>/confirm")
@login_required
@form_view(_again)
def confirm_campaign_form(campaign_id: int):
    confirm_campaign(current_user, campaign_id)
    flash(_("The campaign is confirmed."), "info")
    return redirect(url_for("web.campaign_page", campaign_id=campaign_id))


@web.post("/campaigns/<int:campaign_id>/split")
@login_required
@form_view(_again)
def split_campaign_form(campaign_id: int):
    ids = request.form.getlist("comment_ids")
    if not ids:
        raise Invalid(_("Select at least one comment to take out of the campaign."), "no_comments_selected")
    campaign = split_campaign(current_user, campaign_id, ids)
    if campaign.state == "dissolved":
        flash(_("The campaign was dissolved: its comments stand on their own."), "info")
        return redirect(url_for("web.campaigns_page", document_id=campaign.document_id))
    flash(_("%(count)s comment(s) taken out of the campaign.", count=len(set(ids))), "info")
    return redirect(url_for("web.campaign_page", campaign_id=campaign_id))


@web.post("/campaigns/<int:campaign_id>/resolve")
@login_required
@form_view(_again)
def answer_campaign_form(campaign_id: int):
    answer = answer_campaign(current_user, campaign_id, disposition=request.form.get("disposition"),
                             rationale=request.form.get("rationale"), version=_answer_version(),
                             rationale_es=request.form.get("rationale_es") or None)
    flash(_("Answer recorded for %(count)s comment(s).", count=answer.answered), "info")
    return redirect(url_for("web.campaign_page", campaign_id=campaign_id))
