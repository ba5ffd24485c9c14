"""Flags, hiding, unhiding, redaction and the moderators' queue."""
from flask import jsonify

from ..reads.queue import moderation_queue
from ..permissions import can_moderate, require
from ..serializers import comment_to_dict, flag_to_dict, resolution_to_dict
from ..services.moderation import dismiss_flags, flag_comment, hide_comment, redact_comment, redact_resolution, \
    unhide_comment
from .blueprint import api
from .helpers import actor, json_body
from flask_babel import lazy_gettext as _l


@api.post("/comments/<int:comment_id>/flags")
def flag_comment_view(comment_id: int):
    flag = flag_comment(actor(), comment_id, reason=json_body().get("reason"))
    return jsonify(flag=flag_to_dict(flag)), 201


@api.post("/comments/<int:comment_id>/hide")
def hide_comment_view(comment_id: int):
    return jsonify(comment=comment_to_dict(hide_comment(actor(), comment_id, reason=json_body().get("reason"))))


@api.post("/comments/<int:comment_id>/unhide")
def unhide_comment_view(comment_id: int):
    return jsonify(comment=comment_to_dict(unhide_comment(actor(), comment_id, reason=json_body().get("reason"))))


@api.post("/comments/<int:comment_id>/flags/dismiss")
def dismiss_flags_view(comment_id: int):
    return jsonify(comment=comment_to_dict(dismiss_flags(actor(), comment_id, reason=json_body().get("reason"))))


@api.post("/comments/<int:comment_id>/redact")
def redact_comment_view(comment_id: int):
    return jsonify(comment=comment_to_dict(redact_comment(actor(), comment_id, reason=json_body().get("reason"))))


@api.post("/resolutions/<int:resolution_id>/redact")
def redact_resolution_view(resolution_id: int):
    resolution = redact_resolution(actor(), resolution_id, reason=json_body().get("reason"))
    return jsonify(resolution=resolution_to_dict(resolution))


@api.get("/moderation/queue")
def moderation_queue_view():
    user = actor()
    require(can_moderate(user), user, _l("Only moderators see the moderation queue."))
    return jsonify(moderation_queue())
