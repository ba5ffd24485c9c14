"""Administrators' pages for accounts: approval, organisation checks, which groups are open to
sign-up, and invitations (one, or a pasted list with a preview and per-line errors)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import ServiceError
from ..reads.accounts import (
    accounts_awaiting_approval,
    list_invitations,
    organisations_to_verify,
)
from ..services.accounts import (
    approve_account,
    update_group_settings,
    verify_organisation,
)
from ..services.invitations import (
    check_invitations,
    create_invitations,
    parse_invitation_list,
    resend_invitation,
    withdraw_invitation,
)
from ..services.users import list_groups
from .admin import _admin
from .blueprint import web


@web.get("/admin/accounts")
@login_required
def admin_accounts():
    actor = _admin()
    return render_template("admin_accounts.html", waiting=accounts_awaiting_approval(actor),
                           organisations=organisations_to_verify(actor), groups=list_groups())


@web.post("/admin/accounts/<int:user_id>/approve")
@login_required
def admin_approve_account(user_id: int):
    try:
        user = approve_account(_admin(), user_id)
        flash(f"{user.name} can now comment; they were mailed.", "info")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("web.admin_accounts", _anchor="waiting"))


@web.post("/admin/accounts/<int:user_id>/organisation")
@login_required
def admin_verify_organisation(user_id: int):
    verified = request.form.get("verified") == "true"
    try:
        user = verify_organisation(_admin(), user_id, verified)
        flash(f"{user.organisation or 'The organisation'} is {'confirmed' if verified else 'not confirmed'} "
              f"for {user.name}.", "info")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("web.admin_accounts", _anchor="organisations"))


@web.post("/admin/groups/<slug>")
@login_required
def admin_update_group(slug: str):
    changes = {"is_open_to_sign_up": request.form.get("is_open_to_sign_up") == "yes",
               "needs_approval": request.form.get("needs_approval") == "yes"}
    try:
        group = update_group_settings(_admin(), slug, changes)
        flash(f"{group.name}: {'open' if group.is_open_to_sign_up else 'closed'} to sign-up"
              f"{', approval needed' if group.needs_approval else ''}.", "info")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("web.admin_accounts", _anchor=f"group-{slug}"))


# --- invitations -----------------------------------------------------------------------------

def render_invitations(actor, status: int = 200, **state):
    page = {"text": "", "preview": None, "errors": [], "error": None, **state}
    return render_template("admin_invitations.html", pending=list_invitations(actor), groups=list_groups(),
                           **page), status


@web.get("/admin/invitations")
@login_required
def admin_invitations():
    return render_invitations(_admin())


@web.post("/admin/invitations")
@login_required
def admin_create_invitations():
    """"Preview" checks every line; "Send" invites the good ones and shows the rest again."""
    actor = _admin()
    text = request.form.get("lines", "")
    try:
        rows, unreadable = parse_invitation_list(text)
        if request.form.get("action") != "send":
            good, errors = check_invitations(actor, rows)
            return render_invitations(actor, text=text, preview=good,
                                      errors=sorted(unreadable + errors, key=lambda e: e["line"]))
        created, errors = create_invitations(actor, rows)
    except ServiceError as error:
        return render_invitations(actor, error.status, text=text, error=error.message)
    errors = sorted(unreadable + errors, key=lambda e: e["line"])
    flash(f"{len(created)} {'invitation' if len(created) == 1 else 'invitations'} sent."
          + (f" {len(errors)} lines were not sent: see below." if errors else ""), "info")
    if errors:
        kept = "\n".join(text.splitlines()[e["line"] - 1] for e in errors)
        return render_invitations(actor, text=kept, errors=[{**e, "line": n} for n, e in enumerate(errors, 1)])
    return redirect(url_for("web.admin_invitations", _anchor="pending"))


@web.post("/admin/invitations/<int:invitation_id>/resend")
@login_required
def admin_resend_invitation(invitation_id: int):
    try:
        invitation = resend_invitation(_admin(), invitation_id)
        flash(f"The invitation to {invitation.email} was sent again with a new link.", "info")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("web.admin_invitations", _anchor="pending"))


@web.post("/admin/invitations/<int:invitation_id>/withdraw")
@login_required
def admin_withdraw_invitation(invitation_id: int):
    try:
        invitation = withdraw_invitation(_admin(), invitation_id)
        flash(f"The invitation to {invitation.email} is withdrawn; its link no longer works.", "info")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("web.admin_invitations", _anchor="pending"))
