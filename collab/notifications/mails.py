"""The mails notifications send: one for an immediate notification, one digest for many.
Every mail carries the RFC 8058 one-click unsubscribe headers and a visible link."""
from __future__ import annotations

from collections import defaultdict

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import escape

from ..mail import enqueue_mail, render_mail
from ..mail.outbox import enqueue_mails
from ..models import User
from ..models.notifications import Notification
from .texts import KIND_LABELS, path, summary
from .tokens import unsubscribe_url


def unsubscribe_headers(url: str) -> dict:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _item(notification: Notification, titles: dict[int, str]) -> dict:
    site = current_app.config["SITE_URL"]
    return {"text": summary(notification, titles.get(notification.document_id)),
            "url": site + path(notification), "created_at": notification.created_at}


# Stand-ins rendered once per message and replaced per recipient (a fan-out to thousands
# renders the templates once, not once a person).
_NAME, _UNSUBSCRIBE = "\u27e6name\u27e7", "\u27e6unsubscribe\u27e7"


class MailRenderer:
    """Renders the immediate mails of one fan-out batch, each distinct message once."""

    def __init__(self, titles: dict[int, str]):
        self.titles = titles
        self.rendered: dict[tuple, dict] = {}
        self.settings_url = current_app.config["SITE_URL"] + "/notifications/preferences"

    def mail(self, user: User, notification: Notification) -> dict:
        """The mail for one notification, as `enqueue_mails` takes it."""
        language = user.language or "en"
        with force_locale(language):  # each mail in its recipient's language
            item = _item(notification, self.titles)
            subject = _("Common Ground: %(kind)s", kind=str(KIND_LABELS[notification.kind]).lower())
            key = (language, notification.kind, item["text"], item["url"])
            bodies = self.rendered.get(key)
            if bodies is None:
                bodies = render_mail("notification", user={"name": _NAME}, item=item, unsubscribe_url=_UNSUBSCRIBE,
                                     settings_url=self.settings_url)
                self.rendered[key] = bodies
        url = unsubscribe_url(user.id)
        text = bodies["text"].replace(_NAME, user.name).replace(_UNSUBSCRIBE, url)
        html = bodies["html"].replace(_NAME, str(escape(user.name))).replace(_UNSUBSCRIBE, url)
        return {"to": user.email, "subject": subject,
                "headers": unsubscribe_headers(url), "caused_by_event_seq": notification.event_seq,
                "text": text, "html": html}


def queue_immediate_mails(mails: list[dict]) -> int:
    return enqueue_mails(mails)


def digest_groups(notifications: list[Notification], titles: dict[int, str],
                  clause_numbers: dict[int, str]) -> list[dict]:
    """Grouped by document, then clause; newest first within each and between groups."""
    newest_first = sorted(notifications, key=lambda n: (n.created_at, n.id), reverse=True)
    documents: dict[int | None, dict[int | None, list]] = defaultdict(lambda: defaultdict(list))
    for notification in newest_first:
        documents[notification.document_id][notification.clause_id].append(_item(notification, titles))
    return [{"title": titles.get(document_id) or "Common Ground",
             "clauses": [{"number": clause_numbers.get(clause_id), "entries": items}
                         for clause_id, items in clauses.items()]}
            for document_id, clauses in documents.items()]


def queue_digest_mail(user: User, frequency: str, notifications: list[Notification], titles: dict[int, str],
                      clause_numbers: dict[int, str]) -> None:
    url = unsubscribe_url(user.id)
    count = len(notifications)
    with force_locale(user.language or "en"):
        groups = digest_groups(notifications, titles, clause_numbers)
        bodies = render_mail("digest", user=user, groups=groups, count=count, frequency=frequency,
                             unsubscribe_url=url,
                             settings_url=current_app.config["SITE_URL"] + "/notifications/preferences")
        subject = (ngettext("Common Ground: your weekly digest (%(num)d notification)",
                            "Common Ground: your weekly digest (%(num)d notifications)", count)
                   if frequency == "weekly" else
                   ngettext("Common Ground: your daily digest (%(num)d notification)",
                            "Common Ground: your daily digest (%(num)d notifications)", count))
    enqueue_mail(to=user.email, subject=subject,
                 headers=unsubscribe_headers(url), caused_by_event_seq=max(n.event_seq for n in notifications),
                 **bodies)
