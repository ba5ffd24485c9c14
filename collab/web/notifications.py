"""The notification centre, mail preferences, following, and unsubscribing from a mail's link."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..models.notifications import EMAIL_FREQUENCIES, KINDS
from ..notifications.tokens import user_id_from_token
from ..reads.notifications import is_following_document, list_notifications, preferences_view, unread_count
from ..services.notifications import (follow_document, mark_notifications_read, unfollow_document, unsubscribe,
                                      update_notification_preferences)
from .blueprint import web
from .forms import form_view
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

FREQUENCY_LABELS = {"immediate": _l("Each one at once"), "daily": _l("A daily digest"), "weekly": _l("A weekly digest"),
                    "never": _l("No e-mail")}


@web.app_context_processor
def _notification_globals() -> dict:
    def unread() -> int:
        return unread_count(current_user) if current_user.is_authenticated else 0
    def following(document_id: int) -> bool:
        return is_following_document(current_user, document_id)
    return {"unread_notifications": unread, "is_following_document": following}


@web.get("/notifications")
@login_required
def notifications_page():
    user = current_user._get_current_object()
    notifications, unread, following = list_notifications(user, request.args.get("cursor"))
    shown_unread = [n["id"] for n in notifications if n["read_at"] is None]
    if shown_unread:
        mark_notifications_read(user, ids=shown_unread)  # opening the centre is reading them
    return render_template("notifications.html", notifications=notifications, unread_ids=set(shown_unread),
                           next_cursor=following)


def _render_preferences():
    return render_template("notification_preferences.html", preferences=preferences_view(current_user),
                           FREQUENCY_LABELS=FREQUENCY_LABELS, FREQUENCIES=EMAIL_FREQUENCIES)


@web.get("/notifications/preferences")
@login_required
def notification_preferences_page():
    return _render_preferences()


@web.post("/notifications/preferences")
@login_required
@form_view(lambda error: _render_preferences())
def save_notification_preferences():
    data = {"email": request.form.get("email", ""),
            "answers_immediately": request.form.get("answers_immediately") == "on",
            "kinds": {kind: request.form.get(f"kind_{kind}") == "on" for kind in KINDS}}
    update_notification_preferences(current_user._get_current_object(), data)
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("web.notification_preferences_page"))


@web.post("/documents/<int:document_id>/follow")
@login_required
def follow_document_page(document_id: int):
    following = request.form.get("following") != "off"
    (follow_document if following else unfollow_document)(current_user._get_current_object(), document_id)
    flash((_("You follow this document.") if following else _("You no longer follow this document.")), "success")
    return redirect(url_for("web.document", document_id=document_id))


def _refused_link(_error):
    return render_template("unsubscribe.html", token="", done=None, FREQUENCY_LABELS=FREQUENCY_LABELS)


@web.get("/unsubscribe")
@form_view(_refused_link)
def unsubscribe_page():
    """The link in every mail: confirms what one click changes and offers the other choices."""
    token = request.args.get("token", "")
    user_id_from_token(token)  # a forged or expired link is refused here already
    return render_template("unsubscribe.html", token=token, done=None, FREQUENCY_LABELS=FREQUENCY_LABELS)


@web.post("/unsubscribe")
@form_view(_refused_link)
def unsubscribe_now():
    """RFC 8058 one-click (`List-Unsubscribe=One-Click` in the body) or the page's buttons.
    The signed token is the authority: no session, no CSRF token (see collab.http)."""
    token = request.args.get("token") or request.form.get("token")
    preference = unsubscribe(token, request.form.get("email") or "never")
    return render_template("unsubscribe.html", token=token, done=preference.email_frequency,
                           FREQUENCY_LABELS=FREQUENCY_LABELS)
