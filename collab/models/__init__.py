"""The data model, one module per aggregate."""
from .comments import Comment, CommentRevision
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .mail import OutboxMail
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .moderation import Flag, ModerationAction
from .resolutions import Reopening, Resolution
from .translations import ClauseTranslation
from .users import Credential, Group, User

__all__ = [
    "AgendaItem", "Attendance", "ChainHead", "Checkpoint", "Clause", "ClauseText", "ClauseTranslation", "Comment", "CommentPeriod",
    "CommentPlacement", "CommentRevision", "Credential", "Document", "Event", "Flag", "Group", "Meeting",
    "MeetingFocus", "ModerationAction", "OutboxMail", "Reopening", "Resolution", "SilentRound", "SpeakerRequest", "User",
    "Version", "VersionSuggestion",
]
