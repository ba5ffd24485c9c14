"""The demo: a sample SRO agreement, one account per group, an open period and comments."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from . import content
from ..extensions import db
from ..models import Document, User
from ..services.comments import create_comment
from ..services.documents import create_document, create_period
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

    document = db.session.execute(
        select(Document).where(Document.title == content.DOCUMENT_TITLE)).scalar_one_or_none()
    if document is None:
        document = create_document(admin, title=content.DOCUMENT_TITLE, clauses=content.CLAUSES, visibility="public")
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
    return "\n".join(lines)
