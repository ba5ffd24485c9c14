from flask import jsonify

from ..permissions import can_administer, require
from ..serializers import group_to_dict, user_to_dict
from ..services.users import create_user, list_groups, list_users, update_user
from .blueprint import api
from .helpers import actor, json_body
from flask_babel import lazy_gettext as _l


@api.get("/groups")
def list_groups_view():
    actor()
    return jsonify(groups=[group_to_dict(g) for g in list_groups()])


@api.get("/users")
def list_users_view():
    user = actor()
    require(can_administer(user), user, _l("Only administrators list accounts."))
    return jsonify(users=[user_to_dict(u) for u in list_users()])


@api.post("/users")
def create_user_view():
    admin = actor()  # 401 comes before any complaint about the body
    data = json_body()
    user = create_user(admin, email=data.get("email"), name=data.get("name"),
                       password=data.get("password"), role=data.get("role"), group=data.get("group"))
    return jsonify(user=user_to_dict(user)), 201


@api.patch("/users/<int:user_id>")
def update_user_view(user_id: int):
    user = update_user(actor(), user_id, json_body())
    return jsonify(user=user_to_dict(user))
