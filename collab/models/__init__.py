"""The data model, one module per aggregate."""
from .comments import Comment, CommentRevision
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .users import Credential, Group, User

__all__ = [
    "AgendaItem", "Attendance", "Meeting", "MeetingFocus", "SilentRound", "SpeakerRequest",
    "ChainHead", "Checkpoint", "Clause", "ClauseText", "Comment", "CommentPeriod", "CommentRevision",
    "Credential", "Document", "Event", "Group", "User", "Version",
]
