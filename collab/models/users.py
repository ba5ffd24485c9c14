from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROLES = ("admin", "facilitator", "participant", "observer")

# Groups whose members show only their group to the public unless they choose otherwise.
GROUP_ONLY_BY_DEFAULT = frozenset({"students"})


def default_show_name(group_slug: str) -> bool:
    return group_slug not in GROUP_ONLY_BY_DEFAULT


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    # Whether readers who are not moderators see this person's name, or only their group.
    show_name: Mapped[bool] = mapped_column(default=True, server_default=sa_true(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)

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
