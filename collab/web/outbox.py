"""The administrators' outbox page: every mail with its state, a retry button, a test mail."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import ServiceError
from ..reads.outbox import list_outbox, outbox_counts
from ..services.mail import retry_mail, send_test_mail
from .blueprint import web
from .admin import _admin

STATUS_LABELS = {"queued": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"}


def render_outbox(actor, status: int = 200, test_form: dict | None = None, test_error: str | None = None):
    shown = request.args.get("status") or ""
    try:
        mails, following = list_outbox(actor, status=shown, cursor=request.args.get("cursor"))
    except ServiceError as error:
        flash(error.message, "error")
        shown = ""
        mails, following = list_outbox(actor)
    return render_template("outbox.html", mails=mails, next_cursor=following, shown=shown,
                           counts=outbox_counts(actor), STATUS_LABELS=STATUS_LABELS,
                           test_form=test_form or {}, test_error=test_error), status


@web.get("/admin/outbox")
@login_required
def admin_outbox():
    return render_outbox(_admin())


@web.post("/admin/outbox/<int:mail_id>/retry")
@login_required
def admin_retry_mail(mail_id: int):
    actor = _admin()
    try:
        mail = retry_mail(actor, mail_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("web.admin_outbox"))
    flash(f"The mail to {mail.recipient} will be sent again now.", "info")
    return redirect(url_for("web.admin_outbox", _anchor=f"mail-{mail.id}"))


@web.post("/admin/outbox/test")
@login_required
def admin_send_test_mail():
    actor = _admin()
    form = {"to": request.form.get("to", "")}
    try:
        mail = send_test_mail(actor, form["to"])
    except ServiceError as error:
        return render_outbox(actor, error.status, test_form=form, test_error=error.message)
    flash(f"A test mail to {mail.recipient} is queued; it appears below as sent or failed.", "info")
    return redirect(url_for("web.admin_outbox", _anchor=f"mail-{mail.id}"))
