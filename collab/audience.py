"""Who an answer is for, so that the shared serialisers show each reader what they may see:
every author's name to moderators; to everyone else the name only of people who chose to show
it to the public (else `name` is null and only the group shows); e-mail addresses to
administrators (and each person their own).

The viewer is taken from the request (Flask-Login) unless an edge sets it explicitly (the live
channel per event). Inside a service transaction it is always the public: what a service
attaches to a broadcast goes to every reader in the room.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from flask import has_request_context

_UNSET = object()
_viewer: ContextVar[object] = ContextVar("collab_viewer", default=_UNSET)

PUBLIC_NAME = "A participant"


def current_viewer():
    """The reader of what is being serialised: a User, or None for the public."""
    viewer = _viewer.get()
    if viewer is not _UNSET:
        return viewer
    if has_request_context():
        from flask_login import current_user

        return current_user._get_current_object() if current_user.is_authenticated else None
    return None


@contextmanager
def serving(viewer) -> Iterator[None]:
    """Serialise for `viewer` (None: the public) inside this block."""
    token = _viewer.set(viewer)
    try:
        yield
    finally:
        _viewer.reset(token)


def shown_name(user) -> str | None:
    """The person's name as the current viewer may see it, or None when only the group shows."""
    from .permissions import can_see_names

    if user.show_name:
        return user.name
    viewer = current_viewer()
    if viewer is not None and (viewer.id == user.id or can_see_names(viewer)):
        return user.name
    return None


def names_visible() -> bool:
    """Whether the current viewer sees every name (moderators), not only the ones shown to the public."""
    from .permissions import can_see_names

    return can_see_names(current_viewer())


def shown_email(user) -> str | None:
    from .permissions import can_see_emails

    viewer = current_viewer()
    if viewer is not None and (viewer.id == user.id or can_see_emails(viewer)):
        return user.email
    return None


class _Moderators:
    """The audience of a room's moderators: sees every name, no e-mail (not an account)."""
    id = None
    role = "facilitator"
    is_active = True


MODERATORS = _Moderators()


def hides_names(payload) -> bool:
    """Whether a serialised answer holds a person shown only by their group (so moderators need another)."""
    if isinstance(payload, dict):
        if "name" in payload and payload["name"] is None and "group" in payload:
            return True
        return any(hides_names(value) for value in payload.values() if isinstance(value, (dict, list)))
    if isinstance(payload, list):
        return any(hides_names(value) for value in payload if isinstance(value, (dict, list)))
    return False


def shown_label(user) -> str:
    """The name as the viewer may see it, else "A participant — <group>"."""
    return shown_name(user) or f"{PUBLIC_NAME} — {user.group.name}"
