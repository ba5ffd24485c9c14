"""Importing a clause-numbered Spanish file: the page form over the same service as the API."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import Invalid
from ..models.lookups import get_document
from ..reads.access import readable_document
from ..services.translations import import_translations
from .blueprint import web
from .forms import form_view
from .helpers import page_actor
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _


def _import_again(error, document_id: int):
    return render_template("translation_import.html", document=get_document(document_id),
                           text=request.form.get("text", ""), error=error.message)


@web.route("/documents/<int:document_id>/translations/import", methods=["GET", "POST"])
@login_required
@form_view(_import_again)
def translation_import_page(document_id: int):
    readable_document(page_actor(), document_id)
    document = get_document(document_id)
    if request.method == "GET":
        return render_template("translation_import.html", document=document, text="")
    upload = request.files.get("file")
    if upload and upload.filename:
        if not upload.filename.lower().endswith(".docx"):
            raise Invalid(_l("Choose a Word file ending in .docx, or paste the text instead."), "not_a_docx")
        result = import_translations(page_actor(), document.id, "es", docx_bytes=upload.read())
    else:
        result = import_translations(page_actor(), document.id, "es", text=request.form.get("text", ""))
    missing = f" Still without Spanish text: {', '.join(result['missing'])}." if result["missing"] else ""
    flash(_("The Spanish text of %(result)s clauses was saved.%(missing)s", result=result['count'], missing=missing), "info")
    return redirect(url_for("web.document", document_id=document.id, text="both"))
