"""What a notification says, and where it leads: shared by the page, the API's live
message and the mails, so they always agree."""
from __future__ import annotations

from ..models.notifications import Notification
from ..timeutil import isoformat
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "comment_answered": _l("Your comment was answered"),
    "answer_changed": _l("The answer to your comment changed"),
    "comment_replied": _l("Someone replied to your comment"),
    "clause_changed": _l("A new version changed a clause you follow or commented on"),
    "suggestion_taken": _l("A new version took your suggested wording"),
    "comment_hidden": _l("Your comment was hidden"),
    "comment_unhidden": _l("Your comment is shown again"),
    "version_published": _l("A new version of a document you follow"),
    "period_opened": _l("A comment period opened"),
    "period_closing": _l("A comment period closes soon"),
    "meeting_scheduled": _l("A meeting was scheduled"),
    "meeting_starting": _l("A meeting starts soon"),
    "flag_new": _l("A comment was flagged"),
    "answer_contested": _l("An answer was contested"),
    "approval_requested": _l("An account waits for approval"),
}


def summary(notification: Notification, document_title: str | None) -> str:
    """One sentence about the notification, naming the document."""
    details = notification.details or {}
    on = f" on “{document_title}”" if document_title else ""
    kind = notification.kind
    if kind == "comment_answered":
        return f"The district answered your comment{on} ({details.get('disposition') or 'answered'})."
    if kind == "answer_changed":
        return f"The district changed its answer to your comment{on} ({details.get('disposition') or 'answered'})."
    if kind == "comment_replied":
        return f"Someone replied to your comment{on}."
    if kind == "clause_changed":
        if notification.comment_id:
            return (f"Version {details.get('version')}{on} changed a clause you commented on. "
                    "Does the new text resolve your concern?")
        return f"Version {details.get('version')}{on} changed a clause you follow."
    if kind == "suggestion_taken":
        return f"Version {details.get('version')}{on} took your suggested wording."
    if kind == "comment_hidden":
        reason = details.get("reason")
        return f"A moderator hid your comment{on}" + (f". Reason: {reason}" if reason else ".")
    if kind == "comment_unhidden":
        reason = details.get("reason")
        return f"Your comment{on} is shown again" + (f". Reason: {reason}" if reason else ".")
    if kind == "version_published":
        return f"Version {details.get('version')} of “{document_title}” was published."
    if kind == "period_opened":
        return f"Commenting opened{on}. It closes {details.get('closes_at', '')[:16].replace('T', ' ')} UTC."
    if kind == "period_closing":
        return f"Commenting{on} closes in {details.get('hours')} hours."
    if kind == "meeting_scheduled":
        when = f", starting {details['starts_at'][:16].replace('T', ' ')} UTC" if details.get("starts_at") else ""
        return f"A meeting{on} was scheduled: {details.get('title') or 'untitled'}{when}."
    if kind == "meeting_starting":
        return f"A meeting{on} starts in an hour: {details.get('title') or 'untitled'}."
    if kind == "flag_new":
        return f"A comment{on} was flagged for moderation."
    if kind == "answer_contested":
        return f"A comment's author{on} says the answer does not resolve it."
    if kind == "approval_requested":
        return "A new account waits for your approval."
    return KIND_LABELS.get(kind, kind)


def path(notification: Notification) -> str:
    """Where the notification leads, as a path of the site."""
    details = notification.details or {}
    if notification.kind == "clause_changed" and notification.comment_id:
        return "/my/carried-comments"
    if notification.kind == "flag_new":
        return "/moderation"
    if notification.kind == "approval_requested":
        return "/admin"
    if notification.kind in ("meeting_scheduled", "meeting_starting") and details.get("meeting_id"):
        return f"/meetings/{details['meeting_id']}"
    if notification.comment_id:
        return f"/comments/{notification.comment_id}"
    if notification.document_id:
        return f"/documents/{notification.document_id}"
    return "/notifications"


def notification_payload(notification: Notification, document_title: str | None) -> dict:
    """A notification as the API and the live channel show it."""
    return {"id": notification.id, "user_id": notification.user_id, "kind": notification.kind,
            "event_seq": notification.event_seq, "document_id": notification.document_id,
            "clause_id": notification.clause_id, "comment_id": notification.comment_id,
            "created_at": isoformat(notification.created_at),
            "read_at": isoformat(notification.read_at) if notification.read_at else None,
            "text": summary(notification, document_title), "url": path(notification)}
