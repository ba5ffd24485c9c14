"""New notifications to their owner's sockets only: each person's sockets join the room
`user:<id>` at connect; the notifier's committed batch is sent there after the commit."""
from __future__ import annotations

import logging

from ..events import Committed, Notice
from ..extensions import socketio

log = logging.getLogger(__name__)


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def send_notifications_live(items: list[Committed]) -> None:
    """Subscriber to committed changes: emit `notification` to each recipient's room."""
    for item in items:
        if not (isinstance(item, Notice) and item.kind == "notifications.created"):
            continue
        for notification in item.payload["notifications"]:
            payload = {k: v for k, v in notification.items() if k != "user_id"}
            try:
                socketio.emit("notification", payload, to=user_room(notification["user_id"]), namespace="/")
            except Exception:  # noqa: BLE001 — stored; the page shows it at the next load
                log.exception("could not send notification %s live", notification["id"])
