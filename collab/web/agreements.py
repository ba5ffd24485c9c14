"""Pages for equity by group, plain-language summaries, and adoption and review."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..drafts.readability import SUMMARY_WORD_LIMIT, readability
from ..models.lookups import clause_texts, get_document
from ..permissions import can_administer, require
from ..reads.agreements import PARTY_LABELS, adoption_of, adoptions_by_version, summaries_of
from ..reads.access import readable_document
from ..reads.equity import FLAG_LABELS, equity, equity_csv
from ..services.agreements import (adopt_version, one_year_after, record_signature, set_review_date, start_review,
                                   write_clause_summary)
from ..timeutil import utcnow
from .blueprint import web
from .charts import equity_bars
from .forms import form_view
from .helpers import page_viewer
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def _actor():
    return current_user._get_current_object()


@web.app_context_processor
def _agreement_labels():
    return {"FLAG_LABELS": FLAG_LABELS, "PARTY_LABELS": PARTY_LABELS}


# --- equity by group -----------------------------------------------------------------------

@web.get("/documents/<int:document_id>/equity")
def equity_page(document_id: int):
    readable_document(page_viewer(), document_id)
    figures = equity(document_id)
    return render_template("equity.html", document=get_document(document_id), equity=figures,
                           chart=equity_bars(figures["groups"]), adoption=adoption_of(document_id))


@web.get("/documents/<int:document_id>/equity.csv")
def equity_csv_page(document_id: int):
    readable_document(page_viewer(), document_id)
    document = get_document(document_id)
    return Response(equity_csv(document.id), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="equity-by-group-{document.id}.csv"'})


# --- plain-language summaries ----------------------------------------------------------------

def _summaries_page(document_id: int, number: int, previews: dict | None = None, typed: dict | None = None):
    """`previews`: clause id -> the score of the text typed there; `typed`: clause id -> that text."""
    require(can_administer(_actor()), _actor(), _l("Only administrators write plain-language summaries."))
    document = get_document(document_id)
    texts = clause_texts(document, number)
    summaries = summaries_of(document_id, number)
    return render_template("summaries.html", document=document, number=number, texts=texts,
                           summaries=summaries, previews=previews or {}, typed=typed or {},
                           limit=SUMMARY_WORD_LIMIT)


@web.get("/documents/<int:document_id>/versions/<int:number>/summaries")
@login_required
def summaries_page(document_id: int, number: int):
    return _summaries_page(document_id, number)


def _summaries_again(error, document_id: int, number: int, clause_id: int):
    """The page with the refused text kept in its box and scored."""
    text = request.form.get("text", "")
    return _summaries_page(document_id, number, {clause_id: readability(text)}, {clause_id: text})


@web.post("/documents/<int:document_id>/versions/<int:number>/clauses/<int:clause_id>/summary")
@login_required
@form_view(_summaries_again)
def summary_submit(document_id: int, number: int, clause_id: int):
    text = request.form.get("text", "")
    if request.form.get("action") == "preview":
        # Scored, not stored: the page comes back with the text and its score.
        require(can_administer(_actor()), _actor(), _l("Only administrators write plain-language summaries."))
        return _summaries_page(document_id, number, {clause_id: readability(text)}, {clause_id: text})
    write_clause_summary(_actor(), document_id, clause_id, text=text, version=number)
    flash((_("The summary was saved.") if text.strip() else _("The summary was removed.")), "info")
    return redirect(url_for("web.summaries_page", document_id=document_id, number=number,
                            _anchor=f"summary-{clause_id}"))


# --- adoption and review ---------------------------------------------------------------------

def _adoption_page(document_id: int):
    readable_document(_actor(), document_id)
    document = get_document(document_id)
    today = utcnow().date()
    return render_template("adoption.html", document=document, adoption=adoption_of(document_id),
                           adopted_versions=adoptions_by_version(document_id), today=today.isoformat(),
                           default_review=one_year_after(today).isoformat(), parties=PARTY_LABELS,
                           is_admin=can_administer(_actor()))


@web.get("/documents/<int:document_id>/adoption")
@login_required
def adoption_page(document_id: int):
    return _adoption_page(document_id)


def _adoption_again(error, document_id: int, **_ignored):
    return _adoption_page(document_id)


@web.post("/documents/<int:document_id>/adoption")
@login_required
@form_view(_adoption_again)
def adopt_submit(document_id: int):
    adoption = adopt_version(_actor(), document_id, version=request.form.get("version") or None,
                             adopted_on=request.form.get("adopted_on"),
                             next_review_on=request.form.get("next_review_on") or None)
    flash(_("Version %(version_number)s is recorded as adopted. Record who signed it below.", version_number=adoption.version_number), "info")
    return redirect(url_for("web.adoption_page", document_id=document_id))


@web.post("/documents/<int:document_id>/adoption/<int:adoption_id>/signatures")
@login_required
@form_view(_adoption_again)
def sign_submit(document_id: int, adoption_id: int):
    form = request.form
    record_signature(_actor(), adoption_id, party=form.get("party") or None, party_name=form.get("party_name"),
                     name=form.get("name"), title=form.get("title"), signed_on=form.get("signed_on"))
    flash(_("The signature was recorded."), "info")
    return redirect(url_for("web.adoption_page", document_id=document_id, _anchor="signatures"))


@web.post("/documents/<int:document_id>/adoption/<int:adoption_id>/review-date")
@login_required
@form_view(_adoption_again)
def review_date_submit(document_id: int, adoption_id: int):
    set_review_date(_actor(), adoption_id, next_review_on=request.form.get("next_review_on"))
    flash(_("The next review date was changed."), "info")
    return redirect(url_for("web.adoption_page", document_id=document_id))


@web.post("/documents/<int:document_id>/review")
@login_required
@form_view(_adoption_again)
def start_review_submit(document_id: int):
    version = start_review(_actor(), document_id, note=request.form.get("note") or None)
    flash(_("The review started: version %(number)s is the new draft, with the last cycle's open and deferred concerns listed on it.", number=version.number), "info")
    return redirect(url_for("web.document", document_id=document_id, _anchor="carried-concerns"))
