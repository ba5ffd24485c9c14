from flask import jsonify, request

from ..errors import Invalid
from ..reads.translations import translation_to_dict
from ..services.translations import import_translations, set_clause_translation
from .blueprint import api
from .helpers import actor, json_body
from flask_babel import lazy_gettext as _l


@api.put("/clauses/<int:clause_id>/translations/<language>")
def put_translation_view(clause_id: int, language: str):
    user = actor()  # 401 comes before any complaint about the body
    data = json_body()
    translation = set_clause_translation(user, clause_id, language, heading=data.get("heading"),
                                         body=data.get("body"), version=data.get("version"))
    return jsonify(clause_id=clause_id, language=language, translation=translation_to_dict(translation))


@api.post("/documents/<int:document_id>/translations/<language>/import")
def import_translations_view(document_id: int, language: str):
    """JSON `{text, version?}`, or a multipart form with `file` (.docx) or `text`."""
    user = actor()
    if request.files.get("file"):
        upload = request.files["file"]
        if not (upload.filename or "").lower().endswith(".docx"):
            raise Invalid(_l("Upload a Word file ending in .docx, or paste the text instead."), "not_a_docx")
        result = import_translations(user, document_id, language, docx_bytes=upload.read(),
                                     version=request.form.get("version") or None)
    elif request.form:
        result = import_translations(user, document_id, language, text=request.form.get("text"),
                                     version=request.form.get("version") or None)
    else:
        data = json_body()
        result = import_translations(user, document_id, language, text=data.get("text"), version=data.get("version"))
    return jsonify(imported=result)
