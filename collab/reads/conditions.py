"""SQL conditions shared by several read models (kept apart so they import no read model)."""
from __future__ import annotations

from sqlalchemy import and_, not_, select

from ..models import Comment, Group, User
from ..models.comments import ANSWERED_KINDS, DISTRICT_GROUP


def awaiting_answer_condition():
    """awaits_answer (models/comments.py) in SQL: open, a kind the district answers, and not
    a reply by the district's own staff."""
    staff = select(User.id).join(Group, User.group_id == Group.id).where(
        User.role.in_(("admin", "facilitator")), Group.slug == DISTRICT_GROUP)
    return and_(Comment.status == "open", Comment.kind.in_(ANSWERED_KINDS),
                not_(and_(Comment.parent_id.is_not(None), Comment.author_id.in_(staff))))
