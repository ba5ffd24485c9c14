from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

GENESIS_HASH = "0" * 64


class Event(db.Model):
    """One change of state. Append-only; `hash` chains it to the event before."""

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    document_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    subject: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    # Canonical JSON, stored exactly as hashed.
    data: Mapped[str] = mapped_column(Text, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


class ChainHead(db.Model):
    """A single row holding the last seq and hash. Writers lock it, which makes
    `seq` gap-free and the chain linear on SQLite and PostgreSQL alike."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class Checkpoint(db.Model):
    """The chain's head as published at a milestone (a version, a period's close, a
    meeting's end). People keep copies; a log that no longer extends one was cut or re-hashed."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(nullable=False)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
    document_id: Mapped[int | None] = mapped_column(nullable=True)
