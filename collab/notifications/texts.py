"""What a notification says, and where it leads: shared by the page, the API's live
message and the mails, so they always agree."""
from __future__ import annotations

from ..models.notifications import Notification
from ..timeutil import isoformat
from flask_babel import gettext as _
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
    "cosigned_answered": _l("A comment you co-signed was answered"),
}


def summary(notification: Notification, document_title: str | None) -> str:
    """One sentence about the notification, naming the document, in the language being written."""
    details = notification.details or {}
    on = _(" on “%(title)s”", title=document_title) if document_title else ""
    kind = notification.kind
    disposition = details.get("disposition") or _("answered")
    version = details.get("version")
    reason = details.get("reason")
    title = details.get("title") or _("untitled")
    if kind == "comment_answered":
        return _("The district answered your comment%(on)s (%(disposition)s).", on=on, disposition=disposition)
    if kind == "cosigned_answered":
        return _("The district answered a comment you co-signed%(on)s (%(disposition)s).", on=on,
                 disposition=disposition)
    if kind == "answer_changed":
        return _("The district changed its answer to your comment%(on)s (%(disposition)s).", on=on,
                 disposition=disposition)
    if kind == "comment_replied":
        return _("Someone replied to your comment%(on)s.", on=on)
    if kind == "clause_changed":
        if notification.comment_id:
            return _("Version %(version)s%(on)s changed a clause you commented on. Does the new text resolve your "
                     "concern?", version=version, on=on)
        return _("Version %(version)s%(on)s changed a clause you follow.", version=version, on=on)
    if kind == "suggestion_taken":
        return _("Version %(version)s%(on)s took your suggested wording.", version=version, on=on)
    if kind == "comment_hidden":
        if reason:
            return _("A moderator hid your comment%(on)s. Reason: %(reason)s", on=on, reason=reason)
        return _("A moderator hid your comment%(on)s.", on=on)
    if kind == "comment_unhidden":
        if reason:
            return _("Your comment%(on)s is shown again. Reason: %(reason)s", on=on, reason=reason)
        return _("Your comment%(on)s is shown again.", on=on)
    if kind == "version_published":
        return _("Version %(version)s of “%(title)s” was published.", version=version, title=document_title)
    if kind == "period_opened":
        return _("Commenting opened%(on)s. It closes %(closes)s UTC.", on=on,
                 closes=details.get("closes_at", "")[:16].replace("T", " "))
    if kind == "period_closing":
        return _("Commenting%(on)s closes in %(hours)s hours.", on=on, hours=details.get("hours"))
    if kind == "meeting_scheduled":
        if details.get("starts_at"):
            return _("A meeting%(on)s was scheduled: %(title)s, starting %(starts)s UTC.", on=on, title=title,
                     starts=details["starts_at"][:16].replace("T", " "))
        return _("A meeting%(on)s was scheduled: %(title)s.", on=on, title=title)
    if kind == "meeting_starting":
        return _("A meeting%(on)s starts in an hour: %(title)s.", on=on, title=title)
    if kind == "flag_new":
        return _("A comment%(on)s was flagged for moderation.", on=on)
    if kind == "answer_contested":
        return _("A comment's author%(on)s says the answer does not resolve it.", on=on)
    if kind == "approval_requested":
        return _("A new account waits for your approval.")
    return str(KIND_LABELS.get(kind, kind))


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
