"""The served OpenAPI description is valid, covers every /api/v1 endpoint, and matches real answers."""
import re
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from collab.openapi_spec import openapi_document
from collab.timeutil import isoformat, utcnow
from tests.api.helpers import IsolatedClient

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def spec(client):
    response = client.get(PREFIX + "/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_description_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_the_description_is_public_and_the_same_as_the_module_builds(client, spec):
    assert spec == openapi_document()


def rule_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule[len(PREFIX):])


def test_every_api_rule_is_described_and_nothing_else(app, spec):
    routes = {(rule_path(rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX + "/")
              for method in rule.methods - IGNORED_METHODS}
    described = {(path, method) for path, operations in spec["paths"].items() for method in operations
                 if method in {"get", "post", "put", "patch", "delete"}}
    assert routes - described == set(), "describe these endpoints in collab/openapi_spec.py"
    assert described - routes == set(), "these described endpoints do not exist"


def test_every_path_parameter_is_declared(spec):
    for path, operations in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, op in operations.items():
            declared = {p["name"] for p in op.get("parameters", []) if p.get("in") == "path"}
            assert declared == names, f"{method.upper()} {path}"


def test_every_operation_names_its_errors_with_the_error_schema(spec):
    responses = spec["components"]["responses"]
    for name, response in responses.items():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, name
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op["operationId"] and op["summary"]
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    assert response["$ref"].startswith("#/components/responses/"), f"{method} {path} {status}"
            if op["security"]:
                assert "401" in op["responses"], f"{method.upper()} {path} needs sign-in: name 401"
            if op.get("requestBody"):
                assert "400" in op["responses"] and "413" in op["responses"], f"{method.upper()} {path}"


def test_security_schemes_and_csrf_header_are_described(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert (schemes["cookie"]["type"], schemes["cookie"]["in"], schemes["cookie"]["name"]) == (
        "apiKey", "cookie", "cg_session")
    assert "X-CSRFToken" in schemes["cookie"]["description"]
    create = spec["paths"]["/clauses/{clause_id}/comments"]["post"]
    refs = {p.get("$ref") for p in create["parameters"]}
    assert {"#/components/parameters/CsrfToken", "#/components/parameters/IdempotencyKey"} <= refs
    assert "422" in create["responses"]
    assert spec["paths"]["/auth/tokens"]["post"]["security"] == []
    assert spec["paths"]["/openapi.json"]["get"]["security"] == []


def test_the_limits_are_documented(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["CommentCreate"]["properties"]["body"]["maxLength"] == 10_000
    assert schemas["CommentCreate"]["properties"]["quote"]["maxLength"] == 2_000
    assert schemas["CommentCreate"]["properties"]["suggested_text"]["maxLength"] == 20_000
    assert schemas["ClauseInput"]["properties"]["body"]["maxLength"] == 20_000
    assert schemas["DocumentCreate"]["properties"]["clauses"]["maxItems"] == 500
    assert "5,242,880 bytes" in spec["info"]["description"] and "5 MiB" in spec["info"]["description"]
    for name in ["User", "Group", "Document", "Clause", "Period", "Comment", "Event", "Checkpoint", "Error"]:
        assert name in schemas


# --- real answers match the described schemas -------------------------------------------

def answer_schema(spec, path: str, method: str, status: int) -> dict:
    schema = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in schema:
        schema = spec["components"]["responses"][schema["$ref"].rsplit("/", 1)[1]]
    # Resolve "#/components/..." against the whole description.
    return {**schema["content"]["application/json"]["schema"], "components": spec["components"]}


def check(spec, response, path: str, method: str = "get"):
    schema = answer_schema(spec, path, method, response.status_code)
    errors = sorted(Draft202012Validator(schema).iter_errors(response.get_json()), key=str)
    assert not errors, f"{method.upper()} {path} {response.status_code}: {errors[0]}"


def test_real_answers_match_the_described_schemas(client, spec, make):
    admin = make.admin()
    participant = make.user()
    admin_headers, headers = make.bearer(admin), make.bearer(participant)
    document = make.document(admin)
    clause_id = make.clause_ids(document)[0]

    def call(method, path, concrete, json=None, who=headers, status=None):
        response = client.open(PREFIX + concrete, method=method.upper(), json=json, headers=who)
        expected = status or {"get": 200, "patch": 200, "post": 201}[method]
        if concrete.endswith("/close"):
            expected = status or 200
        assert response.status_code == expected, response.get_data(as_text=True)
        check(spec, response, path, method)
        return response

    token = call("post", "/auth/tokens", "/auth/tokens", {"email": participant.email, "password": "correct horse battery"},
                 who={}).get_json()["token"]
    call("get", "/me", "/me")
    call("get", "/groups", "/groups")
    call("get", "/users", "/users", who=admin_headers)
    new_user = call("post", "/users", "/users", {"email": "new@example.org", "name": "New", "password": "long enough!",
                                                 "role": "observer", "group": "students"}, who=admin_headers)
    call("patch", "/users/{user_id}", f"/users/{new_user.get_json()['user']['id']}", {"name": "Renamed"},
         who=admin_headers)
    call("post", "/documents", "/documents", {"title": "T", "clauses": [{"number": 1, "body": "B"}]}, who=admin_headers)
    call("get", "/documents", "/documents")
    call("get", "/documents/{document_id}", f"/documents/{document.id}")
    call("get", "/documents/{document_id}/versions/{number}", f"/documents/{document.id}/versions/1")
    period = call("post", "/documents/{document_id}/periods", f"/documents/{document.id}/periods",
                  {"closes_at": isoformat(utcnow() + timedelta(days=3))}, who=admin_headers).get_json()["period"]
    comment = call("post", "/clauses/{clause_id}/comments", f"/clauses/{clause_id}/comments",
                   {"body": "Hm.", "kind": "question", "quote": "students"}).get_json()["comment"]
    call("patch", "/comments/{comment_id}", f"/comments/{comment['id']}", {"body": "Hmm."})
    call("get", "/documents/{document_id}/comments", f"/documents/{document.id}/comments")
    call("post", "/periods/{period_id}/close", f"/periods/{period['id']}/close", who=admin_headers)
    call("get", "/events", "/events")
    call("get", "/events/checkpoints", "/events/checkpoints")
    # Errors have the Error schema too.
    call("post", "/clauses/{clause_id}/comments", f"/clauses/{clause_id}/comments", {"body": "Late.", "kind": "concern"},
         status=409)
    call("get", "/documents/{document_id}", "/documents/4242", status=404)
    call("get", "/me", "/me", who={"Authorization": "Bearer nope"}, status=401)
    assert client.delete(PREFIX + "/auth/tokens/current", headers={"Authorization": f"Bearer {token}"}).status_code == 204
