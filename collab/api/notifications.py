"""Notifications, follows and mail preferences of the signed-in person."""
from __future__ import annotations

from flask import jsonify, request

from ..reads.notifications import list_notifications, preferences_view
from ..services.notifications import (follow_clause, follow_document, mark_notifications_read, unfollow_clause,
                                      unfollow_document, update_notification_preferences)
from .blueprint import api
from .helpers import actor, json_body


@api.get("/me/notifications")
def list_notifications_view():
    notifications, unread, following = list_notifications(actor(), request.args.get("cursor"))
    return jsonify(notifications=notifications, unread=unread, next=following)


@api.post("/me/notifications/read")
def mark_notifications_read_view():
    user = actor()
    data = json_body()
    mark_notifications_read(user, ids=data.get("ids"), everything=data.get("all"))
    return "", 204


@api.get("/me/notifications/preferences")
def get_preferences_view():
    preferences = preferences_view(actor())
    preferences.pop("kind_labels")
    return jsonify(preferences=preferences)


@api.patch("/me/notifications/preferences")
def update_preferences_view():
    user = actor()
    update_notification_preferences(user, json_body())
    preferences = preferences_view(user)
    preferences.pop("kind_labels")
    return jsonify(preferences=preferences)


@api.post("/documents/<int:document_id>/follow")
def follow_document_view(document_id: int):
    follow_document(actor(), document_id)
    return jsonify(following=True)


@api.delete("/documents/<int:document_id>/follow")
def unfollow_document_view(document_id: int):
    unfollow_document(actor(), document_id)
    return jsonify(following=False)


@api.post("/clauses/<int:clause_id>/follow")
def follow_clause_view(clause_id: int):
    follow_clause(actor(), clause_id)
    return jsonify(following=True)


@api.delete("/clauses/<int:clause_id>/follow")
def unfollow_clause_view(clause_id: int):
    unfollow_clause(actor(), clause_id)
    return jsonify(following=False)
