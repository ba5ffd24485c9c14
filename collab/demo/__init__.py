"""The demo: a sample SRO agreement tagged with the checklist items it covers, one account per group,
an open period and comments."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from . import content
from ..extensions import db
from ..models import Document, Group, User
from ..services.accounts import update_group_settings
from ..services.comments import create_comment
from ..services.coverage import start_from_model
from ..services.documents import create_period
from ..services.users import create_user
from ..timeutil import isoformat, utcnow


def load_demo(password: str) -> str:
    """Create the demo data through the services (so every step is an event).
    Running it again reuses what exists and creates nothing twice."""
    accounts = {}
    for account in content.ACCOUNTS:
        user = db.session.execute(select(User).where(User.email == account["email"])).scalar_one_or_none()
        accounts[account["email"]] = user or create_user(None, password=password, **account)
    admin = next(accounts[a["email"]] for a in content.ACCOUNTS if a["role"] == "admin")
    for group in db.session.execute(select(Group).where(Group.slug.in_(content.OPEN_TO_SIGN_UP))).scalars():
        if not group.is_open_to_sign_up:
            update_group_settings(admin, group.slug, {"is_open_to_sign_up": True})

    document = db.session.execute(
        select(Document).where(Document.title == content.DOCUMENT_TITLE)).scalar_one_or_none()
    if document is None:
        # Clause by clause, tagged with the checklist items each addresses (the coverage page).
        document = start_from_model(admin, title=content.DOCUMENT_TITLE, clauses=content.model_clauses())
        now = utcnow()
        create_period(admin, document.id, opens_at=isoformat(now - timedelta(minutes=1)),
                      closes_at=isoformat(now + timedelta(days=30)))
        from ..reads.documents import document_view

        clause_ids = {c["number"]: c["id"] for c in document_view(document.id)["clauses"]}
        created = []
        for item in content.COMMENTS:
            parent = created[item["reply_to"]].id if item.get("reply_to") is not None else None
            comment, _ = create_comment(
                accounts[item["author"]], clause_ids[item["clause"]], body=item["body"], kind=item["kind"],
                parent_id=parent, quote=item.get("quote"), suggested_text=item.get("suggested_text"))
            created.append(comment)

    lines = [f"Demo loaded: \"{content.DOCUMENT_TITLE}\" (document {document.id}).",
             f"Every demo account's password is: {password}", "Sign in as:"]
    for account in content.ACCOUNTS:
        lines.append(f"  {account['email']:<45} {account['role']:<12} {account['group']}")
    lines.append(f"Anyone may sign up at /sign-up as one of: {', '.join(content.OPEN_TO_SIGN_UP)}; "
                 "the mails (verification, sign-in links) are in the server's log and on /admin/outbox.")
    return "\n".join(lines)
