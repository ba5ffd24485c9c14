"""The data model, one module per aggregate."""
from .comments import Comment, CommentRevision
from .coverage import ClauseCoverage
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .mail import OutboxMail
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .moderation import Flag, ModerationAction
from .resolutions import Reopening, Resolution
from .users import AccountLink, Credential, Group, Invitation, User

__all__ = [
    "AccountLink", "AgendaItem", "Attendance", "ChainHead", "Checkpoint", "Clause", "ClauseCoverage", "ClauseText", "Comment", "CommentPeriod",
    "CommentPlacement", "CommentRevision", "Credential", "Document", "Event", "Flag", "Group", "Invitation", "Meeting",
    "MeetingFocus", "ModerationAction", "OutboxMail", "Reopening", "Resolution", "SilentRound", "SpeakerRequest", "User",
    "Version", "VersionSuggestion",
]
