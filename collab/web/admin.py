"""The administrators' page: accounts, documents and comment periods."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..drafts.importing import parse_text
from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import CommentPeriod, Document
from ..localtime import local_input_to_iso
from ..permissions import can_administer, require
from ..serializers import period_to_dict
from ..services.documents import close_period, create_document, create_period, update_document
from ..services.users import create_user, list_groups, list_users, update_user
from ..timeutil import utcnow
from .blueprint import web
from .forms import form_view
from .helpers import page_actor
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

USER_FIELDS = ("email", "name", "role", "group")
VISIBILITY_LABELS = {"public": _l("Anyone, without an account"), "invited": _l("Signed-in people only")}


def _admin():
    actor = page_actor()
    require(can_administer(actor), actor, _l("Only administrators can open the administration page."))
    return actor


def render_admin(**state):
    """The page; `state` carries a failed form's input and error, or a preview."""
    from ..reads.documents import document_rows

    page = {"user_form": {}, "user_error": None, "document_form": {}, "document_error": None,
            "preview": None, "period_error": None, **state}
    return render_template("admin.html", users=list_users(), groups=list_groups(),
                           documents=document_rows(_admin()), VISIBILITY_LABELS=VISIBILITY_LABELS, **page)


@web.get("/admin")
@login_required
def admin():
    _admin()
    return render_admin()


def _user_form() -> dict:
    return {name: request.form.get(name, "") for name in USER_FIELDS}


def _admin_again(error, **_view_args):
    """The administration page as it was, the refused form's input back in it."""
    return render_admin()


@web.post("/admin/users")
@login_required
@form_view(lambda error: render_admin(user_form=_user_form(), user_error=error.message))
def admin_create_user():
    actor = _admin()
    user = create_user(actor, password=request.form.get("password", ""), **_user_form())
    flash(_("Account created for %(name)s (%(email)s).", name=user.name, email=user.email), "info")
    return redirect(url_for("web.admin", _anchor="users"))


@web.post("/admin/users/<int:user_id>")
@login_required
@form_view(_admin_again)
def admin_update_user(user_id: int):
    """One form per row: change the role, or (de)activate with the button pressed."""
    actor = _admin()
    changes: dict = {}
    if "role" in request.form:
        changes["role"] = request.form["role"]
    if request.form.get("is_active") in ("true", "false"):
        changes["is_active"] = request.form["is_active"] == "true"
    user = update_user(actor, user_id, changes)
    state = "active" if user.is_active else "deactivated"
    flash(_("%(name)s is now %(get)s, %(state)s.", name=user.name, get=ROLE_WORDS.get(user.role, user.role), state=state), "info")
    return redirect(url_for("web.admin", _anchor=f"user-{user.id}"))


ROLE_WORDS = {"admin": _l("an administrator"), "facilitator": _l("a facilitator"), "participant": _l("a participant"),
              "observer": _l("an observer")}


def _document_form() -> dict:
    return {"title": request.form.get("title", ""), "clauses": request.form.get("clauses", ""),
            "visibility": request.form.get("visibility") or "public"}


@web.post("/admin/documents")
@login_required
@form_view(lambda error: render_admin(document_form=_document_form(), document_error=error.message))
def admin_create_document():
    """"Preview" shows the parsed clauses; "Create" saves them as version 1."""
    actor = _admin()
    form = _document_form()
    clauses = parse_text(form["clauses"]).clauses
    if request.form.get("action") != "create":
        if not form["title"].strip():
            raise Invalid(_l("Give the document a title."), "empty_title")
        return render_admin(document_form=form, preview=clauses)
    document = create_document(actor, title=form["title"], clauses=clauses, visibility=form["visibility"])
    flash(_("Document created with %(count)s clauses. Open a comment period when it is ready.", count=len(clauses)), "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document.id}"))


@web.post("/admin/documents/<int:document_id>")
@login_required
@form_view(lambda error, document_id: redirect(url_for("web.admin", _anchor=f"document-{document_id}")))
def admin_update_document(document_id: int):
    """Choose who reads a document: anyone (public) or signed-in people only (invited)."""
    actor = _admin()
    document = update_document(actor, document_id, {"visibility": request.form.get("visibility")})
    flash(_("%(title)s: %(visibility)s.", title=document.title, visibility=str(VISIBILITY_LABELS[document.visibility]).lower()), "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document.id}"))


@web.post("/admin/documents/<int:document_id>/periods")
@login_required
@form_view(lambda error, document_id: render_admin(period_error={
    "document_id": document_id, "message": error.message, "values": dict(request.form)}))
def admin_open_period(document_id: int):
    actor = _admin()
    # The form's times are the district's local times; the service takes UTC. Empty opens: now.
    opens_at = local_input_to_iso(request.form.get("opens_at"), "opens_at")
    closes_at = local_input_to_iso(request.form.get("closes_at"), "closes_at") or ""
    create_period(actor, document_id, opens_at=opens_at, closes_at=closes_at)
    flash(_("Comment period saved."), "info")
    return redirect(url_for("web.admin", _anchor=f"document-{document_id}"))


@web.post("/admin/periods/<int:period_id>/close")
@login_required
@form_view(_admin_again)
def admin_close_period(period_id: int):
    """Two steps: the button asks first (what closing does to people writing now); only the
    confirmation closes."""
    actor = _admin()
    if request.form.get("confirm") != "yes":
        period = db.session.get(CommentPeriod, period_id)
        if period is None:
            raise NotFound(_l("No such comment period."))
        return render_template("close_period_confirm.html", period=period_to_dict(period),
                               document=db.session.get(Document, period.document_id),
                               is_open=period.is_open_at(utcnow()))
    period = close_period(actor, period_id)
    flash(_("Comment period closed."), "info")
    return redirect(url_for("web.admin", _anchor=f"document-{period.document_id}"))
