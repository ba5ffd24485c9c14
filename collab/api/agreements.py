"""Equity by group, plain-language summaries, adoption, signatures and the review."""
from __future__ import annotations

from flask import Response, jsonify

from ..drafts.readability import readability
from ..models.lookups import get_document
from ..reads.agreements import adoption_of, adoption_to_dict, carried_concerns, signature_to_dict, summaries_of
from ..reads.access import readable_document
from ..reads.equity import equity, equity_csv
from ..serializers import version_to_dict
from ..services.agreements import (adopt_version, record_signature, set_review_date, start_review,
                                   write_clause_summary)
from .blueprint import api
from .helpers import actor, json_body, viewer
from flask_babel import lazy_gettext as _l


@api.get("/documents/<int:document_id>/equity")
def equity_view(document_id: int):
    readable_document(viewer(), document_id)
    return jsonify(equity(document_id))


@api.get("/documents/<int:document_id>/equity.csv")
def equity_csv_view(document_id: int):
    readable_document(viewer(), document_id)
    document = get_document(document_id)
    return Response(equity_csv(document.id), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="equity-by-group-{document.id}.csv"'})


@api.get("/documents/<int:document_id>/versions/<int:number>/summaries")
def summaries_view(document_id: int, number: int):
    readable_document(viewer(), document_id)
    get_document(document_id)
    return jsonify(summaries=[{"clause_id": clause_id, **summary}
                             for clause_id, summary in summaries_of(document_id, number).items()])


@api.put("/documents/<int:document_id>/versions/<int:number>/clauses/<int:clause_id>/summary")
def write_summary_view(document_id: int, number: int, clause_id: int):
    user = actor()
    data = json_body()
    write_clause_summary(user, document_id, clause_id, text=data.get("text"), version=number)
    summary = summaries_of(document_id, number).get(clause_id)
    return jsonify(summary={"clause_id": clause_id, **summary} if summary else None,
                   readability=readability(data.get("text") or ""))


@api.post("/readability")
def readability_view():
    actor()  # for people writing summaries: signed in
    text = json_body().get("text")
    if text is not None and not isinstance(text, str):
        from ..errors import Invalid

        raise Invalid(_l("text must be text."), "invalid_text")
    return jsonify(readability((text or "")[:20_000]))


@api.get("/documents/<int:document_id>/adoption")
def adoption_view(document_id: int):
    readable_document(viewer(), document_id)
    get_document(document_id)
    return jsonify(adoption=adoption_of(document_id))


@api.post("/documents/<int:document_id>/adoptions")
def adopt_view(document_id: int):
    user = actor()
    data = json_body()
    adoption = adopt_version(user, document_id, version=data.get("version"), adopted_on=data.get("adopted_on"),
                             next_review_on=data.get("next_review_on"))
    return jsonify(adoption=adoption_to_dict(adoption)), 201


@api.post("/adoptions/<int:adoption_id>/signatures")
def sign_view(adoption_id: int):
    user = actor()
    data = json_body()
    signature = record_signature(user, adoption_id, party=data.get("party"), party_name=data.get("party_name"),
                                 name=data.get("name"), title=data.get("title"), signed_on=data.get("signed_on"))
    return jsonify(signature=signature_to_dict(signature)), 201


@api.put("/adoptions/<int:adoption_id>/review-date")
def review_date_view(adoption_id: int):
    user = actor()
    data = json_body()
    return jsonify(adoption=adoption_to_dict(set_review_date(user, adoption_id,
                                                             next_review_on=data.get("next_review_on"))))


@api.post("/documents/<int:document_id>/reviews")
def start_review_view(document_id: int):
    user = actor()
    data = json_body()
    version = start_review(user, document_id, note=data.get("note"))
    return jsonify(version=version_to_dict(version),
                   carried_concerns=carried_concerns(document_id, version.number)), 201
