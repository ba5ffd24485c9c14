"""Who may be told about what: the one place that decides, so that new kinds of
visibility (invited documents) are added here once."""
from __future__ import annotations

from ..models import Comment, User
from ..permissions import can_moderate, can_read


def may_know_about(user: User, document_id: int | None, comment: Comment | None = None) -> bool:
    """Whether `user` may be told about `comment` (or, without one, about the document).

    A comment's own author always may. Others may not hear of a hidden comment (moderators
    excepted) nor of a silent round's comment before the reveal. Documents are all readable
    by signed-in people today; once invited documents exist, their check belongs here."""
    if not can_read(user):
        return False
    if comment is None:
        return True
    if comment.author_id == user.id:
        return True
    if comment.is_withheld:
        return False
    if comment.status == "hidden":
        return can_moderate(user)
    return True
