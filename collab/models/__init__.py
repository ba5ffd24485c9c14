"""The data model, one module per aggregate."""
from .agreements import Adoption, CarriedConcern, ClauseSummary, Signature
from .comments import Comment, CommentRevision
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .mail import OutboxMail
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .moderation import Flag, ModerationAction
from .resolutions import Reopening, Resolution
from .users import Credential, Group, User

__all__ = [
    "Adoption", "CarriedConcern", "ClauseSummary", "Signature",
    "AgendaItem", "Attendance", "ChainHead", "Checkpoint", "Clause", "ClauseText", "Comment", "CommentPeriod",
    "CommentPlacement", "CommentRevision", "Credential", "Document", "Event", "Flag", "Group", "Meeting",
    "MeetingFocus", "ModerationAction", "OutboxMail", "Reopening", "Resolution", "SilentRound", "SpeakerRequest", "User",
    "Version", "VersionSuggestion",
]
