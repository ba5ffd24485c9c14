"""The documents list, a document's page, and the comment form that works without JavaScript."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..events import chain_head
from ..rate_limits import spend_comment_budget
from ..permissions import can_comment, comment_action_table
from ..reads.documents import document_view
from ..services.comments import create_comment
from ..reads.access import readable_document
from ..services.translations import set_clause_translation
from ..services.users import list_groups
from ..drafts.sentences import passage_of, sentences
from ..models.lookups import current_clause_text
from ..translation import LANGUAGE_NAMES
from .blueprint import web
from .forms import form_view
from .helpers import page_actor, page_viewer
from ..reads.documents import commenting_of, document_rows, live_meeting
from .helpers import group_tone
from ..reads.comments import viewer_of
from ..reads.threads import clause_counts, first_threads, single_thread, thread_order
from ..reads.agreements import adoption_of, carried_concerns, summaries_of
from flask_babel import gettext as _

COMMENT_FIELDS = ("body", "kind", "quote", "suggested_text", "parent_id", "language")
# How the reader reads the agreement (`?text=`): the English, the Spanish, or both side by side.
TEXT_MODES = ("en", "es", "both")


def text_mode() -> str:
    mode = request.args.get("text") or request.form.get("text") or "en"
    return mode if mode in TEXT_MODES else "en"


@web.get("/documents")
def documents():
    return render_documents()


def render_documents():
    """The documents the reader may read: the public ones for everyone, all of them once signed in."""
    return render_template("documents.html", documents=document_rows(page_viewer()))


def render_document(document_id: int, form_error: dict | None = None, translation_error: dict | None = None):
    actor = page_viewer()
    readable_document(actor, document_id)
    # Read the head first: anything committed after it reaches the page through `join {since}`.
    head_seq = chain_head()[0]
    document = document_view(document_id)
    for clause in document["clauses"]:
        clause["sentences"] = sentences(clause["body"])
    # Each clause's first threads only, newest or most co-signed first; the rest come page by
    # page in the same order (reads/threads.py).
    order = thread_order(request.args.get("order"))
    threads = first_threads(actor, document_id, order=order)
    reply_to = _reply_target(form_error)
    if reply_to is not None:
        _show_thread(actor, document_id, threads, reply_to)
    groups = list_groups()
    tones = {group.slug: group_tone(group.slug) for group in groups}
    group_names = {group.slug: group.name for group in groups}
    return render_template("document.html", document=document, threads=threads, head_seq=head_seq,
                           state=commenting_of(document), can_comment=can_comment(actor), tones=tones,
                           group_names=group_names, form_error=form_error, viewer=viewer_of(actor),
                           action_table=comment_action_table(actor), meeting=live_meeting(document_id),
                           clause_counts=clause_counts(document_id), reply_to=reply_to,
                           text_mode=text_mode(), translation_error=translation_error, thread_order=order,
                           LANGUAGE_NAMES=LANGUAGE_NAMES,
                           adoption=adoption_of(document_id), summaries=summaries_of(document_id, document["version"]),
                           carried=carried_concerns(document_id, document["version"]))


def _reply_target(form_error) -> int | None:
    """The thread whose reply form is open: the one a failed reply was for, or ?reply_to=."""
    raw = (form_error or {}).get("parent_id") or request.args.get("reply_to")
    try:
        return int(raw) if raw not in (None, "") and len(str(raw)) < 19 else None
    except ValueError:
        return None


def _show_thread(actor, document_id: int, threads: dict, thread_id: int) -> None:
    """Put the thread a reply form is open in on the page, even when it is not among the newest."""
    shown = {t["id"] for clause in threads.values() for t in clause["threads"]}
    if thread_id in shown:
        return
    thread = single_thread(actor, document_id, thread_id)
    if thread is not None:
        threads.setdefault(thread["clause_id"], {"threads": [], "next": None})["threads"].insert(0, thread)


@web.get("/documents/<int:document_id>")
def document(document_id: int):
    return render_document(document_id)


def _comment_form_again(error, document_id: int, clause_id: int):
    form = {name: request.form.get(name) or None for name in COMMENT_FIELDS}
    form["quote_sentence"] = request.form.getlist("quote_sentence")
    return render_document(document_id, {"clause_id": clause_id, "parent_id": form["parent_id"],
                                         "message": error.message, "values": form})


@web.post("/documents/<int:document_id>/clauses/<int:clause_id>/comments")
@login_required
@form_view(_comment_form_again)
def post_comment(document_id: int, clause_id: int):
    """The no-JavaScript path: the same service as the API; on failure the page comes
    back with the message next to the form and the typed text in it."""
    form = {name: request.form.get(name) or None for name in COMMENT_FIELDS}
    quote = form["quote"] or _chosen_passage(clause_id)
    spend_comment_budget(page_actor().id)
    comment, _created = create_comment(page_actor(), clause_id, body=form["body"], kind=form["kind"],
                                       parent_id=form["parent_id"], quote=quote,
                                       suggested_text=form["suggested_text"], language=form["language"],
                                       idempotency_key=request.form.get("idempotency_key") or None)
    flash(_("Your comment was posted."), "info")
    return redirect(url_for("web.document", document_id=comment.document_id, text=_mode_arg(),
                            _anchor=f"comment-{comment.id}"))


def _mode_arg() -> str | None:
    mode = text_mode()
    return None if mode == "en" else mode


def _chosen_passage(clause_id: int) -> str | None:
    """The sentences ticked in "Quote a passage", as one passage of the clause's current text."""
    chosen = request.form.getlist("quote_sentence")
    if not chosen:
        return None
    _clause, text, _document = current_clause_text(clause_id)
    return passage_of(text.body, chosen)


def _translation_again(error, document_id: int, clause_id: int, language: str):
    return render_document(document_id, translation_error={
        "clause_id": clause_id, "message": error.message,
        "values": {"heading": request.form.get("heading", ""), "body": request.form.get("body", "")}})


@web.post("/documents/<int:document_id>/clauses/<int:clause_id>/translations/<language>")
@login_required
@form_view(_translation_again)
def post_translation(document_id: int, clause_id: int, language: str):
    """An administrator pastes a clause's human translation (the same service as the API)."""
    set_clause_translation(page_actor(), clause_id, language, heading=request.form.get("heading"),
                           body=request.form.get("body"))
    flash(_("The %(get)s text of the clause was saved.", get=LANGUAGE_NAMES.get(language, language)), "info")
    return redirect(url_for("web.document", document_id=document_id, text=_mode_arg() or "both",
                            _anchor=f"clause-{clause_id}"))
