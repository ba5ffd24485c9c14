"""Pages for co-signing ("add my name", without JavaScript too), the scans of letters (staff
only), and the staff form that enters a comment received by letter, phone, meeting or e-mail."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..api.comments import scan_response
from ..models.cosigning import SOURCES
from ..models.lookups import clause_texts, get_document
from ..permissions import can_enter_on_behalf, require
from ..reads.intake import intake_people, staff_scan
from ..services.cosigning import cosign_comment, withdraw_cosignature
from ..services.intake import ScanUpload, enter_comment_on_behalf
from ..services.users import list_groups
from ..translation import LANGUAGES
from .blueprint import web
from .forms import form_view
from .helpers import safe_next

ENTERED_FROM = {"letter": _l("Entered by staff from a letter"), "phone": _l("Entered by staff from a call"),
                "meeting": _l("Entered by staff from a meeting"), "email": _l("Entered by staff from an e-mail")}
SOURCE_LABELS = {"letter": _l("Letter (on paper)"), "phone": _l("Phone call"),
                 "meeting": _l("At a meeting's microphone"), "email": _l("E-mail")}
assert set(ENTERED_FROM) == set(SOURCE_LABELS) == set(SOURCES)


@web.app_context_processor
def _intake_labels():
    # Plain strings in the reader's language (the document page also hands them to its scripts as JSON).
    return {"ENTERED_FROM": {source: str(label) for source, label in ENTERED_FROM.items()}}


def _back_to_comment(error, comment_id: int):
    """Back where the button was; the flash says why nothing changed."""
    return redirect(safe_next(request.form.get("next") or f"/comments/{comment_id}"))


@web.post("/comments/<int:comment_id>/cosign")
@login_required
@form_view(_back_to_comment)
def cosign_form(comment_id: int):
    if request.form.get("withdraw") == "yes":
        withdraw_cosignature(current_user, comment_id)
        flash(_l("Your name is off this comment."), "info")
    else:
        cosign_comment(current_user, comment_id)
        flash(_l("Your name is on this comment."), "info")
    return redirect(safe_next(request.form.get("next") or f"/comments/{comment_id}"))


@web.get("/comments/<int:comment_id>/scan")
@login_required
def comment_scan(comment_id: int):
    scan, path = staff_scan(current_user, comment_id)
    return scan_response(scan, path)


# --- intake on behalf -----------------------------------------------------------------------

def _intake_page(document_id: int, error=None, status: int = 200):
    require(can_enter_on_behalf(current_user), current_user, _l("Only district staff enter comments for someone else."))
    document = get_document(document_id)
    clauses = [{"id": t.clause_id, "number": t.number, "heading": t.heading} for t in clause_texts(document)]
    values = request.form if request.method == "POST" else {}
    return render_template("intake.html", document=document, clauses=clauses, groups=list_groups(),
                           people=intake_people(current_user), sources=SOURCE_LABELS, values=values, error=error,
                           languages=LANGUAGES), status


@web.get("/documents/<int:document_id>/intake")
@login_required
def intake_page(document_id: int):
    return _intake_page(document_id)


def _intake_again(error, document_id: int):
    return _intake_page(document_id, error=error, status=error.status)


@web.post("/documents/<int:document_id>/intake")
@login_required
@form_view(_intake_again, flash_refusal=False)
def intake_form(document_id: int):
    form = request.form
    if form.get("person_id"):
        person = {"user_id": form.get("person_id")}
    else:
        person = {"name": form.get("name"), "group": form.get("group"), "email": form.get("email") or None}
    upload = request.files.get("scan")
    scan = ScanUpload(upload.filename or "", upload.read()) if upload and upload.filename else None
    clause_id = form.get("clause_id", "")
    # Only a clause of this document: another document's clause is "no such clause" here.
    ours = {text.clause_id for text in clause_texts(get_document(document_id))}
    comment = enter_comment_on_behalf(
        current_user, int(clause_id) if clause_id.isdigit() and int(clause_id) in ours else 0, on_behalf_of=person, source=form.get("source"),
        body=form.get("body"), kind=form.get("kind"), language=form.get("language") or None, scan=scan)
    flash(_l("The comment was entered for %(name)s.", name=comment.author.name), "info")
    return redirect(url_for("web.intake_page", document_id=document_id, entered=comment.id))
