"""Administrators' pages for accounts: approval, organisation checks, which groups are open to
sign-up, and invitations (one, or a pasted list with a preview and per-line errors)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

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
from .forms import form_view
from flask_babel import gettext as _, ngettext


@web.get("/admin/accounts")
@login_required
def admin_accounts():
    actor = _admin()
    return render_template("admin_accounts.html", waiting=accounts_awaiting_approval(actor),
                           organisations=organisations_to_verify(actor), groups=list_groups())


def _back_to(anchor: str):
    """A refused action on an administration list: back to its place there, the flash telling why."""
    return lambda error, **_view_args: redirect(url_for("web.admin_accounts", _anchor=anchor))


@web.post("/admin/accounts/<int:user_id>/approve")
@login_required
@form_view(_back_to("waiting"))
def admin_approve_account(user_id: int):
    user = approve_account(_admin(), user_id)
    flash(_("%(name)s can now comment; they were mailed.", name=user.name), "info")
    return redirect(url_for("web.admin_accounts", _anchor="waiting"))


@web.post("/admin/accounts/<int:user_id>/organisation")
@login_required
@form_view(_back_to("organisations"))
def admin_verify_organisation(user_id: int):
    verified = request.form.get("verified") == "true"
    user = verify_organisation(_admin(), user_id, verified)
    flash(_("%(value)s is %(value2)s for %(name)s.", value=user.organisation or 'The organisation', value2='confirmed' if verified else 'not confirmed', name=user.name), "info")
    return redirect(url_for("web.admin_accounts", _anchor="organisations"))


@web.post("/admin/groups/<slug>")
@login_required
@form_view(lambda error, slug: redirect(url_for("web.admin_accounts", _anchor=f"group-{slug}")))
def admin_update_group(slug: str):
    changes = {"is_open_to_sign_up": request.form.get("is_open_to_sign_up") == "yes",
               "needs_approval": request.form.get("needs_approval") == "yes"}
    group = update_group_settings(_admin(), slug, changes)
    flash(_("%(name)s: %(value)s to sign-up%(value2)s.", name=group.name, value='open' if group.is_open_to_sign_up else 'closed', value2=', approval needed' if group.needs_approval else ''), "info")
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
@form_view(lambda error: render_invitations(_admin(), text=request.form.get("lines", ""), error=error.message),
           flash_refusal=False)
def admin_create_invitations():
    """"Preview" checks every line; "Send" invites the good ones and shows the rest again."""
    actor = _admin()
    text = request.form.get("lines", "")
    rows, unreadable = parse_invitation_list(text)
    if request.form.get("action") != "send":
        good, errors = check_invitations(actor, rows)
        return render_invitations(actor, text=text, preview=good,
                                  errors=sorted(unreadable + errors, key=lambda e: e["line"]))
    created, errors = create_invitations(actor, rows)
    errors = sorted(unreadable + errors, key=lambda e: e["line"])
    sent = ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", len(created))
    if errors:
        sent += " " + ngettext("%(num)d line was not sent: see below.", "%(num)d lines were not sent: see below.",
                               len(errors))
    flash(sent, "info")
    if errors:
        kept = "\n".join(text.splitlines()[e["line"] - 1] for e in errors)
        return render_invitations(actor, text=kept, errors=[{**e, "line": n} for n, e in enumerate(errors, 1)])
    return redirect(url_for("web.admin_invitations", _anchor="pending"))


def _back_to_invitations(error, **_view_args):
    return redirect(url_for("web.admin_invitations", _anchor="pending"))


@web.post("/admin/invitations/<int:invitation_id>/resend")
@login_required
@form_view(_back_to_invitations)
def admin_resend_invitation(invitation_id: int):
    invitation = resend_invitation(_admin(), invitation_id)
    flash(_("The invitation to %(email)s was sent again with a new link.", email=invitation.email), "info")
    return redirect(url_for("web.admin_invitations", _anchor="pending"))


@web.post("/admin/invitations/<int:invitation_id>/withdraw")
@login_required
@form_view(_back_to_invitations)
def admin_withdraw_invitation(invitation_id: int):
    invitation = withdraw_invitation(_admin(), invitation_id)
    flash(_("The invitation to %(email)s is withdrawn; its link no longer works.", email=invitation.email), "info")
    return redirect(url_for("web.admin_invitations", _anchor="pending"))
