"""Self-service accounts in the API: sign-up, verification, mailed sign-in links, password
resets, one's own account (change, export, delete), approval and organisation checks, groups.

The anonymous routes answer the same whatever the e-mail address (202 `{}`)."""
from __future__ import annotations

import hashlib
import json

from flask import Response, jsonify

from ..audience import serving
from ..auth import current_credential_id
from ..events import canonical_json
from ..permissions import can_administer, require
from ..rate_limits import limit_account_mail, limit_link_redemption
from ..reads.accounts import accounts_awaiting_approval, export_data
from ..serializers import group_to_dict, user_to_dict
from ..services.accounts import (
    approve_account,
    delete_account,
    record_data_export,
    redeem_sign_in_link,
    request_password_reset,
    request_sign_in_link,
    resend_verification,
    reset_password,
    sign_up,
    update_group_settings,
    update_profile,
    verify_email,
    verify_organisation,
)
from ..reads.notifications import preferences_view
from ..services.notifications import update_me_notifications
from .blueprint import api
from .helpers import actor, json_body
from flask_babel import lazy_gettext as _l

SIGN_UP_FIELDS = ("email", "name", "group", "password", "language", "show_name", "organisation")



@api.post("/accounts")
@limit_account_mail
def sign_up_view():
    data = json_body()
    sign_up(**{field: data.get(field) for field in SIGN_UP_FIELDS})
    return jsonify({}), 202


@api.post("/auth/verify-email")
@limit_link_redemption
def verify_email_view():
    user = verify_email(json_body().get("token"), keep_credential_id=current_credential_id())
    with serving(user):  # the link was mailed to this person: the answer is theirs
        return jsonify(user=user_to_dict(user))


@api.post("/auth/verify-email/resend")
def resend_verification_view():
    resend_verification(actor())
    return jsonify({}), 202


@api.post("/auth/links")
@limit_account_mail
def request_sign_in_link_view():
    request_sign_in_link(json_body().get("email"))
    return jsonify({}), 202


@api.post("/auth/links/redeem")
@limit_link_redemption
def redeem_sign_in_link_view():
    user, secret = redeem_sign_in_link(json_body().get("token"), "token")
    with serving(user):  # the answer is for the person who just signed in
        return jsonify(token=secret, user=user_to_dict(user)), 201


@api.post("/auth/password-reset")
@limit_account_mail
def request_password_reset_view():
    request_password_reset(json_body().get("email"))
    return jsonify({}), 202


@api.post("/auth/password-reset/confirm")
@limit_link_redemption
def reset_password_view():
    data = json_body()
    reset_password(data.get("token"), data.get("password"))
    return "", 204


@api.patch("/me")
def update_me_view():
    """The account's fields go to update_profile; `notifications` (how the person gets mail)
    to the notification preferences."""
    user = actor()  # 401 comes before any complaint about the body
    changes = dict(json_body())
    notifications = changes.pop("notifications", None)
    if changes or notifications is None:
        user = update_profile(user, changes, keep_credential_id=current_credential_id())
    answer = {"user": user_to_dict(user)}
    if notifications is not None:
        update_me_notifications(user, notifications)
        preferences = preferences_view(user)
        preferences.pop("kind_labels", None)
        answer["notifications"] = preferences
    return jsonify(answer)


@api.delete("/me")
def delete_me_view():
    delete_account(actor())
    return "", 204


def export_response(user) -> Response:
    """The person's data as a JSON file; its digest goes into the log with `user.data_exported`."""
    data = export_data(user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    record_data_export(user, hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest())
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="common-ground-my-data.json"'
    return response


@api.get("/me/export")
def export_me_view():
    return export_response(actor())


@api.get("/users/awaiting-approval")
def accounts_awaiting_approval_view():
    return jsonify(users=[user_to_dict(u) for u in accounts_awaiting_approval(actor())])


@api.post("/users/<int:user_id>/approve")
def approve_account_view(user_id: int):
    return jsonify(user=user_to_dict(approve_account(actor(), user_id)))


@api.put("/users/<int:user_id>/organisation-verification")
def verify_organisation_view(user_id: int):
    user = verify_organisation(actor(), user_id, json_body().get("verified"))
    return jsonify(user=user_to_dict(user))


@api.patch("/groups/<slug>")
def update_group_view(slug: str):
    admin = actor()
    require(can_administer(admin), admin, _l("Only administrators change groups."))
    return jsonify(group=group_to_dict(update_group_settings(admin, slug, json_body())))
