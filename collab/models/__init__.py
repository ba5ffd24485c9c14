"""The data model, one module per aggregate."""
from .comments import Comment, CommentRevision
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .mail import OutboxMail
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .moderation import Flag, ModerationAction
from .notifications import (ClauseFollow, DocumentFollow, Notification, NotificationCursor,
                            NotificationPreference, Reminder)
from .resolutions import Reopening, Resolution
from .users import Credential, Group, User

__all__ = [
    "AgendaItem", "Attendance", "ChainHead", "Checkpoint", "Clause", "ClauseText", "Comment", "CommentPeriod",
    "ClauseFollow", "CommentPlacement", "CommentRevision", "Credential", "Document", "DocumentFollow", "Event", "Flag", "Group", "Meeting",
    "MeetingFocus", "ModerationAction", "Notification", "NotificationCursor", "NotificationPreference",
    "Reminder", "OutboxMail", "Reopening", "Resolution", "SilentRound", "SpeakerRequest", "User",
    "Version", "VersionSuggestion",
]
