from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROLES = ("admin", "facilitator", "participant", "observer")
LANGUAGES = ("en", "es")
NO_PASSWORD = ""


def deleted_email(user_id: int) -> str:
    """What stands in the unique e-mail column of a deleted account: no personal data, and an
    address that can never receive mail (.invalid is reserved, RFC 2606)."""
    return f"deleted-{user_id}@deleted.invalid"
# Accounts in these groups may read at once but comment only once an administrator approves them.
APPROVAL_STATUSES = ("approved", "pending")

# Groups whose members show only their group to the public unless they choose otherwise.
GROUP_ONLY_BY_DEFAULT = frozenset({"students"})


def default_show_name(group_slug: str) -> bool:
    return group_slug not in GROUP_ONLY_BY_DEFAULT


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # Whether anyone may create an account in this group by signing up (the district opens groups).
    is_open_to_sign_up: Mapped[bool] = mapped_column(default=False, nullable=False)
    # Signed-up accounts of this group comment only after an administrator approves them.
    needs_approval: Mapped[bool] = mapped_column(default=False, nullable=False)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A deleted account keeps only a placeholder (deleted_email), never the person's address.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # NO_PASSWORD for people who sign in by mailed link only.
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # Accounts made by an administrator or from an invitation count as verified.
    email_verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    approval_status: Mapped[str] = mapped_column(String(10), default="approved", nullable=False)
    language: Mapped[str] = mapped_column(String(5), default="en", nullable=False)
    # Whether readers who are not moderators see this person's name, or only their group.
    show_name: Mapped[bool] = mapped_column(default=True, nullable=False)
    organisation: Mapped[str | None] = mapped_column(String(200), nullable=True)
    organisation_verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # A person whose comments staff entered from a letter, call, meeting or e-mail: a row so
    # counts, equity, answers and reports treat them like anyone, but no sign-in (no password,
    # an address that can never receive mail) and no notifications.
    offline: Mapped[bool] = mapped_column(default=False, server_default=false(), nullable=False)

    group: Mapped[Group] = relationship(lazy="joined")

    # Flask-Login reads is_active; the column above provides it.

    def get_id(self) -> str:
        return str(self.id)


class Credential(db.Model):
    """A browser session or an API token. Only a hash of the secret is stored,
    so revoking one row ends it everywhere: HTTP, and open sockets at their next event."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # "session" or "token"
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


# What a single-use link in a mail does, and how long it stays valid (seconds).
LINK_PURPOSES = {
    "verify_email": 24 * 3600,
    "sign_in": 15 * 60,
    "password_reset": 60 * 60,
    "invitation": 14 * 24 * 3600,
}


class AccountLink(db.Model):
    """A single-use link token mailed to someone. Only the token's sha256 is stored; it is
    spent at its first use, dies at `expires_at`, and is ended early when its person's
    credentials are (deactivation, deletion, a new password)."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), nullable=True, index=True)
    # The address the link was sent to (a changed e-mail takes effect when its link is used).
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)

    user: Mapped[User | None] = relationship(lazy="joined")


INVITATION_STATUSES = ("pending", "accepted", "withdrawn")


class Invitation(db.Model):
    """An administrator's invitation of one person, by e-mail, into a group and role."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="pending", nullable=False)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    last_sent_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    send_count: Mapped[int] = mapped_column(default=1, nullable=False)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(nullable=True)

    group: Mapped[Group] = relationship(lazy="joined")
