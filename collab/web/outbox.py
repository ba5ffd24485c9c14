"""The administrators' outbox page: every mail with its state, a retry button, a test mail."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from ..reads.outbox import list_outbox, outbox_counts
from ..services.mail import retry_mail, send_test_mail
from .blueprint import web
from .admin import _admin
from .forms import form_view
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

STATUS_LABELS = {"queued": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}


def render_outbox(actor, status: int = 200):
    shown = request.args.get("status") or ""
    cursor = request.args.get("cursor") or None
    if (shown and shown not in STATUS_LABELS) or (cursor and not cursor.isdigit()):
        flash(_("That is not a filter of the outbox: every mail is shown."), "error")
        shown, cursor = "", None
    mails, following = list_outbox(actor, status=shown, cursor=cursor)
    form_refused = "refused" in g and request.path == url_for("web.admin_send_test_mail")
    return render_template("outbox.html", mails=mails, next_cursor=following, shown=shown,
                           counts=outbox_counts(actor), STATUS_LABELS=STATUS_LABELS,
                           test_form={"to": request.form.get("to", "")} if form_refused else {},
                           test_error=g.refused.message if form_refused else None), status


@web.get("/admin/outbox")
@login_required
def admin_outbox():
    return render_outbox(_admin())


@web.post("/admin/outbox/<int:mail_id>/retry")
@login_required
@form_view(lambda error, mail_id: redirect(url_for("web.admin_outbox")))
def admin_retry_mail(mail_id: int):
    mail = retry_mail(_admin(), mail_id)
    flash(_("The mail to %(recipient)s will be sent again now.", recipient=mail.recipient), "info")
    return redirect(url_for("web.admin_outbox", _anchor=f"mail-{mail.id}"))


@web.post("/admin/outbox/test")
@login_required
@form_view(lambda error: render_outbox(_admin()))
def admin_send_test_mail():
    mail = send_test_mail(_admin(), request.form.get("to", ""))
    flash(_("A test mail to %(recipient)s is queued; it appears below as sent or failed.", recipient=mail.recipient), "info")
    return redirect(url_for("web.admin_outbox", _anchor=f"mail-{mail.id}"))
