"""The served OpenAPI description is valid, covers every /api/v1 endpoint, and matches real answers."""
import re
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from collab.api.openapi_spec import openapi_document
from collab.timeutil import isoformat, utcnow

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


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


def test_answers_about_resolutions_moderation_and_the_audit_trail_match_the_schemas(client, spec, make):
    admin, other_admin = make.admin(), make.user(role="admin", group="district")
    author, flagger = make.user(), make.user(group="students")
    facilitator = make.user(role="facilitator", group="community")
    admin_headers, author_headers = make.bearer(admin), make.bearer(author)
    flagger_headers, facilitator_headers = make.bearer(flagger), make.bearer(facilitator)
    document = make.document(admin)
    make.open_period(document, admin)
    first, second = make.clause_ids(document)[:2]
    concern = make.comment(author, first)
    same_point = make.comment(flagger, first, body="The same point, put another way.")
    rude = make.comment(author, second, body="Something a moderator should look at.")

    def call(method, path, concrete, json=None, who=admin_headers, status=200):
        response = client.open(PREFIX + concrete, method=method.upper(), json=json, headers=who)
        assert response.status_code == status, response.get_data(as_text=True)
        check(spec, response, path, method)
        return response.get_json()

    recorded = call("post", "/comments/{comment_id}/resolution", f"/comments/{concern.id}/resolution",
                    {"disposition": "accepted_with_changes", "rationale": "Clause 1 now says so.", "version": 1},
                    status=201)
    assert recorded["comment"]["resolution"]["history_count"] == 1
    call("post", "/documents/{document_id}/resolutions", f"/documents/{document.id}/resolutions",
         {"comment_ids": [concern.id, same_point.id], "disposition": "noted", "rationale": "Both heard."},
         who=make.bearer(other_admin), status=201)
    call("get", "/comments/{comment_id}/resolutions", f"/comments/{concern.id}/resolutions", who=author_headers)
    call("post", "/comments/{comment_id}/reopen", f"/comments/{concern.id}/reopen", {"reason": "Not really."},
         who=author_headers)
    call("post", "/comments/{comment_id}/reopen", f"/comments/{concern.id}/reopen", {}, who=author_headers,
         status=409)
    flag = call("post", "/comments/{comment_id}/flags", f"/comments/{rude.id}/flags", {"reason": "Personal data."},
                who=flagger_headers, status=201)
    assert flag["flag"]["outcome"] is None
    call("get", "/moderation/queue", "/moderation/queue", who=facilitator_headers)
    call("get", "/moderation/queue", "/moderation/queue", who=author_headers, status=403)
    call("post", "/comments/{comment_id}/hide", f"/comments/{rude.id}/hide", {"reason": "Names a student."},
         who=facilitator_headers)
    call("post", "/comments/{comment_id}/hide", f"/comments/{rude.id}/hide", {"reason": "Again."},
         who=facilitator_headers, status=409)
    call("post", "/comments/{comment_id}/unhide", f"/comments/{rude.id}/unhide", {"reason": "Edited."},
         who=facilitator_headers)
    call("post", "/comments/{comment_id}/flags", f"/comments/{rude.id}/flags", {"reason": "Still."},
         who=flagger_headers, status=201)
    call("post", "/comments/{comment_id}/flags/dismiss", f"/comments/{rude.id}/flags/dismiss",
         {"reason": "Fine now."}, who=facilitator_headers)
    redacted = call("post", "/comments/{comment_id}/redact", f"/comments/{rude.id}/redact",
                    {"reason": "Personal data."})
    assert redacted["comment"]["is_redacted"] is True
    resolution_id = recorded["resolution"]["id"]
    call("post", "/resolutions/{resolution_id}/redact", f"/resolutions/{resolution_id}/redact",
         {"reason": "Personal data."})
    call("get", "/comments/{comment_id}/timeline", f"/comments/{concern.id}/timeline", who=author_headers)
    call("get", "/me/comments", "/me/comments", who=author_headers)
    call("get", "/groups/{slug}/comments", "/groups/families/comments", who=author_headers)
    call("get", "/groups/{slug}/comments", "/groups/nobody/comments", who=author_headers, status=404)
    call("get", "/documents/{document_id}/overview", f"/documents/{document.id}/overview", who=author_headers)
    report = call("get", "/documents/{document_id}/report.json", f"/documents/{document.id}/report.json",
                  who=author_headers)
    assert report["summary"]["comments"] == 3
    call("get", "/events/verify", "/events/verify")
    call("get", "/events/verify", "/events/verify", who=author_headers, status=403)
    call("post", "/comments/{comment_id}/resolution", f"/comments/{concern.id}/resolution",
         {"disposition": "maybe", "rationale": "x"}, status=400)

    csv = client.get(PREFIX + f"/documents/{document.id}/report.csv", headers=author_headers)
    assert csv.status_code == 200
    described = spec["paths"]["/documents/{document_id}/report.csv"]["get"]["responses"]["200"]
    assert csv.mimetype in described["content"]
    header = csv.get_data(as_text=True).splitlines()[0].split(",")
    assert header == spec["components"]["schemas"]["ReportRow"]["required"]


def test_answers_about_versions_drafts_and_exports_match_the_schemas(client, spec, make):
    admin, author = make.admin(), make.user()
    admin_headers, author_headers = make.bearer(admin), make.bearer(author)
    document = make.document(admin)
    make.open_period(document, admin)
    first, second = make.clause_ids(document)[:2]
    suggestion = make.comment(author, first, body="Say it plainly.", kind="suggestion",
                              quote="keeps students safe", suggested_text="protects students")
    make.comment(author, second, body="Still worried.", quote="school rules")

    def call(method, path, concrete, json=None, who=admin_headers, status=200, **kwargs):
        response = client.open(PREFIX + concrete, method=method.upper(), json=json, headers=who, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        check(spec, response, path, method)
        return response.get_json()

    current = call("get", "/documents/{document_id}", f"/documents/{document.id}")["document"]["clauses"]
    clauses = [{"id": c["id"], "number": c["number"], "heading": c["heading"], "body": c["body"]} for c in current]
    clauses[1]["body"] = "Officers never enforce school rules or discipline."
    published = call("post", "/documents/{document_id}/versions", f"/documents/{document.id}/versions",
                     {"note": "Tighter wording.", "base_version": 1, "clauses": clauses}, status=201)
    assert published["version"]["number"] == 2
    call("post", "/documents/{document_id}/versions", f"/documents/{document.id}/versions",
         {"base_version": 1, "clauses": clauses}, status=409)
    call("post", "/documents/{document_id}/versions", f"/documents/{document.id}/versions",
         {"clauses": clauses}, who=author_headers, status=403)
    call("get", "/documents/{document_id}/versions", f"/documents/{document.id}/versions", who=author_headers)
    carried = call("get", "/documents/{document_id}/comments", f"/documents/{document.id}/comments",
                   who=author_headers)["comments"]
    assert any(c["carried_forward"] and c["anchor"]["status"] == "exact" for c in carried)
    worried = next(c for c in carried if c["clause_id"] == second)
    call("post", "/comments/{comment_id}/review", f"/comments/{worried['id']}/review", {"resolves": True},
         who=author_headers)
    call("post", "/comments/{comment_id}/take-suggestion", f"/comments/{suggestion.id}/take-suggestion",
         status=201)
    diff = call("get", "/documents/{document_id}/diff", f"/documents/{document.id}/diff?from=1&to=3",
                who=author_headers)
    assert {c["change"] for c in diff["changes"]} == {"changed", "unchanged"}
    call("get", "/documents/{document_id}/diff", f"/documents/{document.id}/diff?from=9", who=author_headers,
         status=404)
    call("get", "/documents/{document_id}/diff", f"/documents/{document.id}/diff?from=one", who=author_headers,
         status=400)

    export = spec["paths"]["/documents/{document_id}/versions/{number}/export.{fmt}"]["get"]
    files = {}
    for fmt in ("md", "docx"):
        response = client.get(PREFIX + f"/documents/{document.id}/versions/3/export.{fmt}", headers=author_headers)
        assert response.status_code == 200
        assert response.mimetype in export["responses"]["200"]["content"]
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        files[fmt] = response.data
    call("get", "/documents/{document_id}/versions/{number}/export.{fmt}",
         f"/documents/{document.id}/versions/3/export.pdf", who=author_headers, status=404)

    preview = call("post", "/drafts/parse", "/drafts/parse",
                   {"text": files["md"].decode("utf-8"), "document_id": document.id})["draft"]
    assert [c["id"] for c in preview["clauses"]] == make.clause_ids(document)
    parse = spec["paths"]["/drafts/parse"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(parse)
    from io import BytesIO

    call("post", "/drafts/parse", "/drafts/parse", who=admin_headers,
         data={"file": (BytesIO(files["docx"]), "draft.docx")}, content_type="multipart/form-data")
    call("post", "/drafts/parse", "/drafts/parse", who=admin_headers,
         data={"file": (BytesIO(b"plain"), "draft.pdf")}, content_type="multipart/form-data", status=400)
    call("post", "/drafts/parse", "/drafts/parse", {"text": "no headings here"}, status=400)


def test_answers_about_meetings_match_the_schemas(client, spec, make):
    admin, participant = make.admin(), make.user()
    facilitator = make.user(role="facilitator", group="community")
    headers, participant_headers = make.bearer(facilitator), make.bearer(participant)
    document = make.document(admin)
    first, second = make.clause_ids(document)[:2]

    def call(method, path, concrete, json=None, who=headers, status=200):
        response = client.open(PREFIX + concrete, method=method.upper(), json=json, headers=who)
        assert response.status_code == status, response.get_data(as_text=True)
        check(spec, response, path, method)
        return response.get_json()

    meeting = call("post", "/documents/{document_id}/meetings", f"/documents/{document.id}/meetings",
                   {"title": "Town hall", "agenda": [{"clause_id": first, "minutes": 10},
                                                     {"clause_id": second, "minutes": 5}]}, status=201)["meeting"]
    mid = meeting["id"]
    call("post", "/documents/{document_id}/meetings", f"/documents/{document.id}/meetings",
         {"title": "Bad", "agenda": [{"clause_id": first, "minutes": 0}]}, status=400)
    call("post", "/meetings/{meeting_id}/start", f"/meetings/{mid}/start", who=participant_headers, status=403)
    call("post", "/meetings/{meeting_id}/start", f"/meetings/{mid}/start")
    call("post", "/meetings/{meeting_id}/start", f"/meetings/{mid}/start", status=409)
    call("post", "/meetings/{meeting_id}/focus", f"/meetings/{mid}/focus", {"clause_id": first})
    call("post", "/meetings/{meeting_id}/hands", f"/meetings/{mid}/hands", who=participant_headers, status=201)
    call("post", "/meetings/{meeting_id}/speaker/next", f"/meetings/{mid}/speaker/next")
    call("delete", "/meetings/{meeting_id}/hands/{user_id}", f"/meetings/{mid}/hands/{participant.id}")
    call("post", "/meetings/{meeting_id}/silent-rounds", f"/meetings/{mid}/silent-rounds", {}, status=201)
    make.comment(participant, first, body="Written in silence.")
    revealed = call("post", "/meetings/{meeting_id}/silent-rounds/current/reveal",
                    f"/meetings/{mid}/silent-rounds/current/reveal")
    assert len(revealed["comments"]) == 1
    attended = call("post", "/meetings/{meeting_id}/attendance", f"/meetings/{mid}/attendance",
                    {"name": "A parent", "group": "families"}, status=201)["meeting"]["attendance"]
    call("post", "/meetings/{meeting_id}/attendance", f"/meetings/{mid}/attendance",
         {"name": "Someone", "group": "nobody"}, status=400)
    call("post", "/meetings/{meeting_id}/attendance/{attendance_id}/end",
         f"/meetings/{mid}/attendance/{attended[0]['id']}/end")
    call("get", "/meetings/{meeting_id}", f"/meetings/{mid}", who=participant_headers)
    call("post", "/meetings/{meeting_id}/end", f"/meetings/{mid}/end")
    call("get", "/documents/{document_id}/meetings", f"/documents/{document.id}/meetings",
         who=participant_headers)
    minutes = call("get", "/meetings/{meeting_id}/minutes", f"/meetings/{mid}/minutes",
                   who=participant_headers)["minutes"]
    assert minutes["is_final"] and minutes["checkpoint"] is not None
    call("get", "/meetings/{meeting_id}", "/meetings/4242", who=participant_headers, status=404)


def test_every_logged_action_is_listed_among_the_live_events(spec):
    import pathlib

    source = "\n".join(p.read_text() for p in pathlib.Path("collab").rglob("*.py"))
    recorded = set(re.findall(r'(?:record_event|_record)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    # An action chosen by a condition (period.opened or period.scheduled).
    for pair in re.findall(r'action = "([a-z_]+\.[a-z_]+)" if .* else "([a-z_]+\.[a-z_]+)"', source):
        recorded |= set(pair)
    assert {"comment.created", "meeting.joined", "period.scheduled"} <= recorded
    assert recorded == set(spec["x-live-events"])
    for action in ["comment.hidden", "resolution.recorded", "meeting.focus", "meeting.silent_round_revealed"]:
        assert f"`{action}`" in spec["info"]["description"]


# --- the live channel's client events ------------------------------------------------------

def test_every_client_event_handler_of_the_namespace_is_documented(spec):
    from collab.realtime.meetings import LiveNamespace

    handled = {name[len("on_"):] for name in dir(LiveNamespace) if name.startswith("on_")}
    documented = spec["x-live-client-events"]
    # The namespace handles event `a.b` in `on_a_b`.
    assert {name.replace(".", "_") for name in documented} == handled
    assert {"join", "leave", "comment.create", "meeting.join", "meeting.leave"} <= set(documented)
    for name, event in documented.items():
        assert event["summary"] and event["payload"], name
        if name not in {"connect", "disconnect"}:
            assert event["ack"]["oneOf"][1]["properties"]["ok"] == {"const": False}, name
            assert f"`{name} {{" in spec["info"]["description"], name
        if "same_as" in event:
            operations = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
            assert event["same_as"] in operations, name
        assert set(event["records"]) <= set(spec["x-live-events"]), name


def test_client_event_payloads_and_acknowledgements_match_the_description(spec, make, socket_client):
    from collab.services import meetings as meeting_service

    facilitator = make.user(role="facilitator", group="community", name="Fay")
    participant = make.user(name="Ana")
    document = make.document()
    make.open_period(document)
    clause_id = make.clause_ids(document)[0]
    meeting = meeting_service.create_meeting(facilitator, document.id, title="Forum")
    meeting_service.start_meeting(facilitator, meeting.id)
    sockets = {"fay": socket_client(token=make.token(facilitator)),
               "ana": socket_client(token=make.token(participant))}
    described = spec["x-live-client-events"]
    seen = set()

    def emit(who, name, payload, ok=True):
        event = described[name]
        errors = sorted(Draft202012Validator({**event["payload"], "components": spec["components"]})
                        .iter_errors(payload), key=str)
        assert not errors, f"{name} payload: {errors[0]}"
        ack = sockets[who].emit(name, payload, callback=True)
        assert ack["ok"] is ok, ack
        errors = sorted(Draft202012Validator({**event["ack"], "components": spec["components"]})
                        .iter_errors(ack), key=str)
        assert not errors, f"{name} acknowledgement: {errors[0]}"
        seen.add(name)
        return ack

    joined = emit("ana", "join", {"document_id": document.id, "since": 0})
    assert joined["missed"] and joined["presence"][0]["name"] == "Ana"
    emit("ana", "join", {"document_id": 4242}, ok=False)
    emit("ana", "comment.create", {"clause_id": clause_id, "body": "Live.", "kind": "question",
                                   "idempotency_key": "k-1"})
    emit("ana", "comment.create", {"clause_id": 4242, "body": "Where?", "kind": "question"}, ok=False)
    emit("ana", "meeting.join", {"meeting_id": meeting.id, "since": 0})
    emit("fay", "meeting.join", {"meeting_id": meeting.id})
    emit("ana", "meeting.raise_hand", {"meeting_id": meeting.id})
    emit("fay", "meeting.next_speaker", {"meeting_id": meeting.id})
    emit("fay", "meeting.lower_hand", {"meeting_id": meeting.id, "user_id": participant.id})
    emit("fay", "meeting.focus", {"meeting_id": meeting.id, "clause_id": clause_id})
    emit("ana", "meeting.focus", {"meeting_id": meeting.id, "clause_id": clause_id}, ok=False)
    emit("ana", "meeting.leave", {"meeting_id": meeting.id})
    emit("ana", "leave", {"document_id": document.id})
    assert seen == {name for name, event in described.items() if event["ack"] is not None}


def test_answers_about_notifications_match_the_schemas(app, client, spec, make):
    from collab.notifications.notifier import run_notifier
    from collab.services.meetings import create_meeting

    admin, reader = make.admin(), make.user()
    headers = make.bearer(reader)
    document = make.document(admin)
    clause_id = make.clause_ids(document)[0]
    for method, path, concrete, body in [
            ("post", "/documents/{document_id}/follow", f"/documents/{document.id}/follow", None),
            ("post", "/clauses/{clause_id}/follow", f"/clauses/{clause_id}/follow", None),
            ("delete", "/clauses/{clause_id}/follow", f"/clauses/{clause_id}/follow", None),
            ("patch", "/me/notifications/preferences", "/me/notifications/preferences", {"email": "weekly"}),
            ("get", "/me/notifications/preferences", "/me/notifications/preferences", None),
            ("patch", "/me", "/me", {"notifications": {"email": "never"}})]:
        response = client.open(PREFIX + concrete, method=method.upper(), json=body, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        check(spec, response, path, method)
    create_meeting(admin, document.id, title="Hearing", starts_at=isoformat(utcnow() + timedelta(days=1)))
    run_notifier(app, until_idle=True)
    listed = client.get(PREFIX + "/me/notifications", headers=headers)
    assert len(listed.get_json()["notifications"]) == 1
    check(spec, listed, "/me/notifications")
    refused = client.post(PREFIX + "/me/notifications/read", json={}, headers=headers)
    assert refused.status_code == 400
    check(spec, refused, "/me/notifications/read", "post")
