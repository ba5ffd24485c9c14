"""The adopted version with its signatures and review date, a version's plain-language summaries,
and the concerns a review draft carried from the last cycle. Each is one or two queries."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Adoption, CarriedConcern, ClauseSummary, Comment, User, Version
from ..models.agreements import PARTY_LABELS
from ..timeutil import isoformat, utcnow


def signature_to_dict(signature) -> dict:
    return {"id": signature.id, "party": signature.party,
            "party_label": signature.party_name or PARTY_LABELS[signature.party],
            "name": signature.name, "title": signature.title, "signed_on": signature.signed_on.isoformat()}


def adoption_to_dict(adoption: Adoption, today: date | None = None) -> dict:
    today = today or utcnow().date()
    return {
        "id": adoption.id, "document_id": adoption.document_id, "version": adoption.version_number,
        "adopted_on": adoption.adopted_on.isoformat(), "next_review_on": adoption.next_review_on.isoformat(),
        "days_to_review": (adoption.next_review_on - today).days,
        "review_version": adoption.review_version_number, "recorded_at": isoformat(adoption.recorded_at),
        "signatures": [signature_to_dict(s) for s in adoption.signatures],
    }


def adoption_of(document_id: int) -> dict | None:
    """The document's latest adoption (the version in force), with its signatures."""
    adoption = db.session.execute(select(Adoption).where(Adoption.document_id == document_id)
                                  .order_by(Adoption.id.desc()).limit(1)).scalar_one_or_none()
    return adoption_to_dict(adoption) if adoption else None


def adoptions_by_version(document_id: int) -> dict[int, dict]:
    """version number -> its adoption, for the versions list."""
    rows = db.session.execute(select(Adoption).where(Adoption.document_id == document_id)).scalars()
    return {a.version_number: adoption_to_dict(a) for a in rows}


def summaries_of(document_id: int, number: int) -> dict[int, dict]:
    """clause id -> its plain-language summary in version `number`."""
    rows = db.session.execute(
        select(ClauseSummary).join(Version, Version.id == ClauseSummary.version_id)
        .where(Version.document_id == document_id, Version.number == number)).scalars()
    return {s.clause_id: {"text": s.body, "words": s.word_count, "reading_ease": s.reading_ease,
                          "grade_level": s.grade_level, "written_at": isoformat(s.written_at)} for s in rows}


def carried_concerns(document_id: int, number: int) -> list[dict]:
    """The last cycle's open and deferred concerns a review draft (version `number`) took up."""
    rows = db.session.execute(
        select(CarriedConcern.reason, Comment, User.name)
        .join(Version, Version.id == CarriedConcern.version_id)
        .join(Comment, Comment.id == CarriedConcern.comment_id).join(User, User.id == Comment.author_id)
        .where(Version.document_id == document_id, Version.number == number).order_by(Comment.id)).all()
    return [{"comment_id": c.id, "clause_id": c.clause_id, "reason": reason, "kind": c.kind, "author": name,
             "excerpt": None if c.redacted_at or c.status == "hidden" else _excerpt(c.body)}
            for reason, c, name in rows]


def _excerpt(text: str, length: int = 160) -> str:
    return text[:length] + ("…" if len(text) > length else "")
