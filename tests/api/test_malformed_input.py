"""Malformed input is a 400 or a 404, never a 500 (issue 11, item 5).

The rules (collab/services/validation.py): text holds no NUL, no C0 control character
other than tab, line feed and carriage return, and no lone surrogate (400 `invalid_text`,
on SQLite and PostgreSQL alike); whole numbers fit 64 bits (404 as an id in a path,
400 in a body or query)."""
from __future__ import annotations

import json
import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.extensions import db
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import any_database

HUGE = 10 ** 30
DEEP = "[" * 100_000 + "]" * 100_000


def raw_post(api, path: str, user, body: str):
    return api.client.post("/api/v1" + path, data=body.encode("utf-8", "surrogatepass"),
                           headers={"Content-Type": "application/json", **api.headers(user)})


def test_a_lone_surrogate_in_a_json_body_is_invalid_text(api, participant, open_document, clause_id):
    before = stored_rows()
    response = raw_post(api, f"/clauses/{clause_id}/comments", participant,
                        '{"body": "a \\ud800", "kind": "concern"}')
    assert_error(response, 400, "invalid_text")
    assert stored_rows() == before


def test_a_lone_surrogate_anywhere_in_the_body_is_refused_before_any_service(api, admin):
    response = raw_post(api, "/auth/tokens", None, '{"email": "x@example.org", "password": "\\udfff and more"}')
    assert_error(response, 400, "invalid_text")


@pytest.mark.parametrize("path", ["/documents", "/auth/tokens", "/drafts/parse"])
def test_a_body_nested_100000_deep_is_malformed_json(api, admin, path):
    assert_error(raw_post(api, path, admin, DEEP), 400, "malformed_json")


def test_a_body_nested_deeper_than_any_request_needs_is_refused(api, admin):
    body = {"title": "T", "clauses": [{"number": "1", "body": "B", "extra": json.loads("[" * 40 + "]" * 40)}]}
    assert_error(api.post("/documents", admin, json=body), 400, "malformed_json")


@pytest.mark.parametrize("parent_id", [HUGE, -HUGE, 2 ** 63, "99999999999999999999999", "1" * 5000])
def test_a_parent_id_out_of_the_64_bit_range_is_400(api, participant, open_document, clause_id, parent_id):
    response = api.post(f"/clauses/{clause_id}/comments", participant,
                        json={"body": "A reply.", "kind": "concern", "parent_id": parent_id})
    assert_error(response, 400, "invalid_parent_id")


@pytest.mark.parametrize("path", ["/documents/99999999999999999999999", "/documents/9223372036854775808",
                                  "/comments/99999999999999999999999/timeline",
                                  "/documents/1/versions/99999999999999999999999"])
def test_an_id_out_of_the_64_bit_range_in_a_path_is_404(api, observer, document, path):
    assert_error(api.get(path, observer), 404, "not_found")


def test_the_largest_64_bit_id_is_simply_not_found(api, observer):
    assert_error(api.get("/documents/9223372036854775807", observer), 404)


@pytest.mark.parametrize("query", ["to=999999999999999999999", "from=999999999999999999999&to=1", "to=²"])
def test_a_diff_bound_out_of_range_is_400(api, observer, document, query):
    response = api.get(f"/documents/{document.id}/diff?{query}", observer)
    assert_error(response, 400)


@pytest.mark.parametrize("query", ["after=99999999999999999999", "limit=99999999999999999999",
                                   "document_id=99999999999999999999"])
def test_event_filters_out_of_range_are_400(api, observer, query):
    assert_error(api.get(f"/events?{query}", observer), 400)


@pytest.mark.parametrize("text", ["nul \x00 here", "bell \x07", "escape \x1b[31m", "vertical \x0b tab"])
def test_control_characters_in_a_comment_are_invalid_text(api, participant, open_document, clause_id, text):
    before = stored_rows()
    response = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": text, "kind": "concern"})
    assert_error(response, 400, "invalid_text")
    assert stored_rows() == before


def test_tab_newline_and_carriage_return_are_kept(api, participant, open_document, clause_id):
    response = api.post(f"/clauses/{clause_id}/comments", participant,
                        json={"body": "one\ttwo\r\nthree\nfour", "kind": "concern"})
    assert response.status_code == 201


@pytest.mark.parametrize("path", ["/groups/fam%00ilies/comments", "/documents?x=%00", "/events?after=%00"])
def test_a_nul_in_a_path_or_query_is_refused(api, observer, path):
    response = api.get(path, observer)
    assert response.status_code in (400, 404)
    assert_error(response, response.status_code)


@any_database
def test_the_nul_rule_is_the_same_on_every_database(api, participant, admin, open_document, clause_id):
    before = stored_rows()
    for path, body in [(f"/clauses/{clause_id}/comments", {"body": "a\x00b", "kind": "concern"}),
                       ("/documents", {"title": "T\x00", "clauses": [{"number": "1", "body": "B"}]}),
                       ("/auth/tokens", {"email": "a\x00@example.org", "password": "whatever it is"}),
                       ("/users", {"email": "new@example.org", "name": "N", "password": "long enough pw",
                                   "role": "participant", "group": "fam\x00ilies"})]:
        user = None if path == "/auth/tokens" else (participant if "clauses" in path else admin)
        assert_error(api.post(path, user, json=body), 400, "invalid_text")
    assert_error(api.get("/groups/fam%00ilies/comments", participant), 404)
    assert stored_rows() == before


# --- every JSON endpoint, generated from the served OpenAPI description -------------------------

INTEGERS = st.one_of(st.integers(min_value=-2, max_value=8), st.integers(),
                     st.sampled_from([2 ** 63 - 1, 2 ** 63, -(2 ** 63) - 1, HUGE]))
TEXT = st.text(max_size=12)
JSON_VALUES = st.recursive(st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=False) | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=6)
PATH_TEXT = st.one_of(st.sampled_from(["families", "md", "docx", "x"]),
                      st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8))
PATH_VALUES = {"integer": INTEGERS.map(str) | PATH_TEXT, "string": PATH_TEXT}


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _operations(spec: dict) -> list[dict]:
    operations = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "patch", "delete", "put"}:
                continue
            parameters = [_resolve(spec, p) for p in item.get("parameters", []) + operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = list(_resolve(spec, body["schema"]).get("properties", {})) if body else []
            operations.append({
                "method": method.upper(), "path": path, "body": body is not None, "fields": fields,
                "path_params": {p["name"]: _resolve(spec, p.get("schema", {})).get("type", "string")
                                for p in parameters if p["in"] == "path"},
                "query": [p["name"] for p in parameters if p["in"] == "query"]})
    return operations


@st.composite
def requests_for(draw, operation: dict):
    path = operation["path"]
    for name, kind in operation["path_params"].items():
        value = draw(PATH_VALUES.get(kind, PATH_VALUES["string"]))
        path = path.replace("{" + name + "}", quote(value, safe=""))
    query = {name: draw(INTEGERS.map(str) | TEXT) for name in operation["query"] if draw(st.booleans())}
    body = None
    if operation["body"]:
        body = draw(st.one_of(
            st.fixed_dictionaries({}, optional={name: JSON_VALUES for name in operation["fields"]}),
            JSON_VALUES.map(lambda v: json.dumps(v)),
            st.sampled_from(["{", DEEP, '{"a": "\\ud800"}', "[]", "null"]),
        ))
    return path, query, body


@pytest.fixture
def world(api, make, admin, participant, open_document, clause_id):
    """Something for the generated ids to find: a comment, a reply, a resolution, a meeting."""
    comment = make.comment(participant, clause_id)
    make.comment(participant, clause_id, body="A reply.", kind="question", parent_id=comment.id)
    assert api.post(f"/comments/{comment.id}/resolution", admin,
                    json={"disposition": "declined", "rationale": "Kept as is."}).status_code == 201
    assert api.post(f"/documents/{open_document.id}/meetings", admin,
                    json={"title": "Evening session"}).status_code == 201
    return {"admin": admin, "participant": participant}


def test_no_json_endpoint_answers_5xx_to_generated_input(api, make, world):
    spec = api.get("/openapi.json").get_json()
    operations = _operations(spec)
    assert len(operations) > 50

    @settings(max_examples=int(os.environ.get("NO_5XX_EXAMPLES", "400")), deadline=None, database=None,
              derandomize=os.environ.get("CI", "").lower() == "true",
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(operation=st.sampled_from(operations), data=st.data(), who=st.sampled_from(["admin", "participant", None]))
    def no_5xx(operation, data, who):
        path, query, body = data.draw(requests_for(operation))
        user = world.get(who)
        if user is not None:  # what earlier examples changed about the account is undone
            db.session.refresh(user)
            user.is_active, user.role = True, who
            db.session.commit()
            headers = {"Authorization": f"Bearer {make.token(user)}"}
        else:
            headers = {}
        kwargs = {"json": body} if isinstance(body, dict) else {}
        if isinstance(body, str):
            kwargs = {"data": body.encode("utf-8", "surrogatepass"), "content_type": "application/json"}
        response = api.client.open("/api/v1" + path, method=operation["method"], query_string=query,
                                   headers=headers, **kwargs)
        assert response.status_code < 500, (operation["method"], path, query, body,
                                            response.get_data(as_text=True)[:300])

    no_5xx()
