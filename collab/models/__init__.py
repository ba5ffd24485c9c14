"""The data model, one module per aggregate."""
from .agreements import Adoption, CarriedConcern, ClauseSummary, Signature
from .campaigns import Campaign, CampaignGrouper, CampaignMember, CommentSignature
from .comments import Comment, CommentRevision
from .cosigning import CommentScan, Cosignature, CosignerCount
from .coverage import ClauseCoverage
from .drafts import CommentPlacement, VersionSuggestion
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .events import ChainHead, Checkpoint, Event
from .mail import OutboxMail
from .meetings import AgendaItem, Attendance, Meeting, MeetingFocus, SilentRound, SpeakerRequest
from .moderation import Flag, ModerationAction
from .notifications import (ClauseFollow, DocumentFollow, Notification, NotificationCursor,
                            NotificationPreference, Reminder)
from .resolutions import Reopening, Resolution
from .translations import ClauseTranslation
from .users import AccountLink, Credential, Group, Invitation, User

__all__ = [
    "AccountLink", "Adoption", "AgendaItem", "Attendance", "Campaign", "CampaignGrouper", "CampaignMember",
    "CommentSignature", "CarriedConcern", "ChainHead", "Checkpoint", "Clause",
    "ClauseCoverage", "ClauseFollow", "ClauseSummary", "ClauseText", "ClauseTranslation", "Comment", "CommentPeriod",
    "CommentPlacement", "CommentRevision", "CommentScan", "Cosignature", "CosignerCount", "Credential", "Document", "DocumentFollow", "Event", "Flag", "Group",
    "Invitation", "Meeting", "MeetingFocus", "ModerationAction", "Notification", "NotificationCursor",
    "NotificationPreference", "OutboxMail", "Reminder", "Reopening", "Resolution", "Signature", "SilentRound",
    "SpeakerRequest", "User",
    "Version", "VersionSuggestion",
]
