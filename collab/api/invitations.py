"""Invitations in the API (admins), and accepting one (anyone holding its link)."""
from __future__ import annotations

from flask import jsonify, request

from ..rate_limits import limit_link_redemption
from ..reads.accounts import invitation_to_dict, list_invitations
from ..serializers import user_to_dict
from ..services.invitations import (
    accept_invitation,
    create_invitations,
    resend_invitation,
    rows_from_json,
    withdraw_invitation,
)
from .blueprint import api
from .helpers import actor, json_body


@api.get("/invitations")
def list_invitations_view():
    invitations = list_invitations(actor(), request.args.get("status", "pending") or None)
    return jsonify(invitations=[invitation_to_dict(i) for i in invitations])


@api.post("/invitations")
def create_invitations_view():
    admin = actor()
    created, errors = create_invitations(admin, rows_from_json(json_body().get("invitations")))
    return jsonify(created=[invitation_to_dict(i) for i in created], errors=errors), 201


@api.post("/invitations/<int:invitation_id>/resend")
def resend_invitation_view(invitation_id: int):
    return jsonify(invitation=invitation_to_dict(resend_invitation(actor(), invitation_id)))


@api.delete("/invitations/<int:invitation_id>")
def withdraw_invitation_view(invitation_id: int):
    withdraw_invitation(actor(), invitation_id)
    return "", 204


@api.post("/accounts/accept-invitation")
@limit_link_redemption
def accept_invitation_view():
    data = json_body()
    user, secret = accept_invitation(data.get("token"), data.get("password"), "token")
    return jsonify(token=secret, user=user_to_dict(user)), 201
