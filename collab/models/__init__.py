"""The data model, one module per aggregate."""
from .comments import Comment, CommentRevision
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .moderation import Flag, ModerationAction
from .resolutions import Reopening, Resolution
from .users import Credential, Group, User

__all__ = [
    "ChainHead", "Checkpoint", "Clause", "ClauseText", "Comment", "CommentPeriod", "CommentPlacement",
    "CommentRevision", "Credential", "Document", "Event", "Flag", "Group", "ModerationAction", "Reopening",
    "Resolution", "User", "Version", "VersionSuggestion",
]
