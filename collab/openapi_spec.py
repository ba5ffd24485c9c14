"""The OpenAPI 3.1 description served at /api/v1/openapi.json.

It describes exactly the endpoints that exist: tests/test_openapi.py fails when a
rule under /api/v1 has no operation here (or an operation here has no rule), and
checks real answers against the schemas below.

To describe a new endpoint:
1. add its request and answer shapes to SCHEMAS (reuse what is there);
2. add the operation, built with `operation()`, to the area function it belongs to,
   or write a new area function returning {path: {method: operation}} and list it in AREAS;
3. name every error status it can give in `errors=` (each answers with the Error schema).
Paths are relative to the server URL /api/v1 and use the rule's parameter names.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app, has_app_context

from .models.comments import KINDS, STATUSES
from .models.users import ROLES
from .services.comments import BODY_MAX, IDEMPOTENCY_KEY_MAX, QUOTE_MAX, SUGGESTED_TEXT_MAX
from .services.documents import CLAUSE_BODY_MAX, MAX_CLAUSES

DEFAULT_MAX_CONTENT_LENGTH = 5 * 1024 * 1024


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


DATE_TIME = {"type": "string", "format": "date-time", "description": "ISO 8601 in UTC, e.g. 2026-12-01T17:00:00.000000Z."}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "description": "Every error answer has this shape.",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
                         "description": "A stable snake_case code for programs, e.g. commenting_closed."},
                "message": {"type": "string", "description": "A sentence for people."},
            },
        }},
    },
    "Group": {
        "type": "object",
        "required": ["slug", "name"],
        "properties": {"slug": {"type": "string", "examples": ["families"]}, "name": {"type": "string"}},
    },
    "User": {
        "type": "object",
        "required": ["id", "email", "name", "role", "group", "is_active"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "name": {"type": "string", "maxLength": 120},
            "role": {"type": "string", "enum": list(ROLES)},
            "group": {"type": "string", "description": "The slug of the user's stakeholder group."},
            "is_active": {"type": "boolean"},
        },
    },
    "UserCreate": {
        "type": "object",
        "required": ["email", "name", "password", "role", "group"],
        "properties": {
            "email": {"type": "string", "format": "email", "maxLength": 254,
                      "description": "Stored in lower case; unique regardless of case."},
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
            "password": {"type": "string", "minLength": 10, "maxLength": 1024},
            "role": {"type": "string", "enum": list(ROLES)},
            "group": {"type": "string", "description": "A group's slug (GET /groups)."},
        },
    },
    "UserChange": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "description": "Any of these; other fields are refused (400 unknown_field). Deactivating a user ends "
                       "their tokens, sessions and open sockets at once; admins cannot deactivate themselves.",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
            "role": {"type": "string", "enum": list(ROLES)},
            "group": {"type": "string"},
            "is_active": {"type": "boolean"},
        },
    },
    "Credentials": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
    },
    "Clause": {
        "type": "object",
        "required": ["id", "number", "heading", "body", "comment_count", "open_count"],
        "properties": {
            "id": {"type": "integer", "description": "Stable across versions."},
            "number": {"type": "string", "maxLength": 20},
            "heading": {"type": "string", "maxLength": 300},
            "body": {"type": "string", "maxLength": CLAUSE_BODY_MAX},
            "comment_count": {"type": "integer", "minimum": 0, "description": "Comments on this clause, all versions."},
            "open_count": {"type": "integer", "minimum": 0, "description": "Of those, the ones still open."},
        },
    },
    "ClauseInput": {
        "type": "object",
        "required": ["number", "body"],
        "properties": {
            "number": {"type": ["string", "integer"], "description": "Unique in the document; at most 20 characters."},
            "heading": {"type": "string", "maxLength": 300},
            "body": {"type": "string", "minLength": 1, "maxLength": CLAUSE_BODY_MAX},
        },
    },
    "DocumentCreate": {
        "type": "object",
        "required": ["title", "clauses"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "clauses": {"type": "array", "minItems": 1, "maxItems": MAX_CLAUSES, "items": ref("ClauseInput")},
        },
    },
    "VersionSummary": {
        "type": "object",
        "required": ["number", "note", "published_at"],
        "properties": {"number": {"type": "integer", "minimum": 1}, "note": {"type": "string"},
                       "published_at": DATE_TIME},
    },
    "Document": {
        "type": "object",
        "description": "A document at one version. The list (GET /documents) leaves out clauses and versions.",
        "required": ["id", "title", "version", "current_version", "created_at", "commenting_open", "period"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "version": {"type": "integer", "minimum": 1, "description": "The version shown."},
            "current_version": {"type": "integer", "minimum": 1},
            "created_at": DATE_TIME,
            "commenting_open": {"type": "boolean", "description": "Whether participants may comment now."},
            "period": {**nullable(ref("Period")),
                       "description": "The open period, else the next scheduled one, else the last one."},
            "clauses": {"type": "array", "maxItems": MAX_CLAUSES, "items": ref("Clause")},
            "versions": {"type": "array", "items": ref("VersionSummary")},
        },
    },
    "Period": {
        "type": "object",
        "description": "A comment period [opens_at, closes_at).",
        "required": ["id", "document_id", "opens_at", "closes_at", "is_open", "closed_early_at"],
        "properties": {
            "id": {"type": "integer"},
            "document_id": {"type": "integer"},
            "opens_at": DATE_TIME,
            "closes_at": DATE_TIME,
            "is_open": {"type": "boolean"},
            "closed_early_at": nullable(DATE_TIME),
        },
    },
    "PeriodCreate": {
        "type": "object",
        "required": ["closes_at"],
        "properties": {
            "opens_at": {**DATE_TIME, "description": "Default: now. A time without offset is UTC. "
                                                     "A later time schedules the period."},
            "closes_at": {**DATE_TIME, "description": "After opens_at and in the future."},
        },
    },
    "Author": {
        "type": "object",
        "required": ["id", "name", "group"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                       "group": {"type": "string", "description": "Group slug."},
                       "group_name": {"type": "string"}},
    },
    "Comment": {
        "type": "object",
        "description": "A comment as everyone sees it. Texts are returned verbatim (HTML is not interpreted); "
                       "a hidden comment shows no texts (null).",
        "required": ["id", "clause_id", "version", "parent_id", "author", "kind", "body", "quote",
                     "suggested_text", "status", "created_at", "seq", "resolution"],
        "properties": {
            "id": {"type": "integer"},
            "document_id": {"type": "integer"},
            "clause_id": {"type": "integer"},
            "version": {"type": "integer", "description": "The document version commented on."},
            "parent_id": {"type": ["integer", "null"], "description": "The thread's first comment, for a reply."},
            "author": ref("Author"),
            "kind": {"type": "string", "enum": list(KINDS)},
            "body": {"type": ["string", "null"], "maxLength": BODY_MAX},
            "quote": {"type": ["string", "null"], "maxLength": QUOTE_MAX},
            "suggested_text": {"type": ["string", "null"], "maxLength": SUGGESTED_TEXT_MAX},
            "status": {"type": "string", "enum": list(STATUSES)},
            "created_at": DATE_TIME,
            "edited_at": nullable(DATE_TIME),
            "seq": {"type": ["integer", "null"], "description": "seq of the comment.created event."},
            "resolution": {"type": ["object", "null"], "description": "The district's current answer, if any."},
        },
    },
    "CommentCreate": {
        "type": "object",
        "required": ["body", "kind"],
        "properties": {
            "body": {"type": "string", "minLength": 1, "maxLength": BODY_MAX,
                     "description": f"Not blank; at most {BODY_MAX:,} characters after trimming (longer: 413)."},
            "kind": {"type": "string", "enum": list(KINDS)},
            "parent_id": {"type": ["integer", "null"],
                          "description": "Reply to this comment; the reply joins its thread's clause."},
            "quote": {"type": ["string", "null"], "maxLength": QUOTE_MAX,
                      "description": "An exact passage of the clause's current text (else 400 quote_not_found)."},
            "suggested_text": {"type": ["string", "null"], "maxLength": SUGGESTED_TEXT_MAX,
                               "description": "Proposed new wording for the clause."},
        },
    },
    "CommentEdit": {
        "type": "object",
        "required": ["body"],
        "properties": {"body": {"type": "string", "minLength": 1, "maxLength": BODY_MAX}},
    },
    "Event": {
        "type": "object",
        "description": "One entry of the append-only, hash-chained log. "
                       "hash = sha256(prev_hash + canonical JSON of {seq, at, actor, action, document_id, subject, "
                       "data}); data carries digests of free texts, never the texts.",
        "required": ["seq", "at", "actor", "action", "document_id", "subject", "data", "prev_hash", "hash"],
        "properties": {
            "seq": {"type": "integer", "minimum": 1, "description": "Global and gap-free."},
            "at": DATE_TIME,
            "actor": {"type": ["integer", "null"], "description": "The acting user's id; null for the system."},
            "action": {"type": "string", "examples": ["comment.created"]},
            "document_id": {"type": ["integer", "null"]},
            "subject": {"type": "string", "examples": ["comment:12"]},
            "data": {"type": "object"},
            "prev_hash": SHA256,
            "hash": SHA256,
        },
    },
    "Checkpoint": {
        "type": "object",
        "description": "The chain's head as published at a milestone; a log that no longer extends it "
                       "was truncated or re-hashed.",
        "required": ["seq", "at", "head_hash"],
        "properties": {
            "seq": {"type": "integer", "minimum": 0},
            "at": DATE_TIME,
            "head_hash": SHA256,
            "reason": {"type": "string", "examples": ["period.closed"]},
            "document_id": {"type": ["integer", "null"]},
        },
    },
}

# Error answers, by status. Each one is the Error schema.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Malformed JSON (malformed_json) or an invalid field (e.g. invalid_kind, empty_body)."),
    401: ("Unauthenticated", "No credential, or an unknown, revoked or deactivated one (unauthenticated)."),
    403: ("Forbidden", "The user's role does not allow this (forbidden), or a cookie-authenticated unsafe "
                       "request lacks a valid X-CSRFToken header (csrf_failed)."),
    404: ("NotFound", "No such object (not_found, clause_not_found, parent_not_found)."),
    409: ("Conflict", "Conflicts with the current state (e.g. email_taken, commenting_closed, period_overlap)."),
    413: ("TooLarge", "A field is over its limit (e.g. body_too_long), or the request is over "
                      "MAX_CONTENT_LENGTH (too_large)."),
    422: ("IdempotencyKeyReused", "The Idempotency-Key was used before with a different body "
                                  "(idempotency_key_reused)."),
    429: ("RateLimited", "Too many requests (rate_limited); wait as long as Retry-After says."),
}


def _error_responses() -> dict:
    responses = {}
    for status, (name, description) in ERRORS.items():
        response = {"description": description, "content": {"application/json": {"schema": ref("Error")}}}
        if status == 429:
            response["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
        responses[name] = response
    return responses


PARAMETERS = {
    "IdempotencyKey": {
        "name": "Idempotency-Key", "in": "header", "required": False,
        "description": "Makes the request safe to retry: the same key again (same user) returns the first "
                       "comment instead of writing a second one, even when both arrive at once; the same key "
                       "with a different body is 422.",
        "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
    },
    "CsrfToken": {
        "name": "X-CSRFToken", "in": "header", "required": False,
        "description": "Required when authenticated by the session cookie (the page's csrf-token meta tag); "
                       "not needed with a bearer token.",
        "schema": {"type": "string"},
    },
}

SIGNED_IN = [{"bearer": []}, {"cookie": []}]
PUBLIC: list = []
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def path_id(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.",
            "schema": {"type": "integer", "minimum": 0}}


def query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def answer(description: str, properties: dict | None = None, required: list[str] | None = None) -> dict:
    """A successful JSON answer whose body is an object with `properties`; none for an empty body."""
    if properties is None:
        return {"description": description}
    schema = {"type": "object", "required": required or list(properties), "properties": properties}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def operation(operation_id: str, summary: str, *, tags: list[str], ok: dict[int, dict], errors: tuple[int, ...] = (),
              body: str | None = None, parameters: list | None = None, security: list = SIGNED_IN,
              description: str | None = None) -> dict:
    """One operation. `ok` maps success statuses to `answer(...)`; `errors` lists the error statuses."""
    result: dict = {"operationId": operation_id, "summary": summary, "tags": tags}
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body:
        result["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    responses = {str(status): response for status, response in ok.items()}
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    result["responses"] = responses
    result["security"] = security
    return result


def _unsafe(method: str, op: dict) -> dict:
    """Unsafe cookie-authenticated operations take the CSRF header."""
    if method in UNSAFE_METHODS and op["security"]:
        op["parameters"] = [*op.get("parameters", []), {"$ref": "#/components/parameters/CsrfToken"}]
    return op


# --- areas -------------------------------------------------------------------------

def auth_paths() -> dict:
    tags = ["Auth and users"]
    return {
        "/auth/tokens": {"post": operation(
            "createToken", "Sign in and get an API token", tags=tags, body="Credentials", security=PUBLIC,
            ok={201: answer("The token (shown once) and the user.",
                            {"token": {"type": "string"}, "user": ref("User")})},
            errors=(400, 401, 413, 429),
            description="Wrong e-mail or password, or a deactivated account: 401 invalid_credentials. "
                        "Rate-limited per client address (SIGN_IN_RATE_LIMIT).")},
        "/auth/tokens/current": {"delete": operation(
            "revokeCurrentToken", "Revoke the token used for this request", tags=tags,
            ok={204: answer("Revoked at once, open sockets included.")}, errors=(401, 403))},
        "/me": {"get": operation(
            "getMe", "The signed-in user", tags=tags, ok={200: answer("The user.", {"user": ref("User")})},
            errors=(401,))},
        "/groups": {"get": operation(
            "listGroups", "Stakeholder groups", tags=tags,
            ok={200: answer("All groups.", {"groups": {"type": "array", "items": ref("Group")}})}, errors=(401,))},
        "/users": {
            "get": operation(
                "listUsers", "List accounts (admins)", tags=tags,
                ok={200: answer("All accounts by name.", {"users": {"type": "array", "items": ref("User")}})},
                errors=(401, 403)),
            "post": operation(
                "createUser", "Create an account (admins)", tags=tags, body="UserCreate",
                ok={201: answer("The new account.", {"user": ref("User")})}, errors=(400, 401, 403, 409, 413),
                description="Records user.created. An e-mail taken (in any case) is 409 email_taken."),
        },
        "/users/{user_id}": {"patch": operation(
            "updateUser", "Change an account (admins)", tags=tags, body="UserChange",
            parameters=[path_id("user_id", "user")],
            ok={200: answer("The changed account.", {"user": ref("User")})},
            errors=(400, 401, 403, 404, 409, 413), description="Records user.updated.")},
    }


def document_paths() -> dict:
    tags = ["Documents and periods"]
    document = {"document": ref("Document")}
    return {
        "/documents": {
            "get": operation(
                "listDocuments", "List documents", tags=tags,
                ok={200: answer("Newest first, without clauses.",
                                {"documents": {"type": "array", "items": ref("Document")}})}, errors=(401,)),
            "post": operation(
                "createDocument", "Create a document at version 1 (admins)", tags=tags, body="DocumentCreate",
                ok={201: answer("The document with its clauses.", document)}, errors=(400, 401, 403, 413),
                description=f"At most {MAX_CLAUSES} clauses of at most {CLAUSE_BODY_MAX:,} characters each "
                            "(and the whole request within MAX_CONTENT_LENGTH). Records document.created."),
        },
        "/documents/{document_id}": {"get": operation(
            "getDocument", "A document at its current version", tags=tags,
            parameters=[path_id("document_id", "document")],
            ok={200: answer("The document.", document)}, errors=(401, 404))},
        "/documents/{document_id}/versions/{number}": {"get": operation(
            "getDocumentVersion", "A document as it stood at a version", tags=tags,
            parameters=[path_id("document_id", "document"),
                        {"name": "number", "in": "path", "required": True, "description": "Version number.",
                         "schema": {"type": "integer", "minimum": 1}}],
            ok={200: answer("The document at that version.", document)}, errors=(401, 404))},
        "/documents/{document_id}/periods": {"post": operation(
            "createPeriod", "Open or schedule a comment period (admins)", tags=tags, body="PeriodCreate",
            parameters=[path_id("document_id", "document")],
            ok={201: answer("The period.", {"period": ref("Period")})}, errors=(400, 401, 403, 404, 409, 413),
            description="Records period.opened (opens now) or period.scheduled. Overlapping another period of "
                        "the document is 409 period_overlap.")},
        "/periods/{period_id}/close": {"post": operation(
            "closePeriod", "Close a comment period now (admins)", tags=tags,
            parameters=[path_id("period_id", "period")],
            ok={200: answer("The closed period.", {"period": ref("Period")})}, errors=(401, 403, 404, 409),
            description="Records period.closed and publishes a checkpoint. Already closed: 409 period_closed.")},
    }


def comment_paths() -> dict:
    tags = ["Comments"]
    comment = {"comment": ref("Comment")}
    return {
        "/clauses/{clause_id}/comments": {"post": operation(
            "createComment", "Comment on a clause, or reply in a thread", tags=tags, body="CommentCreate",
            parameters=[path_id("clause_id", "clause"), {"$ref": "#/components/parameters/IdempotencyKey"}],
            ok={201: {**answer("The comment (the first one again for a repeated Idempotency-Key).", comment),
                      "headers": {"Idempotent-Replayed": {
                          "description": "\"true\" when the answer repeats an earlier request's comment.",
                          "schema": {"type": "string", "enum": ["true"]}}}}},
            errors=(400, 401, 403, 404, 409, 413, 422, 429),
            description="Participants, facilitators and admins, while a comment period is open (else 409 "
                        "commenting_closed). Records comment.created. Rate-limited per client address "
                        "(COMMENT_RATE_LIMIT).")},
        "/documents/{document_id}/comments": {"get": operation(
            "listComments", "A document's comments, oldest first", tags=tags,
            parameters=[
                path_id("document_id", "document"),
                query("clause_id", "Only this clause's comments.", {"type": "integer"}),
                query("group", "Only authors of this group (slug).", {"type": "string"}),
                query("kind", "Only this kind.", {"type": "string", "enum": list(KINDS)}),
                query("status", "Only this status.", {"type": "string", "enum": list(STATUSES)}),
                query("q", "Words in the body, quote or suggested text (case-insensitive; hidden comments "
                           "are not searched; the first 200 characters count).", {"type": "string"}),
            ],
            ok={200: answer("The comments.", {"comments": {"type": "array", "items": ref("Comment")}})},
            errors=(400, 401, 404))},
        "/comments/{comment_id}": {"patch": operation(
            "editComment", "Change a comment's text (its author)", tags=tags, body="CommentEdit",
            parameters=[path_id("comment_id", "comment")],
            ok={200: answer("The comment.", comment)}, errors=(400, 401, 403, 404, 409, 413),
            description="While commenting is open; the earlier text is kept in the history. "
                        "Records comment.edited (nothing when the text is unchanged).")},
    }


def event_paths() -> dict:
    tags = ["Audit log"]
    return {
        "/events": {"get": operation(
            "listEvents", "The hash-chained event log", tags=tags,
            parameters=[
                query("document_id", "Only this document's events.", {"type": "integer"}),
                query("after", "Only events with a greater seq (default 0).", {"type": "integer", "minimum": 0}),
                query("limit", "At most this many (default 100, at most 1000).",
                      {"type": "integer", "minimum": 1, "maximum": 1000}),
            ],
            ok={200: answer("Events in seq order and the chain's head hash.",
                            {"events": {"type": "array", "items": ref("Event")}, "head": SHA256})},
            errors=(400, 401))},
        "/events/checkpoints": {"get": operation(
            "listCheckpoints", "Published heads of the chain", tags=tags,
            ok={200: answer("Checkpoints in seq order.",
                            {"checkpoints": {"type": "array", "items": ref("Checkpoint")}})},
            errors=(401,))},
    }


def meta_paths() -> dict:
    return {"/openapi.json": {"get": operation(
        "getOpenApi", "This description", tags=["Meta"], security=PUBLIC,
        ok={200: {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}})}}


AREAS: list[Callable[[], dict]] = [auth_paths, document_paths, comment_paths, event_paths, meta_paths]


def _limits(max_content_length: int) -> str:
    return "\n".join([
        "Limits:",
        f"- comment body: {BODY_MAX:,} characters; quote: {QUOTE_MAX:,}; suggested_text: {SUGGESTED_TEXT_MAX:,};",
        f"- clause body: {CLAUSE_BODY_MAX:,} characters; at most {MAX_CLAUSES} clauses a document;",
        f"- request body: {max_content_length:,} bytes (MAX_CONTENT_LENGTH, {max_content_length / 1048576:g} MiB);",
        "- a field over its limit, or a request over MAX_CONTENT_LENGTH, is 413.",
    ])


def openapi_document() -> dict:
    config = current_app.config if has_app_context() else {}
    max_content_length = config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_CONTENT_LENGTH
    cookie_name = config.get("SESSION_COOKIE_NAME") or "cg_session"
    paths: dict = {}
    for area in AREAS:
        for path, operations in area().items():
            existing = paths.setdefault(path, {})
            for method, op in operations.items():
                if method in existing:
                    raise ValueError(f"{method.upper()} {path} is described twice")
                existing[method] = _unsafe(method, op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Common Ground API",
            "version": "1",
            "summary": "Clause-by-clause collaboration on a school district's SRO agreement (MOU).",
            "description": "\n\n".join([
                "Authenticate with `Authorization: Bearer <token>` (POST /auth/tokens) or, in the browser, the "
                "session cookie; cookie-authenticated unsafe requests need the `X-CSRFToken` header. "
                "Times are ISO 8601 in UTC. Errors are `{\"error\": {\"code\", \"message\"}}`. "
                "A refused request changes nothing.",
                _limits(max_content_length),
            ]),
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "Auth and users"}, {"name": "Documents and periods"}, {"name": "Comments"},
                 {"name": "Audit log"}, {"name": "Meta"}],
        "security": SIGNED_IN,
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": _error_responses(),
            "parameters": PARAMETERS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A token from POST /auth/tokens. No CSRF header needed. "
                                          "DELETE /auth/tokens/current revokes it."},
                "cookie": {"type": "apiKey", "in": "cookie", "name": cookie_name,
                           "description": "The browser's session (HttpOnly, SameSite=Lax). Unsafe methods need "
                                          "the X-CSRFToken header carrying the page's csrf-token meta tag; "
                                          "without it: 403 csrf_failed."},
            },
        },
    }
