"""Near-identical comments on a clause, so the comment form can offer "add your name to it
instead?". Bounded: only the clause's newest SIMILAR_CANDIDATES thread-opening comments are
compared (rapidfuzz, in C). Hidden, redacted and unrevealed comments are never candidates, so
their text is never shown, whoever asks."""
from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Clause, Comment, User
from ..parsing import safe_text
from ..permissions import can_cosign
from ..serializers import comment_to_dict
from .access import readable_document
from .comments import cosigned_by, visible_to
from flask_babel import lazy_gettext as _l

SIMILAR_CANDIDATES = 500
SIMILAR_SCORE = 85  # fuzz.ratio after lower-casing and dropping punctuation
SIMILAR_MIN_LENGTH = 20  # shorter texts ("I agree") match too much to suggest anything
SIMILAR_SHOWN = 3
TEXT_MAX = 10_000


def similar_comments(viewer: User | None, clause_id: int, text) -> list[dict]:
    """The clause's comments most like `text`: [{comment, score, cosigned}] best first, at most
    SIMILAR_SHOWN, each scoring at least SIMILAR_SCORE of 100. Readable by whoever may read the clause."""
    clause = db.session.get(Clause, clause_id)
    if clause is None:
        raise NotFound(_l("No such clause."), "clause_not_found")
    readable_document(viewer, clause.document_id)
    if not isinstance(text, str):
        text = ""
    if len(text) > TEXT_MAX:
        raise Invalid(_l("text is %(count)s characters long; the limit is %(text_max)s.", count=format(len(text), ','), text_max=format(TEXT_MAX, ',')), "text_too_long")
    text = safe_text(text.strip(), "text") if text.strip() else ""
    if len(utils.default_process(text)) < SIMILAR_MIN_LENGTH:
        return []
    # Only ids and texts for the comparison; the few chosen are loaded whole afterwards.
    query = (select(Comment.id, Comment.body).where(Comment.clause_id == clause_id, Comment.parent_id.is_(None),
                                                    Comment.status != "hidden", Comment.redacted_at.is_(None),
                                                    visible_to(None))
             .order_by(Comment.id.desc()).limit(SIMILAR_CANDIDATES))
    if viewer is not None:
        query = query.where(Comment.author_id != viewer.id)
    candidates = dict(db.session.execute(query).all())
    found = process.extract(text, candidates, scorer=fuzz.ratio, processor=utils.default_process,
                            score_cutoff=SIMILAR_SCORE, limit=SIMILAR_SHOWN)
    if not found:
        return []
    loaded = {c.id: c for c in db.session.execute(
        select(Comment).where(Comment.id.in_([key for _body, _score, key in found]))).scalars()}
    chosen = [loaded[key] for _body, _score, key in found]
    mine = cosigned_by(viewer, [c.id for c in chosen])
    return [{"comment": comment_to_dict(comment), "score": round(score, 1), "cosigned": comment.id in mine,
             "may_cosign": can_cosign(viewer, comment)}
            for comment, (_body, score, _key) in zip(chosen, found)]

