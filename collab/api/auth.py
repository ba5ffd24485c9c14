from flask import g, jsonify

from ..audience import serving
from ..rate_limits import limit_sign_in, password_sign_in
from ..serializers import user_to_dict
from ..services.users import issue_credential, revoke_credential
from .blueprint import api
from .helpers import actor, json_body


@api.post("/auth/tokens")
@limit_sign_in
def create_token():
    data = json_body()
    user = password_sign_in(data.get("email"), data.get("password"))
    _credential, secret = issue_credential(user, "token")
    with serving(user):  # the answer is for the person who just signed in
        return jsonify(token=secret, user=user_to_dict(user)), 201


@api.delete("/auth/tokens/current")
def revoke_current_token():
    actor()
    revoke_credential(g.credential.id)
    return "", 204


@api.get("/me")
def me():
    return jsonify(user=user_to_dict(actor()))
