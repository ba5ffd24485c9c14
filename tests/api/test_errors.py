"""What every endpoint shares: authentication, request size, unknown paths and methods,
and the error shape."""
import pytest

from tests.api.helpers import assert_error, stored_rows

# Every endpoint that needs a signed-in user, with a body that would otherwise succeed
# or fail later than authentication. The document is invited-only: public documents are
# read without an account (tests/api/test_public_reading.py).
PROTECTED = [
    ("DELETE", "/auth/tokens/current", None),
    ("GET", "/me", None),
    ("PATCH", "/me", {"show_name": False}),
    ("GET", "/groups", None),
    ("GET", "/users", None),
    ("POST", "/users", {"email": "x@example.org", "name": "X", "password": "long enough pw",
                        "role": "participant", "group": "families"}),
    ("PATCH", "/users/{user}", {"name": "Renamed"}),
    ("POST", "/documents", {"title": "T", "clauses": [{"number": "1", "body": "B"}]}),
    ("PATCH", "/documents/{document}", {"visibility": "public"}),
    ("GET", "/documents/{document}", None),
    ("GET", "/documents/{document}/versions/1", None),
    ("POST", "/documents/{document}/periods", {"closes_at": "2100-01-01T00:00:00Z"}),
    ("POST", "/periods/{period}/close", None),
    ("POST", "/clauses/{clause}/comments", {"body": "Hm.", "kind": "concern"}),
    ("GET", "/documents/{document}/comments", None),
    ("PATCH", "/comments/{comment}", {"body": "Changed."}),
    ("GET", "/events", None),
    ("GET", "/events?document_id={document}", None),
    ("GET", "/documents/{document}/report.json", None),
    ("GET", "/documents/{document}/diff", None),
]


@pytest.fixture
def targets(make, admin, participant, open_document, clause_id):
    from collab.models import CommentPeriod
    from collab.extensions import db

    period = db.session.query(CommentPeriod).one()
    comment = make.comment(participant, clause_id)
    make.invited(open_document, admin)
    return {"user": participant.id, "document": open_document.id, "period": period.id, "clause": clause_id,
            "comment": comment.id}


def revoked_token(api, make, user) -> str:
    token = make.token(user)
    assert api.delete("/auth/tokens/current", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    return token


@pytest.mark.parametrize("method, path, body", PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
@pytest.mark.parametrize("credential", ["none", "unknown", "revoked", "deactivated"])
def test_every_protected_endpoint_refuses_a_missing_or_dead_token(api, make, admin, targets, method, path, body,
                                                                  credential):
    headers = {}
    if credential == "unknown":
        headers["Authorization"] = "Bearer 0123456789abcdef"
    elif credential == "revoked":
        headers["Authorization"] = f"Bearer {revoked_token(api, make, admin)}"
    elif credential == "deactivated":
        leaver = make.user(role="admin", group="district")
        headers["Authorization"] = f"Bearer {make.token(leaver)}"
        assert api.patch(f"/users/{leaver.id}", admin, json={"is_active": False}).status_code == 200
    before = stored_rows()
    response = api.call(method, path.format(**targets), json=body, headers=headers)
    assert_error(response, 401, "unauthenticated")
    assert stored_rows() == before


def test_a_request_over_max_content_length_is_413(api, admin, participant, open_document, clause_id, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 5 * 1024 * 1024
    before = stored_rows()
    padding = "x" * limit
    response = api.post(f"/clauses/{clause_id}/comments", participant,
                        json={"body": "Hm.", "kind": "concern", "padding": padding})
    assert_error(response, 413, "too_large")
    response = api.post("/documents", admin, json={"title": "Huge", "clauses": [{"number": "1", "body": padding}]})
    assert_error(response, 413, "too_large")
    assert stored_rows() == before


def test_a_request_just_under_max_content_length_is_read(api, participant, open_document, clause_id, app):
    filler = "x" * (app.config["MAX_CONTENT_LENGTH"] - 200)
    response = api.post(f"/clauses/{clause_id}/comments", participant,
                        json={"body": "Hm.", "kind": "concern", "ignored": filler})
    assert response.status_code == 201


def test_an_unknown_api_path_is_a_json_404(api, observer):
    assert_error(api.get("/no/such/thing", observer), 404, "not_found")


def test_a_wrong_method_is_a_json_405(api, admin):
    assert_error(api.call("PUT", "/documents", admin, json={}), 405, "method_not_allowed")


def test_the_openapi_description_is_public(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


def test_api_answers_are_never_cached(api, observer):
    assert api.get("/me", observer).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method, path", [(m, p) for m, p, body in PROTECTED if body is not None])
def test_authentication_is_checked_before_the_body(api, targets, method, path):
    response = api.call(method, path.format(**targets), data="{not json", headers={"Content-Type": "application/json"})
    assert_error(response, 401, "unauthenticated")
