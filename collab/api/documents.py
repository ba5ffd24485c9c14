from flask import jsonify

from ..errors import NotFound
from ..reads.documents import document_view
from ..serializers import period_to_dict
from ..services.documents import close_period, create_document, create_period, update_document
from ..reads.access import readable_document, readable_documents
from .blueprint import api
from .helpers import actor, json_body, viewer


@api.post("/documents")
def create_document_view():
    user = actor()  # 401 comes before any complaint about the body
    data = json_body()
    document = create_document(user, title=data.get("title"), clauses=data.get("clauses"),
                               visibility=data.get("visibility"))
    return jsonify(document=document_view(document.id)), 201


@api.patch("/documents/<int:document_id>")
def update_document_view(document_id: int):
    user = actor()
    document = update_document(user, document_id, json_body())
    return jsonify(document=document_view(document.id))


@api.get("/documents")
def list_documents_view():
    return jsonify(documents=[document_view(d.id, with_clauses=False) for d in readable_documents(viewer())])


@api.get("/documents/<int:document_id>")
def show_document(document_id: int):
    readable_document(viewer(), document_id)
    return jsonify(document=document_view(document_id))


@api.get("/documents/<int:document_id>/versions/<int:number>")
def show_document_version(document_id: int, number: int):
    readable_document(viewer(), document_id)
    if number < 1:
        raise NotFound(f"Version {number} of this document does not exist.")
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
