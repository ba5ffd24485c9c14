"""The administrators' page: accounts, documents and comment periods."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..drafts.importing import parse_text
from ..errors import Invalid, ServiceError
from ..permissions import can_administer, require
from ..services.documents import close_period, create_document, create_period, update_document
from ..services.users import create_user, list_groups, list_users, update_user
from .blueprint import web
from .helpers import page_actor

USER_FIELDS = ("email", "name", "role", "group")
VISIBILITY_LABELS = {"public": "Anyone, without an account", "invited": "Signed-in people only"}


def _admin():
    actor = page_actor()
    require(can_administer(actor), actor, "Only administrators can open the administration page.")
    return actor


def render_admin(status: int = 200, **state):
    """The page; `state` carries a failed form's input and error, or a preview."""
    from ..reads.documents import document_rows

    page = {"user_form": {}, "user_error": None, "document_form": {}, "document_error": None,
            "preview": None, "period_error": None, **state}
    return render_template("admin.html", users=list_users(), groups=list_groups(),
                           documents=document_rows(_admin()), VISIBILITY_LABELS=VISIBILITY_LABELS,
                           **page), status


@web.get("/admin")
@login_required
def admin():
    _admin()
    return render_admin()


@web.post("/admin/users")
@login_required
def admin_create_user():
    actor = _admin()
    form = {name: request.form.get(name, "") for name in USER_FIELDS}
    try:
        user = create_user(actor, password=request.form.get("password", ""), **form)
    except ServiceError as error:
        return render_admin(error.status, user_form=form, user_error=error.message)
    flash(f"Account created for {user.name} ({user.email}).", "info")
    return redirect(url_for("web.admin", _anchor="users"))


@web.post("/admin/users/<int:user_id>")
@login_required
def admin_update_user(user_id: int):
    """One form per row: change the role, or (de)activate with the button pressed."""
    actor = _admin()
    changes: dict = {}
    if "role" in request.form:
        changes["role"] = request.form["role"]
    if request.form.get("is_active") in ("true", "false"):
        changes["is_active"] = request.form["is_active"] == "true"
    try:
        user = update_user(actor, user_id, changes)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("web.admin", _anchor="users"))
    state = "active" if user.is_active else "deactivated"
    flash(f"{user.name} is now {ROLE_WORDS.get(user.role, user.role)}, {state}.", "info")
    return redirect(url_for("web.admin", _anchor=f"user-{user.id}"))


ROLE_WORDS = {"admin": "an administrator", "facilitator": "a facilitator", "participant": "a participant",
              "observer": "an observer"}


@web.post("/admin/documents")
@login_required
def admin_create_document():
    """"Preview" shows the parsed clauses; "Create" saves them as version 1."""
    actor = _admin()
    form = {"title": request.form.get("title", ""), "clauses": request.form.get("clauses", ""),
            "visibility": request.form.get("visibility") or "public"}
    try:
        clauses = parse_text(form["clauses"]).clauses
        if request.form.get("action") != "create":
            if not form["title"].strip():
                raise Invalid("Give the document a title.", "empty_title")
            return render_admin(document_form=form, preview=clauses)
        document = create_document(actor, title=form["title"], clauses=clauses, visibility=form["visibility"])
    except ServiceError as error:
        return render_admin(error.status, document_form=form, document_error=error.message)
    flash(f"Document created with {len(clauses)} clauses. Open a comment period when it is ready.", "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document.id}"))


@web.post("/admin/documents/<int:document_id>")
@login_required
def admin_update_document(document_id: int):
    """Choose who reads a document: anyone (public) or signed-in people only (invited)."""
    actor = _admin()
    try:
        document = update_document(actor, document_id, {"visibility": request.form.get("visibility")})
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("web.admin", _anchor=f"document-{document_id}"))
    flash(f"{document.title}: {VISIBILITY_LABELS[document.visibility].lower()}.", "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document.id}"))


@web.post("/admin/documents/<int:document_id>/periods")
@login_required
def admin_open_period(document_id: int):
    actor = _admin()
    opens_at = request.form.get("opens_at") or None  # empty: opens now
    try:
        create_period(actor, document_id, opens_at=opens_at, closes_at=request.form.get("closes_at", ""))
    except ServiceError as error:
        return render_admin(error.status, period_error={"document_id": document_id, "message": error.message,
                                                        "values": dict(request.form)})
    flash("Comment period saved.", "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document_id}"))


@web.post("/admin/periods/<int:period_id>/close")
@login_required
def admin_close_period(period_id: int):
    actor = _admin()
    try:
        period = close_period(actor, period_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("web.admin", _anchor="documents"))
    flash("Comment period closed.", "info")
    return redirect(url_for("web.admin", _anchor=f"document-{period.document_id}"))
