from flask import jsonify, request

from ..errors import NotFound
from ..reads.documents import document_view
from ..serializers import period_to_dict
from ..services.documents import close_period, create_document, create_period, update_document
from ..reads.access import readable_document, readable_documents
from .blueprint import api
from .helpers import actor, json_body, viewer
from flask_babel import lazy_gettext as _l


@api.post("/documents")
def create_document_view():
    user = actor()  # 401 comes before any complaint about the body
    data = json_body()
    document = create_document(user, title=data.get("title"), clauses=data.get("clauses"),
                               visibility=data.get("visibility"))
    return jsonify(document=document_view(document.id)), 201


@api.get("/documents")
def list_documents_view():
    return jsonify(documents=[document_view(d.id, with_clauses=False) for d in readable_documents(viewer())])


# One rule for both methods: werkzeug notes a rule's methods before its converter refuses an
# id out of range, so a second rule on the same path would turn that 404 into a 405.
@api.route("/documents/<int:document_id>", methods=["GET", "PATCH"])
def show_document(document_id: int):
    if request.method == "PATCH":
        document = update_document(actor(), document_id, json_body())
        return jsonify(document=document_view(document.id))
    readable_document(viewer(), document_id)
    return jsonify(document=document_view(document_id))


@api.get("/documents/<int:document_id>/versions/<int:number>")
def show_document_version(document_id: int, number: int):
    readable_document(viewer(), document_id)
    if number < 1:
        raise NotFound(_l("Version %(number)s of this document does not exist.", number=number))
    return jsonify(document=document_view(document_id, version=number))


@api.post("/documents/<int:document_id>/periods")
def create_period_view(document_id: int):
    user = actor()
    data = json_body()
    period = create_period(user, document_id, opens_at=data.get("opens_at"), closes_at=data.get("closes_at"))
    return jsonify(period=period_to_dict(period)), 201


@api.post("/periods/<int:period_id>/close")
def close_period_view(period_id: int):
    return jsonify(period=period_to_dict(close_period(actor(), period_id)))
