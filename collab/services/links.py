"""Single-use links mailed to people: verify an address, sign in, reset a password, accept an invitation.

A link's token is random (`secrets.token_urlsafe`) and stored only as its sha256; it has one
purpose, expires, and is spent by its first use, atomically, so two clicks cannot both count.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..errors import Invalid
from ..extensions import db
from ..models import AccountLink
from ..models.users import LINK_PURPOSES
from ..timeutil import utcnow
from flask_babel import lazy_gettext as _l

LINK_PATHS = {"verify_email": "verify-email", "sign_in": "sign-in/link", "password_reset": "reset-password",
              "invitation": "accept-invitation"}
INVALID_LINK = _l("This link was used already, has expired or is not valid. Ask for a new one.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(purpose: str, token: str) -> str:
    """The link as mailed: <SITE_URL>/<path>?token=<token>."""
    return f"{current_app.config['SITE_URL'].rstrip('/')}/{LINK_PATHS[purpose]}?token={token}"


def issue_link(purpose: str, *, user_id: int | None = None, invitation_id: int | None = None,
               email: str | None = None) -> str:
    """Store a new link (inside the caller's transaction) and return its token, shown only in the mail."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountLink(purpose=purpose, token_hash=token_hash(token), user_id=user_id,
                               invitation_id=invitation_id, email=email, created_at=now,
                               expires_at=now + timedelta(seconds=LINK_PURPOSES[purpose])))
    return token


def dummy_link() -> str:
    """A token never stored, for the answers about unknown addresses: the same work, nothing usable."""
    token = secrets.token_urlsafe(32)
    token_hash(token)
    return token


def spend_link(token: object, purpose: str) -> AccountLink:
    """Use a link once (inside the caller's transaction): 400 invalid_token when it is unknown,
    of another purpose, used, expired, or its person's account is no longer active."""
    if not isinstance(token, str) or not token or len(token) > 200:
        raise Invalid(INVALID_LINK, "invalid_token")
    hashed = token_hash(token)
    now = utcnow()
    spent = db.session.execute(
        update(AccountLink)
        .where(AccountLink.token_hash == hashed, AccountLink.purpose == purpose,
               AccountLink.used_at.is_(None), AccountLink.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        raise Invalid(INVALID_LINK, "invalid_token")
    link = db.session.execute(select(AccountLink).where(AccountLink.token_hash == hashed)
                              .execution_options(populate_existing=True)).scalar_one()
    if link.user is not None and not link.user.is_active:
        raise Invalid(INVALID_LINK, "invalid_token")
    return link


def end_links(*, user_id: int | None = None, invitation_id: int | None = None, purpose: str | None = None) -> None:
    """Spend every unused link of a person or an invitation (inside the caller's transaction)."""
    query = update(AccountLink).where(AccountLink.used_at.is_(None))
    if user_id is not None:
        query = query.where(AccountLink.user_id == user_id)
    if invitation_id is not None:
        query = query.where(AccountLink.invitation_id == invitation_id)
    if purpose is not None:
        query = query.where(AccountLink.purpose == purpose)
    db.session.execute(query.values(used_at=utcnow()).execution_options(synchronize_session=False))
