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

from ..reads.queue import REPORT_COLUMNS
from ..reads.equity import FLAGS as EQUITY_FLAGS
from ..drafts.readability import SUMMARY_WORD_LIMIT
from ..models.agreements import PARTIES
from ..services.agreements import SUMMARY_MAX_CHARS
from ..drafts.importing import DOCX_UNPACKED_MAX, HEADING_MAX, NUMBER_MAX, TEXT_MAX
from ..models.comments import KINDS, STATUSES
from ..models.cosigning import SOURCES
from ..services.intake import SCAN_MAX_BYTES
from ..models.meetings import ATTENDANCE_SOURCES, HAND_STATUSES, MEETING_STATUSES
from ..models.moderation import FLAG_OUTCOMES
from ..models.notifications import EMAIL_FREQUENCIES, KINDS as NOTIFICATION_KINDS
from ..models.resolutions import DISPOSITIONS
from ..models.documents import VISIBILITIES
from ..models.translations import TRANSLATION_LANGUAGES, TRANSLATION_STATUSES
from ..models.users import ROLES
from ..translation import LANGUAGES
from ..reads.audit import CATCH_UP_MAX
from ..services.comments import (
    BODY_MAX,
    IDEMPOTENCY_KEY_MAX,
    QUOTE_MAX,
    SUGGESTED_TEXT_MAX,
)
from ..services.documents import CLAUSE_BODY_MAX, MAX_CLAUSES
from ..services.coverage import TAG_STRENGTHS
from ..domain.checklist import KINDS as CHECKLIST_KINDS, STRENGTHS as CHECKLIST_STRENGTHS
from ..reads.coverage import STANDINGS as COVERAGE_STANDINGS
from ..services.meetings import AGENDA_MAX_ITEMS, ITEM_MINUTES_MAX, NAME_MAX, TITLE_MAX
from ..services.moderation import REASON_MAX
from ..services.resolutions import BATCH_MAX, RATIONALE_MAX, REOPEN_REASON_MAX
from ..services.versions import EXPORT_FORMATS, NOTE_MAX

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
        "properties": {"slug": {"type": "string", "examples": ["families"]}, "name": {"type": "string"},
                       "is_open_to_sign_up": {"type": "boolean"}, "needs_approval": {"type": "boolean"}},
    },
    "User": {
        "type": "object",
        "required": ["id", "email", "name", "role", "group", "is_active", "show_name"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": ["string", "null"], "format": "email",
                      "description": "Shown to administrators and to the person themself; null to anyone else, "
                                     "and once the person deleted their account."},
            "name": {"type": ["string", "null"], "maxLength": 120,
                     "description": "Null when the person shows only their group and the reader is neither "
                                    "the person nor an administrator or facilitator."},
            "role": {"type": "string", "enum": list(ROLES)},
            "group": {"type": "string", "description": "The slug of the user's stakeholder group."},
            "is_active": {"type": "boolean"},
            "email_verified": {"type": "boolean", "description": "Commenting needs a verified address."},
            "approval_status": {"enum": ["approved", "pending"],
                                "description": "pending: the group needs an administrator's approval first."},
            "language": {"enum": list(LANGUAGES)},
            "show_name": {"type": "boolean",
                          "description": "Whether readers who are not moderators see the name, or only the group "
                                         "(\"A participant — Families\"). Default: true, false in the students group."},
            "organisation": {"type": ["string", "null"], "description": "The organisation the person says they speak for."},
            "organisation_verified": {"type": "boolean", "description": "An administrator confirmed it (a badge)."},
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
            "translations": {"type": "object", "description": "Added in 1.1. The clause in other languages, "
                                                              "by language code (es).",
                             "propertyNames": {"enum": list(TRANSLATION_LANGUAGES)},
                             "additionalProperties": ref("ClauseTranslation")},
        },
    },
    "ClauseTranslation": {
        "type": "object",
        "description": "A human translation of the clause as it stands in this version. Publishing a version "
                       "carries it forward: `current` when the English is unchanged, else `outdated` (pages "
                       "show \"translation being updated\") until the district replaces it. No machine "
                       "translation is built; `machine_translated` labels any that a future provider adds.",
        "required": ["heading", "body", "status", "machine_translated", "translated_at"],
        "properties": {
            "heading": {"type": "string", "maxLength": 300},
            "body": {"type": "string", "maxLength": CLAUSE_BODY_MAX},
            "status": {"type": "string", "enum": list(TRANSLATION_STATUSES)},
            "machine_translated": {"type": "boolean"},
            "translated_at": DATE_TIME,
        },
    },
    "ClauseTranslationInput": {
        "type": "object",
        "required": ["body"],
        "properties": {
            "heading": {"type": ["string", "null"], "maxLength": 300},
            "body": {"type": "string", "minLength": 1, "maxLength": CLAUSE_BODY_MAX},
            "version": {"type": ["integer", "null"], "minimum": 1,
                        "description": "The version whose clause this translates; default the current one."},
        },
    },
    "TranslationImport": {
        "type": "object",
        "required": ["version", "language", "translated", "missing", "warnings", "count"],
        "properties": {
            "version": {"type": "integer"}, "language": {"type": "string"},
            "translated": {"type": "array", "items": {"type": "string"}, "description": "Clause numbers stored."},
            "missing": {"type": "array", "items": {"type": "string"},
                        "description": "Clause numbers of the version the file did not have."},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "count": {"type": "integer", "minimum": 0},
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
            "visibility": {"type": "string", "enum": list(VISIBILITIES), "default": "public",
                           "description": "public: anyone reads it without an account; invited: signed-in "
                                          "people only."},
        },
    },
    "DocumentChange": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "description": "Any of these; other fields are refused (400 unknown_field). Records document.updated "
                       "when something changed.",
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "visibility": {"type": "string", "enum": list(VISIBILITIES)},
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
            "visibility": {"type": "string", "enum": list(VISIBILITIES)},
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
            "starts_at": nullable(DATE_TIME),
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
        "description": "A person as others see them; e-mail addresses are never part of it.",
        "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"], "description": "Null when the person shows only their group."},
                       "group": {"type": "string", "description": "Group slug."},
                       "group_name": {"type": "string"},
                       "organisation": {"type": ["string", "null"],
                                        "description": "Shown only once an administrator verified it (a badge)."}},
    },
    "Comment": {
        "type": "object",
        "description": "A comment as everyone sees it. Texts are returned verbatim (HTML is not interpreted); "
                       "a hidden comment shows no texts (null); a redacted one shows \"[Redacted by the "
                       "district]\" instead of each text it had.",
        "required": ["id", "clause_id", "version", "parent_id", "author", "kind", "body", "quote",
                     "suggested_text", "status", "created_at", "seq", "resolution"],
        "properties": {
            "id": {"type": "integer"},
            "document_id": {"type": "integer"},
            "clause_id": {"type": ["integer", "null"],
                          "description": "Null for a comment on a missing provision (see coverage_item_id)."},
            "coverage_item_id": {"type": ["string", "null"],
                                 "description": "The checklist item a comment on a missing provision is about "
                                                "(GET /documents/{document_id}/coverage)."},
            "version": {"type": "integer", "description": "The document version commented on."},
            "parent_id": {"type": ["integer", "null"], "description": "The thread's first comment, for a reply."},
            "author": ref("Author"),
            "kind": {"type": "string", "enum": list(KINDS)},
            "language": {"type": "string", "enum": list(LANGUAGES),
                         "description": "Added in 1.1. The language its texts are written in (chosen, else told "
                                        "from the text)."},
            "body": {"type": ["string", "null"], "maxLength": BODY_MAX},
            "quote": {"type": ["string", "null"], "maxLength": QUOTE_MAX},
            "suggested_text": {"type": ["string", "null"], "maxLength": SUGGESTED_TEXT_MAX},
            "status": {"type": "string", "enum": list(STATUSES)},
            "is_hidden": {"type": "boolean"},
            "is_redacted": {"type": "boolean", "description": "Its texts were removed for good (personal data)."},
            "created_at": DATE_TIME,
            "edited_at": nullable(DATE_TIME),
            "reopened_at": {**nullable(DATE_TIME),
                            "description": "When its author last said the district's answer does not address it."},
            "seq": {"type": ["integer", "null"], "description": "seq of the comment.created event."},
            "resolution": {**nullable(ref("CurrentResolution")),
                           "description": "The district's current answer, if any."},
            "written_on_version": {"type": "integer", "minimum": 1},
            "shown_on_version": {"type": "integer", "minimum": 1,
                                 "description": "The newest version the comment was carried onto."},
            "carried_forward": {"type": "boolean",
                                "description": "Still open when a later version was published, and carried onto it."},
            "clause_removed": {"type": "boolean", "description": "The newest version no longer has its clause."},
            "clause_changed": {"type": "boolean", "description": "Its clause's text changed since it was written."},
            "anchor": {**nullable(ref("Anchor")), "description": "Where its quote stands now (null: no quote)."},
            "cosigners": {"$ref": "#/components/schemas/Cosigners"},
            "entered_by": {"type": ["object", "null"], "required": ["id", "name"],
                           "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"]}},
                           "description": "Added in 1.2: the staff member who entered the comment for its author "
                                          "(from a letter, call, meeting or e-mail); null when the author wrote it."},
            "source": {"type": ["string", "null"], "enum": [*SOURCES, None],
                       "description": "Added in 1.2: how a comment staff entered reached the district."},
            "author_review": {**nullable({
                "type": "object", "required": ["version", "resolves", "at"],
                "properties": {"version": {"type": "integer"}, "resolves": {"type": "boolean"}, "at": DATE_TIME}}),
                "description": "The author's answer (POST /comments/{comment_id}/review) to whether the newer "
                               "text resolves it."},
        },
    },
    "Anchor": {
        "type": "object",
        "description": "A quote's place in a version's clause text: exact, moved (same words elsewhere), fuzzy "
                       "(similar words), or lost (the passage is gone). start/end are character offsets.",
        "required": ["status", "start", "end", "version"],
        "properties": {
            "status": {"type": "string", "enum": ["exact", "moved", "fuzzy", "lost"]},
            "start": {"type": ["integer", "null"], "minimum": 0},
            "end": {"type": ["integer", "null"], "minimum": 0},
            "version": {"type": "integer", "minimum": 1},
        },
    },
    "CommentCreate": {
        "type": "object",
        "required": ["body"],
        "properties": {
            "body": {"type": "string", "minLength": 1, "maxLength": BODY_MAX,
                     "description": f"Not blank; at most {BODY_MAX:,} characters after trimming (longer: 413)."},
            "kind": {"type": "string", "enum": list(KINDS),
                     "description": "Required on a new comment. `reply` (added in 1.2) is a neutral kind for a "
                                    "reply in a thread and the default when a reply names no kind; replies of "
                                    "kind reply, and the district's own comments, do not enter the district's "
                                    "work queue. `reply` without parent_id is 400 invalid_kind."},
            "parent_id": {"type": ["integer", "null"],
                          "description": "Reply to this comment; the reply joins its thread's clause."},
            "quote": {"type": ["string", "null"], "maxLength": QUOTE_MAX,
                      "description": "An exact passage of the clause's current text (else 400 quote_not_found)."},
            "suggested_text": {"type": ["string", "null"], "maxLength": SUGGESTED_TEXT_MAX,
                               "description": "Proposed new wording for the clause."},
            "language": {"type": "string", "enum": list(LANGUAGES),
                         "description": "Added in 1.1. The language the comment is written in; default: told "
                                        "from the text by its common words (no network service)."},
            "on_behalf_of": {"$ref": "#/components/schemas/OnBehalfOf"},
            "source": {"type": "string", "enum": list(SOURCES),
                       "description": "Added in 1.2, with on_behalf_of (admins and facilitators): the comment "
                                      "came by letter, phone, meeting or email. No replies or Idempotency-Key then."},
        },
    },
    "Cosigners": {
        "type": "object", "required": ["count", "by_group"],
        "description": "Added in 1.2: how many people added their name to a comment, in all and by group (slug).",
        "properties": {"count": {"type": "integer", "minimum": 0},
                       "by_group": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}},
    },
    "OnBehalfOf": {
        "type": "object",
        "description": "Added in 1.2: whose comment staff enter. `user_id` picks an existing person; else `name` "
                       "and `group` (slug) name them, and `email` finds their account if they have one (an "
                       "address with no account is not kept). A new person gets an account that cannot sign in.",
        "properties": {"user_id": {"type": "integer"}, "name": {"type": "string", "maxLength": 120},
                       "group": {"type": "string"}, "email": {"type": ["string", "null"], "maxLength": 254}},
    },
    "SimilarComment": {
        "type": "object", "required": ["comment", "score", "cosigned", "may_cosign"],
        "properties": {"comment": {"$ref": "#/components/schemas/Comment"},
                       "score": {"type": "number", "minimum": 0, "maximum": 100},
                       "cosigned": {"type": "boolean", "description": "The reader's name is on it already."},
                       "may_cosign": {"type": "boolean"}},
    },
    "Scan": {
        "type": "object", "required": ["filename", "content_type", "size"],
        "properties": {"filename": {"type": "string"}, "content_type": {"enum": ["application/pdf", "image/png",
                                                                                 "image/jpeg"]},
                       "size": {"type": "integer", "minimum": 1, "maximum": SCAN_MAX_BYTES}},
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
                       "data}); data carries digests of free texts, never the texts. The key says which digest: "
                       "`*_sha256` is a plain SHA-256 of the text (texts never redacted, and events written before "
                       "salted digests); `*_hmac` is HMAC-SHA256 keyed by a random per-text salt kept beside the "
                       "text and deleted with it at redaction (comment bodies, quotes, suggested texts, flag and "
                       "reopening reasons, rationales), so a redacted text cannot be confirmed by guessing.",
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

PERSON = {"type": "object", "required": ["id", "name", "group"],
          "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"], "description": "Null when the person shows only their group."},
                         "group": {"type": "string", "description": "Group slug."}}}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
STANDINGS = [*DISPOSITIONS, "awaiting_answer", "no_answer_needed", "reopened", "hidden"]

# --- resolutions, concern tracking, moderation and the audit trail ----------------------
SCHEMAS |= {
    "Resolution": {
        "type": "object",
        "description": "The district's recorded answer to a comment. A later one supersedes it; both stay "
                       "in the history.",
        "required": ["id", "comment_id", "disposition", "rationale", "rationale_redacted", "version", "batch_id",
                     "recorded_at", "recorded_by", "seq", "contested"],
        "properties": {
            "id": {"type": "integer"},
            "comment_id": {"type": "integer"},
            "disposition": {"type": "string", "enum": list(DISPOSITIONS)},
            "rationale": {"type": "string", "maxLength": RATIONALE_MAX,
                          "description": "\"[Redacted by the district]\" once redacted."},
            "rationale_redacted": {"type": "boolean"},
            "rationale_es": {"type": ["string", "null"], "maxLength": RATIONALE_MAX,
                             "description": "Added in 1.1. The same answer in Spanish, when the district wrote "
                                            "one; null once redacted."},
            "version": {"type": ["integer", "null"], "description": "The version that carries the change."},
            "version_pending": {"type": "boolean",
                                "description": "Added in 1.2. True while the answer promises a change in the next "
                                               "version, not published yet (`version` is then null). Publishing a "
                                               "version that changes or removes the comment's clause fills "
                                               "`version` and sets this false (event `version.published` lists "
                                               "them in `linked_resolutions`); a version that leaves the clause "
                                               "alone does not."},
            "batch_id": {"type": ["string", "null"],
                         "description": "Shared by the resolutions given as one answer to several comments."},
            "recorded_at": DATE_TIME,
            "recorded_by": PERSON,
            "seq": {"type": ["integer", "null"], "description": "seq of the resolution.recorded event."},
            "contested": {"type": "boolean",
                          "description": "The comment's author reopened the comment after this answer."},
        },
    },
    "CurrentResolution": {
        "description": "A comment's latest resolution, with the size of its history.",
        "allOf": [ref("Resolution")],
        "required": ["history_count"],
        "properties": {"history_count": {"type": "integer", "minimum": 1}},
    },
    "Campaign": {
        "type": "object",
        "description": "Added in 1.3. Comments of a document that copy one text (exact copies after normalising case, "
                       "space and punctuation, or near copies found with MinHash LSH), shown as one representative. "
                       "Hidden members and members of an unrevealed silent round are not counted.",
        "required": ["id", "document_id", "state", "representative_id", "count", "unique_count", "by_group"],
        "properties": {
            "id": {"type": "integer"}, "document_id": {"type": "integer"},
            "state": {"type": "string", "enum": ["proposed", "confirmed"],
                      "description": "proposed by the grouping job; confirmed by the district."},
            "representative_id": {"type": "integer", "description": "The comment that stands for the campaign."},
            "count": {"type": "integer", "minimum": 0, "description": "Members, the representative included."},
            "unique_count": {"type": "integer", "minimum": 0,
                             "description": "Members that added words of their own (answerable on their own too)."},
            "by_group": {"type": "object", "additionalProperties": {"type": "integer"},
                         "description": "Members by group slug."},
            "representative": ref("Comment"),
        },
    },
    "CampaignMember": {
        "description": "A member: the comment as GET shows it, with what it adds beyond the representative.",
        "allOf": [ref("Comment"), {
            "type": "object", "required": ["personal_text", "is_unique", "is_representative"],
            "properties": {"personal_text": {"type": ["string", "null"],
                                             "description": "Its own sentences (null when none, hidden or redacted)."},
                           "is_unique": {"type": "boolean"}, "is_representative": {"type": "boolean"}}}],
    },
    "CampaignSplit": {
        "type": "object", "required": ["comment_ids"],
        "properties": {"comment_ids": {"type": "array", "minItems": 1, "items": {"type": "integer"},
                                       "description": "Members to take out; they stay on their own from then on."}},
    },
    "ResolutionCreate": {
        "type": "object",
        "required": ["disposition", "rationale"],
        "properties": {
            "disposition": {"type": "string", "enum": list(DISPOSITIONS)},
            "rationale": {"type": "string", "minLength": 1, "maxLength": RATIONALE_MAX,
                          "description": "Why; required prose (longer: 413 rationale_too_long)."},
            "rationale_es": {"type": ["string", "null"], "maxLength": RATIONALE_MAX,
                             "description": "Added in 1.1. The same answer in Spanish (optional)."},
            "version": {"oneOf": [{"type": ["integer", "null"], "minimum": 1}, {"type": "string", "enum": ["next"]}],
                        "description": "A version of the document that carries the change (else 400 "
                                       "invalid_version), or \"next\" (added in 1.2): changed in the version not "
                                       "published yet, for dispositions accepted and accepted_with_changes only; "
                                       "linked when a version that changes the comment's clause is published."},
        },
    },
    "ResolutionBatchCreate": {
        "type": "object",
        "required": ["comment_ids", "disposition", "rationale"],
        "properties": {
            "comment_ids": {"type": "array", "minItems": 1, "maxItems": BATCH_MAX, "items": {"type": "integer"},
                            "description": "Comments of this document that raise the same point "
                                           "(duplicates count once)."},
            "disposition": {"type": "string", "enum": list(DISPOSITIONS)},
            "rationale": {"type": "string", "minLength": 1, "maxLength": RATIONALE_MAX},
            "rationale_es": {"type": ["string", "null"], "maxLength": RATIONALE_MAX},
            "version": {"oneOf": [{"type": ["integer", "null"], "minimum": 1}, {"type": "string", "enum": ["next"]}],
                        "description": "A version of the document that carries the change (else 400 "
                                       "invalid_version), or \"next\" (added in 1.2): changed in the version not "
                                       "published yet, for dispositions accepted and accepted_with_changes only; "
                                       "linked when a version that changes the comment's clause is published."},
        },
    },
    "Reopen": {
        "type": "object",
        "description": "Send `{}` when giving no reason.",
        "properties": {"reason": {"type": ["string", "null"], "maxLength": REOPEN_REASON_MAX,
                                  "description": "Why the answer does not address the concern."}},
    },
    "Reason": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": REASON_MAX,
                                  "description": "Shown to moderators (kept in the log as a digest only). "
                                                 "A redaction's reason must not repeat the data removed."}},
    },
    "Flag": {
        "type": "object",
        "description": "A request to the moderators to look at a comment.",
        "required": ["id", "comment_id", "reason", "flagged_by", "created_at", "handled_at", "outcome"],
        "properties": {
            "id": {"type": "integer"},
            "comment_id": {"type": "integer"},
            "reason": {"type": "string", "maxLength": REASON_MAX},
            "flagged_by": PERSON,
            "created_at": DATE_TIME,
            "handled_at": nullable(DATE_TIME),
            "outcome": {"type": ["string", "null"], "enum": [*FLAG_OUTCOMES, None]},
        },
    },
    "ModerationItem": {
        "type": "object",
        "required": ["comment", "text", "flags"],
        "properties": {
            "comment": ref("Comment"),
            "text": {"type": ["string", "null"],
                     "description": "The comment's body as written (moderators only; null once redacted)."},
            "flags": {"type": "array", "items": ref("Flag"), "description": "Its open flags."},
        },
    },
    "DispositionCounts": {
        **COUNTS,
        "description": "How many comments stand how: a disposition name (accepted, declined, ...), "
                       "awaiting_answer, no_answer_needed (open replies of kind reply and the district's "
                       "own comments, which do not enter its queue), reopened or hidden. Absent keys are 0.",
        "propertyNames": {"enum": STANDINGS},
    },
    "TimelineEntry": {
        "type": "object",
        "description": "One logged event about a comment, with the text the viewer may see.",
        "required": ["seq", "at", "action", "hash", "actor"],
        "properties": {
            "seq": {"type": "integer", "minimum": 1},
            "at": DATE_TIME,
            "action": {"type": "string", "examples": ["resolution.recorded"]},
            "hash": SHA256,
            "actor": nullable({"type": "object", "required": ["id", "name", "group"],
                               "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"], "description": "Null when the person shows only their group."},
                                              "group": {"type": "string"}, "group_name": {"type": "string"}}}),
            "disposition": {"type": "string", "enum": list(DISPOSITIONS)},
            "version": {"type": ["integer", "null"]},
            "version_pending": {"type": "boolean", "description": "The answer still awaits its next version."},
            "text": {"type": ["string", "null"],
                     "description": "The rationale, reopening reason, flag reason (moderators), or hide, unhide, "
                                    "dismiss reason (moderators and the author) or redaction reason."},
        },
    },
    "Timeline": {
        "type": "object",
        "required": ["comment", "timeline", "revisions", "hidden_text", "resolutions"],
        "properties": {
            "comment": ref("Comment"),
            "timeline": {"type": "array", "items": ref("TimelineEntry"), "description": "In seq order."},
            "revisions": {"type": "array", "description": "Earlier texts of the body (none once redacted).",
                          "items": {"type": "object", "required": ["body", "written_at", "replaced_at"],
                                    "properties": {"body": {"type": "string"}, "written_at": DATE_TIME,
                                                   "replaced_at": DATE_TIME}}},
            "hidden_text": {**nullable({
                "type": "object", "required": ["body", "quote", "suggested_text"],
                "properties": {"body": {"type": "string"}, "quote": {"type": ["string", "null"]},
                               "suggested_text": {"type": ["string", "null"]}}}),
                "description": "A hidden comment's texts, for its author and moderators only."},
            "resolutions": {"type": "array", "items": ref("Resolution"), "description": "Oldest first."},
        },
    },
    "OverviewCell": {
        "type": "object",
        "description": "Comments of one group on one clause (hidden ones not counted). level 0-4 shades the cell.",
        "required": [*KINDS, "total", "resolved", "level"],
        "properties": {**{kind: {"type": "integer", "minimum": 0} for kind in KINDS},
                       "total": {"type": "integer", "minimum": 0}, "resolved": {"type": "integer", "minimum": 0},
                       "level": {"type": "integer", "minimum": 0, "maximum": 4}},
    },
    "Overview": {
        "type": "object",
        "description": "Clause x group: what was raised and how much is resolved. Removed clauses come last.",
        "required": ["document_id", "groups", "kinds", "clauses", "peak"],
        "properties": {
            "document_id": {"type": "integer"},
            "groups": {"type": "array", "items": ref("Group")},
            "kinds": {"type": "array", "items": {"type": "string", "enum": list(KINDS)}},
            "clauses": {"type": "array", "items": {
                "type": "object", "required": ["clause_id", "number", "heading", "removed", "groups", "total",
                                               "resolved"],
                "properties": {"clause_id": {"type": "integer"}, "number": {"type": "string"},
                               "heading": {"type": "string"}, "removed": {"type": "boolean"},
                               "groups": {"type": "object", "additionalProperties": ref("OverviewCell"),
                                          "description": "By group slug."},
                               "total": {"type": "integer", "minimum": 0},
                               "resolved": {"type": "integer", "minimum": 0}}}},
            "peak": {"type": "integer", "minimum": 0, "description": "The largest cell total."},
        },
    },
    "ReportRow": {
        "type": "object",
        "description": "One comment in the response-to-comments table (also the columns of report.csv, in this "
                       "order). A hidden comment's text is \"[Hidden by a moderator]\".",
        "required": REPORT_COLUMNS,
        "properties": {
            "clause_number": {"type": "string"}, "clause_heading": {"type": "string"},
            "comment_id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
            "answered_with": {"type": "array", "items": {"type": "integer"},
                              "description": "Other comments that received the same answer."},
            "author": {"type": ["string", "null"], "description": "Null when the author shows only their group."},
            "group": {"type": "string", "description": "The group's slug here; report.csv's group column "
                                                       "holds the group's name."},
            "group_name": {"type": "string", "description": "The group's name, as people read it."},
            "kind": {"type": "string", "enum": list(KINDS)}, "status": {"type": "string", "enum": list(STATUSES)},
            "comment": {"type": ["string", "null"]}, "created_at": DATE_TIME,
            "disposition": {"type": ["string", "null"], "enum": [*DISPOSITIONS, None]},
            "rationale": {"type": ["string", "null"]}, "version": {"type": ["integer", "null"]},
            "version_pending": {"type": "boolean",
                                "description": "Changed in the next version, not published yet; report.csv's "
                                               "version column then reads \"next version\"."},
            "resolved_at": nullable(DATE_TIME), "contested": {"type": "boolean"},
            "coverage_item": {"type": ["string", "null"],
                              "description": "For a comment on a missing provision: the checklist item's id "
                                             "(clause_number is then empty)."},
            "source": {"type": ["string", "null"], "enum": [*SOURCES, None],
                       "description": "Added in 1.2: how a comment staff entered for its author reached the "
                                      "district (letter, phone, meeting, email); null for comments people wrote."},
            "cosigners": {"type": "integer", "minimum": 0, "description": "Added in 1.2: how many people added "
                                                                          "their name to the comment."},
            "comment_language": {"type": "string", "enum": list(LANGUAGES), "description": "Added in 1.1."},
            "clause_heading_language": {"type": "string", "enum": list(LANGUAGES),
                                        "description": "Added in 1.1: en when ?lang=es found no Spanish heading."},
            "rationale_language": {"type": ["string", "null"], "enum": [*LANGUAGES, None],
                                   "description": "Added in 1.1: en when ?lang=es found no Spanish rationale."},
        },
    },
    "Report": {
        "type": "object",
        "description": "The response-to-comments report: every comment with the district's current answer.",
        "required": ["document", "generated_at", "columns", "rows", "clauses", "summary"],
        "properties": {
            "document": {"type": "object", "required": ["id", "title", "version"],
                         "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                        "version": {"type": "integer"}}},
            "language": {"type": "string", "enum": list(LANGUAGES), "description": "Added in 1.1: ?lang=."},
            "generated_at": DATE_TIME,
            "columns": {"type": "array", "items": {"type": "string", "enum": REPORT_COLUMNS}},
            "rows": {"type": "array", "items": ref("ReportRow")},
            "clauses": {"type": "array", "description": "The same rows clause by clause, grouped by answer.", "items": {
                "type": "object", "required": ["clause", "answers"],
                "properties": {
                    "clause": {"type": "object", "required": ["id", "number", "heading", "removed"],
                               "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                                              "heading": {"type": "string"}, "removed": {"type": "boolean"},
                                              "heading_language": {"type": "string", "enum": list(LANGUAGES),
                                                                   "description": "With ?lang=es: es when the "
                                                                   "heading is the district's Spanish."}}},
                    "answers": {"type": "array", "items": {
                        "type": "object", "required": ["resolution", "comments"],
                        "properties": {"resolution": nullable(ref("CurrentResolution")),
                                       "comments": {"type": "array", "items": ref("ReportRow")}}}}}}},
            "missing_provisions": {
                "type": "array", "description": "Comments on checklist items no clause covers (\"Missing "
                                                "provisions\"), item by item, grouped by answer.",
                "items": {"type": "object", "required": ["item", "answers"],
                          "properties": {"item": ref("ChecklistItem"),
                                         "answers": {"type": "array", "items": {
                                             "type": "object", "required": ["resolution", "comments"],
                                             "properties": {"resolution": nullable(ref("CurrentResolution")),
                                                            "comments": {"type": "array",
                                                                         "items": ref("ReportRow")}}}}}}},
            "summary": {**COUNTS, "required": ["comments"],
                        "propertyNames": {"enum": ["comments", *STANDINGS]},
                        "description": "comments: how many rows; then how many stand how, as in DispositionCounts."},
        },
    },
    "ChecklistItem": {
        "type": "object",
        "description": "A SECURe rubric item (kind secure, ids S1.1 to S5.2) or a model-agreement provision "
                       "(kind provision, ids P.*), as shipped in collab/domain/checklist.json.",
        "required": ["id", "kind", "text", "why"],
        "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": list(CHECKLIST_KINDS)},
                       "text": {"type": "string"}, "why": {"type": "string"}},
    },
    "CoverageTags": {
        "type": "object",
        "required": ["items"],
        "description": "The items the clause addresses in the current version; any item left out (or with "
                       "strength not) has no tag. Unknown item ids are 400 unknown_item, other strengths "
                       "400 invalid_strength.",
        "properties": {"items": {"type": "array", "maxItems": 100, "items": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"},
                           "strength": {"type": "string", "enum": list(TAG_STRENGTHS), "default": "addresses"}}}}},
    },
    "ClauseCoverage": {
        "type": "object",
        "required": ["clause_id", "document_id", "version", "number", "heading", "body", "items", "suggestions"],
        "properties": {
            "clause_id": {"type": "integer"}, "document_id": {"type": "integer"}, "version": {"type": "integer"},
            "number": {"type": "string"}, "heading": {"type": "string"}, "body": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "required": ["id", "strength"], "properties": {
                "id": {"type": "string"}, "strength": {"type": "string", "enum": list(CHECKLIST_STRENGTHS)}}}},
            "suggestions": {"type": "array", "description": "Items the text seems to address (keywords in it) and "
                                                            "not tagged: hints to confirm, never stored.",
                            "items": {"allOf": [ref("ChecklistItem"), {
                                "type": "object", "required": ["matched"],
                                "properties": {"matched": {"type": "array", "items": {"type": "string"}}}}]}},
        },
    },
    "Coverage": {
        "type": "object",
        "required": ["document_id", "version", "current_version", "counts", "items"],
        "properties": {
            "document_id": {"type": "integer"}, "title": {"type": "string"}, "version": {"type": "integer"},
            "current_version": {"type": "integer"},
            "counts": {**COUNTS, "propertyNames": {"enum": list(COVERAGE_STANDINGS)}},
            "items": {"type": "array", "items": {"allOf": [ref("ChecklistItem"), {
                "type": "object", "required": ["standing", "clauses", "open_comments", "item_comments"],
                "properties": {
                    "standing": {"type": "string", "enum": list(COVERAGE_STANDINGS),
                                 "description": "gap: no clause addresses it in this version."},
                    "clauses": {"type": "array", "items": {
                        "type": "object", "required": ["clause_id", "strength"],
                        "properties": {"clause_id": {"type": "integer"}, "number": {"type": "string"},
                                       "heading": {"type": "string"},
                                       "strength": {"type": "string", "enum": list(CHECKLIST_STRENGTHS)}}}},
                    "open_comments": {"type": "array", "items": ref("Comment"),
                                      "description": "Open comments on those clauses and on the item itself."},
                    "item_comments": {"type": "array", "items": ref("Comment"),
                                      "description": "Every comment on the item itself (a missing provision)."},
                }}]}},
        },
    },
    "CoverageChange": {
        "allOf": [ref("ChecklistItem"), {
            "type": "object", "required": ["before", "after", "change"],
            "properties": {"before": {"type": "string", "enum": list(COVERAGE_STANDINGS)},
                           "after": {"type": "string", "enum": list(COVERAGE_STANDINGS)},
                           "change": {"type": "string", "enum": ["covered", "dropped", "stronger", "weaker"]}}}],
    },
    "ItemCommentCreate": {
        "type": "object",
        "required": ["body", "kind"],
        "properties": {
            "body": {"type": "string", "minLength": 1, "maxLength": BODY_MAX},
            "kind": {"type": "string", "enum": list(KINDS)},
            "parent_id": {"type": ["integer", "null"], "description": "Reply in a thread about the same item."},
            "suggested_text": {"type": ["string", "null"], "maxLength": SUGGESTED_TEXT_MAX,
                               "description": "Wording proposed for the missing provision."},
        },
    },
    "ModelDraftCreate": {
        "type": "object",
        "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 300,
                                 "description": "Default: the model's title."}},
    },
    "VerifyResult": {
        "type": "object",
        "required": ["ok", "count", "head", "head_seq", "bad_seq", "problem"],
        "properties": {
            "ok": {"type": "boolean", "description": "False when any stored event was altered, removed or "
                                                     "reordered, or a published checkpoint is not on the chain."},
            "count": {"type": "integer", "minimum": 0, "description": "Events checked."},
            "head": SHA256,
            "head_seq": {"type": "integer", "minimum": 0},
            "bad_seq": {"type": ["integer", "null"], "description": "The first bad seq, when known."},
            "problem": {"type": ["string", "null"]},
        },
    },
}

# --- versions, diffs, import and export --------------------------------------------------
SCHEMAS |= {
    "Version": {
        "type": "object",
        "required": ["number", "note", "published_at", "published_by"],
        "properties": {"number": {"type": "integer", "minimum": 1}, "note": {"type": "string"},
                       "published_at": DATE_TIME,
                       "published_by": {"type": ["integer", "null"], "description": "The admin's user id."}},
    },
    "ClauseRevision": {
        "type": "object",
        "required": ["number", "body"],
        "properties": {
            "id": {"type": ["integer", "null"], "description": "The clause this revises (keeps its id); "
                                                              "none for a new clause."},
            "number": {"type": ["string", "integer"], "description": "Unique in the document; at most 20 characters."},
            "heading": {"type": "string", "maxLength": 300},
            "body": {"type": "string", "minLength": 1, "maxLength": CLAUSE_BODY_MAX},
        },
    },
    "VersionPublish": {
        "type": "object",
        "required": ["clauses"],
        "properties": {
            "clauses": {"type": "array", "minItems": 1, "maxItems": MAX_CLAUSES, "items": ref("ClauseRevision"),
                        "description": "The whole new text in order; a current clause left out is removed."},
            "note": {"type": ["string", "null"], "maxLength": NOTE_MAX, "description": "What changed and why."},
            "base_version": {"type": ["integer", "null"], "minimum": 1,
                             "description": "The version the edit started from; if another was published "
                                            "meanwhile: 409 stale_version."},
            "taken_comment_ids": {"type": "array", "items": {"type": "integer"},
                                  "description": "Comments whose suggested wording this version takes."},
        },
    },
    "TakeSuggestion": {
        "type": "object",
        "properties": {
            "note": {"type": ["string", "null"], "maxLength": NOTE_MAX,
                     "description": "Default: names the clause, the comment and its author."},
            "base_version": {"type": ["integer", "null"], "minimum": 1,
                             "description": "Default: the current version."},
        },
    },
    "Review": {
        "type": "object",
        "required": ["resolves"],
        "properties": {"resolves": {"type": "boolean", "description": "Does the newer text resolve the comment?"}},
    },
    "ClauseText": {
        "type": "object",
        "required": ["number", "heading", "body", "position"],
        "properties": {"number": {"type": "string"}, "heading": {"type": "string"}, "body": {"type": "string"},
                       "position": {"type": "integer", "minimum": 0}},
    },
    "WordSegment": {
        "type": "object",
        "description": "A run of text: equal in both, deleted from `before`, or inserted in `after`.",
        "required": ["op", "text"],
        "properties": {"op": {"type": "string", "enum": ["equal", "delete", "insert"]}, "text": {"type": "string"}},
    },
    "DiffChange": {
        "type": "object",
        "required": ["clause_id", "change", "before", "after", "fields", "moved", "changed_in",
                     "answered_comment_ids"],
        "properties": {
            "clause_id": {"type": "integer"},
            "change": {"type": "string", "enum": ["added", "removed", "changed", "unchanged"]},
            "before": nullable(ref("ClauseText")),
            "after": nullable(ref("ClauseText")),
            "fields": {"type": "array", "items": {"type": "string", "enum": ["number", "heading", "body"]}},
            "moved": {"type": "boolean", "description": "Its place among the other clauses changed."},
            "changed_in": {"type": "array", "items": {"type": "integer"},
                           "description": "The versions in between that changed this clause."},
            "answered_comment_ids": {"type": "array", "items": {"type": "integer"},
                                     "description": "Comments whose wording those versions took."},
            "words": {"type": "array", "items": ref("WordSegment"), "description": "For changed clauses: the body."},
            "heading_words": {"type": "array", "items": ref("WordSegment"),
                              "description": "When the heading changed."},
        },
    },
    "Diff": {
        "type": "object",
        "required": ["document_id", "from", "to", "changes"],
        "properties": {
            "document_id": {"type": "integer"},
            "from": {"type": "integer", "minimum": 1},
            "to": {"type": "integer", "minimum": 1},
            "changes": {"type": "array", "items": ref("DiffChange"),
                        "description": "In the later version's order; removed clauses where they stood."},
            "coverage": {"type": "array", "items": ref("CoverageChange"),
                         "description": "Checklist items whose standing differs between the two versions: newly "
                                        "covered, dropped, stronger or weaker."},
        },
    },
    "DraftText": {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX,
                     "description": "Plain text or Markdown; each clause starts at a numbered heading "
                                    "(\"1. Purpose\", \"## 2. Scope\", \"Section 3: Arrests\")."},
            "document_id": {"type": ["integer", "null"],
                            "description": "Match the clauses to this document's current ones, for its next version."},
        },
    },
    "DraftUpload": {
        "type": "object",
        "description": "Either `file` (a Word .docx) or `text`.",
        "properties": {
            "file": {"type": "string", "contentMediaType": EXPORT_FORMATS["docx"],
                     "description": f"A .docx file; at most {DOCX_UNPACKED_MAX // 1048576} MB unpacked."},
            "text": {"type": "string", "maxLength": TEXT_MAX},
            "document_id": {"type": "integer"},
        },
    },
    "ImportedClause": {
        "type": "object",
        "required": ["number", "heading", "body"],
        "properties": {
            "id": {"type": ["integer", "null"], "description": "With document_id: the current clause it revises "
                                                              "(same heading, else same number); null: new."},
            "number": {"type": "string", "maxLength": NUMBER_MAX},
            "heading": {"type": "string", "maxLength": HEADING_MAX},
            "body": {"type": "string"},
        },
    },
    "ImportPreview": {
        "type": "object",
        "description": "The clauses read from a draft, for review; nothing is stored. Publish them with "
                       "POST /documents (a new document) or POST /documents/{document_id}/versions.",
        "required": ["title", "clauses", "warnings"],
        "properties": {
            "title": {"type": ["string", "null"]},
            "clauses": {"type": "array", "items": ref("ImportedClause")},
            "warnings": {"type": "array", "items": {"type": "string"},
                         "description": "What the reader guessed (e.g. a heading without a number)."},
            "document_id": {"type": "integer"},
            "base_version": {"type": "integer", "description": "Pass it on when publishing."},
            "removed": {"type": "array", "description": "Current clauses the draft no longer has.",
                        "items": {"type": "object", "required": ["id", "number", "heading", "body"],
                                  "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                                                 "heading": {"type": "string"}, "body": {"type": "string"}}}},
        },
    },
}

# --- meetings ------------------------------------------------------------------------------
ATTENDEE = {"user_id": {"type": ["integer", "null"]}, "name": {"type": ["string", "null"], "description": "Null when the person shows only their group."},
            "group": {"type": "string"}, "group_name": {"type": "string"}}
SCHEMAS |= {
    "AgendaItemInput": {
        "type": "object",
        "required": ["clause_id", "minutes"],
        "properties": {"clause_id": {"type": "integer", "description": "A clause of the current version, once."},
                       "minutes": {"type": "integer", "minimum": 1, "maximum": ITEM_MINUTES_MAX}},
    },
    "MeetingCreate": {
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": TITLE_MAX},
            "agenda": {"type": ["array", "null"], "maxItems": AGENDA_MAX_ITEMS, "items": ref("AgendaItemInput"),
                       "description": "Clauses in the order they will be discussed."},
            "starts_at": {**nullable(DATE_TIME), "description": "When it is planned to start (optional; in the "
                                                                "future). Followers are reminded an hour before."},
        },
    },
    "Focus": {
        "type": "object",
        "required": ["clause_id"],
        "properties": {"clause_id": {"type": "integer", "description": "A clause of the meeting's document."}},
    },
    "SilentRoundCreate": {
        "type": "object",
        "properties": {"clause_id": {"type": ["integer", "null"],
                                     "description": "Default: the focused clause (none focused: 400)."}},
    },
    "AttendanceCreate": {
        "type": "object",
        "required": ["name", "group"],
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
                       "group": {"type": "string", "description": "A group's slug (else 400 invalid_group)."}},
    },
    "AgendaItem": {
        "type": "object",
        "required": ["id", "position", "clause_id", "minutes", "seconds_spent"],
        "properties": {"id": {"type": "integer"}, "position": {"type": "integer", "minimum": 0},
                       "clause_id": {"type": "integer"},
                       "minutes": {"type": "integer", "minimum": 1, "maximum": ITEM_MINUTES_MAX},
                       "seconds_spent": {"type": "number", "minimum": 0,
                                         "description": "Time the clause was in focus so far."}},
    },
    "SpeakerRequest": {
        "type": "object",
        "required": ["user_id", "name", "group", "request_id", "status", "raised_at", "called_at", "finished_at"],
        "properties": {**ATTENDEE, "user_id": {"type": "integer"}, "request_id": {"type": "integer"},
                       "status": {"type": "string", "enum": list(HAND_STATUSES)},
                       "raised_at": DATE_TIME, "called_at": nullable(DATE_TIME),
                       "finished_at": nullable(DATE_TIME)},
    },
    "SilentRound": {
        "type": "object",
        "description": "Comments written during a round stay unseen by others until it is revealed.",
        "required": ["id", "clause_id", "started_at", "revealed_at", "comment_count"],
        "properties": {"id": {"type": "integer"}, "clause_id": {"type": "integer"}, "started_at": DATE_TIME,
                       "revealed_at": nullable(DATE_TIME), "comment_count": {"type": "integer", "minimum": 0}},
    },
    "Attendance": {
        "type": "object",
        "description": "One interval of presence: through the live channel (source live) or noted by a "
                       "facilitator for someone without a device (source hand).",
        "required": ["id", "user_id", "name", "group", "group_name", "source", "joined_at", "left_at",
                     "is_present", "is_reconnecting"],
        "properties": {
            "id": {"type": "integer"}, **ATTENDEE,
            "source": {"type": "string", "enum": list(ATTENDANCE_SOURCES)},
            "joined_at": DATE_TIME, "left_at": nullable(DATE_TIME),
            "is_present": {"type": "boolean"},
            "is_reconnecting": {"type": "boolean", "description": "Dropped, within the grace time to come back."},
        },
    },
    "Meeting": {
        "type": "object",
        "description": "A facilitated meeting as GET shows it; the same object rides on every meeting event.",
        "required": ["id", "document_id", "title", "status", "created_by", "created_at", "started_at", "ended_at",
                     "as_of", "agenda", "focus", "focus_history", "speaker", "queue", "silent_round",
                     "silent_rounds", "attendance", "present_count", "end_checkpoint_seq"],
        "properties": {
            "id": {"type": "integer"},
            "document_id": {"type": "integer"},
            "title": {"type": "string", "maxLength": TITLE_MAX},
            "status": {"type": "string", "enum": list(MEETING_STATUSES)},
            "created_by": nullable({"type": "object", "required": ["user_id", "name", "group"],
                                    "properties": ATTENDEE}),
            "created_at": DATE_TIME,
            "started_at": nullable(DATE_TIME),
            "ended_at": nullable(DATE_TIME),
            "as_of": {**DATE_TIME, "description": "When this view was taken (times spent count up to it)."},
            "agenda": {"type": "array", "items": ref("AgendaItem")},
            "focus": nullable({"type": "object", "required": ["clause_id", "since"],
                               "properties": {"clause_id": {"type": "integer"}, "since": DATE_TIME}}),
            "focus_history": {"type": "array", "items": {
                "type": "object", "required": ["clause_id", "focused_at", "ended_at"],
                "properties": {"clause_id": {"type": "integer"}, "focused_at": DATE_TIME,
                               "ended_at": nullable(DATE_TIME)}}},
            "speaker": nullable(ref("SpeakerRequest")),
            "queue": {"type": "array", "items": ref("SpeakerRequest"), "description": "Waiting, in order."},
            "silent_round": nullable(ref("SilentRound")),
            "silent_rounds": {"type": "array", "items": ref("SilentRound")},
            "attendance": {"type": "array", "items": ref("Attendance")},
            "present_count": {"type": "integer", "minimum": 0},
            "end_checkpoint_seq": {"type": ["integer", "null"],
                                   "description": "The checkpoint published when the meeting ended."},
        },
    },
    "Minutes": {
        "type": "object",
        "description": "A meeting's minutes: final once it has ended.",
        "required": ["meeting", "document_title", "is_final", "duration_seconds", "attendance", "time_per_clause",
                     "comments", "speakers", "silent_rounds", "resolutions", "checkpoint"],
        "properties": {
            "meeting": {"type": "object", "required": ["id", "document_id", "title", "status", "started_at",
                                                       "ended_at"],
                        "properties": {"id": {"type": "integer"}, "document_id": {"type": "integer"},
                                       "title": {"type": "string"},
                                       "status": {"type": "string", "enum": list(MEETING_STATUSES)},
                                       "started_at": nullable(DATE_TIME), "ended_at": nullable(DATE_TIME)}},
            "document_title": {"type": "string"},
            "is_final": {"type": "boolean"},
            "duration_seconds": {"type": "number", "minimum": 0},
            "attendance": {"type": "object", "required": ["people", "by_group"], "properties": {
                "people": {"type": "integer", "minimum": 0},
                "by_group": {"type": "array", "items": {
                    "type": "object", "required": ["group", "group_name", "count", "people"],
                    "properties": {"group": {"type": "string"}, "group_name": {"type": "string"},
                                   "count": {"type": "integer", "minimum": 1},
                                   "people": {"type": "array", "items": {
                                       "type": "object",
                                       "required": ["user_id", "name", "group", "source", "intervals", "seconds"],
                                       "properties": {
                                           **ATTENDEE, "source": {"type": "string", "enum": list(ATTENDANCE_SOURCES)},
                                           "seconds": {"type": "number", "minimum": 0},
                                           "intervals": {"type": "array", "items": {
                                               "type": "object", "required": ["joined_at", "left_at"],
                                               "properties": {"joined_at": DATE_TIME,
                                                              "left_at": nullable(DATE_TIME)}}}}}}}}}}},
            "time_per_clause": {"type": "array", "items": {
                "type": "object", "required": ["clause_id", "number", "heading", "planned_minutes", "seconds"],
                "properties": {"clause_id": {"type": "integer"}, "number": {"type": "string"},
                               "heading": {"type": "string"}, "planned_minutes": {"type": ["integer", "null"]},
                               "seconds": {"type": "number", "minimum": 0}}}},
            "comments": {"type": "object", "required": ["count", "by_kind", "by_group", "items"], "properties": {
                "count": {"type": "integer", "minimum": 0}, "by_kind": COUNTS, "by_group": COUNTS,
                "items": {"type": "array", "items": ref("Comment"),
                          "description": "Comments made during the meeting, each with its clause's number "
                                         "and heading."}}},
            "speakers": {"type": "array", "items": {
                "type": "object", "required": ["name", "group", "called_at", "finished_at"],
                "properties": {"name": {"type": ["string", "null"], "description": "Null when the person shows only their group."}, "group": {"type": "string"}, "called_at": DATE_TIME,
                               "finished_at": nullable(DATE_TIME)}}},
            "silent_rounds": {"type": "array", "items": ref("SilentRound")},
            "resolutions": {"type": "object", "required": ["count", "events"], "properties": {
                "count": {"type": "integer", "minimum": 0},
                "events": {"type": "array", "items": ref("Event"),
                           "description": "resolution.recorded events logged while the meeting was live."}}},
            "checkpoint": nullable({"type": "object", "required": ["seq", "head_hash", "at"],
                                    "properties": {"seq": {"type": "integer"}, "head_hash": SHA256,
                                                   "at": DATE_TIME}}),
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
    409: ("Conflict", "Conflicts with the current state (e.g. email_taken, commenting_closed, period_overlap, "
                      "duplicate_comment, last_admin)."),
    413: ("TooLarge", "A field is over its limit (e.g. body_too_long), or the request is over "
                      "MAX_CONTENT_LENGTH (too_large)."),
    422: ("IdempotencyKeyReused", "The Idempotency-Key was used before with a different body "
                                  "(idempotency_key_reused)."),
    429: ("RateLimited", "Too many requests (rate_limited); wait as long as Retry-After says."),
    503: ("Busy", "Too many password checks at this moment (busy), or the database is unreachable "
                  "(unavailable): nothing was done; wait as long as Retry-After says."),
}


def _error_responses() -> dict:
    responses = {}
    for status, (name, description) in ERRORS.items():
        response = {"description": description, "content": {"application/json": {"schema": ref("Error")}}}
        if status in (429, 503):
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
# Reads of a public document need no credentials (the empty requirement); an invited one's answer 401.
READ = [{}, *SIGNED_IN]
READ_NOTE = ("Without credentials on a public document, as for a signed-in observer; on an invited document 401. "
             "Authors are shown as they chose: `name` is null for people who show only their group "
             "(administrators and facilitators see every name).")
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


def file_answer(description: str, media_types: list[str], example_name: str) -> dict:
    """A successful answer that is a file to save (an attachment), in one of `media_types`."""
    return {"description": description,
            "headers": {"Content-Disposition": {"description": f'attachment; filename="{example_name}"',
                                                "schema": {"type": "string"}}},
            "content": {media_type: {"schema": {"type": "string"}} for media_type in media_types}}


def operation(operation_id: str, summary: str, *, tags: list[str], ok: dict[int, dict], errors: tuple[int, ...] = (),
              body: str | None = None, body_required: bool = True, request_body: dict | None = None,
              parameters: list | None = None, security: list = SIGNED_IN, description: str | None = None) -> dict:
    """One operation. `ok` maps success statuses to `answer(...)`; `errors` lists the error statuses.
    `body` names a JSON request schema; `request_body` gives a whole requestBody instead
    (other content types)."""
    result: dict = {"operationId": operation_id, "summary": summary, "tags": tags}
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body:
        result["requestBody"] = {"required": body_required,
                                 "content": {"application/json": {"schema": ref(body)}}}
    if request_body:
        result["requestBody"] = request_body
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
            errors=(400, 401, 413, 429, 503),
            description="Wrong e-mail or password, or a deactivated account: 401 invalid_credentials. "
                        "Password checks run in a bounded pool (PASSWORD_CHECK_WORKERS, PASSWORD_CHECK_QUEUE): "
                        "when it is full, 503 busy with Retry-After at once. "
                        "Failed attempts are counted per (account, client address) (SIGN_IN_RATE_LIMIT) and, "
                        "more loosely, per account (SIGN_IN_ACCOUNT_RATE_LIMIT), shared with the sign-in page: "
                        "over either, 429 rate_limited with Retry-After. All attempts from one address are "
                        "also limited (SIGN_IN_ADDRESS_RATE_LIMIT).")},
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
            errors=(400, 401, 403, 404, 409, 413),
            description="Records user.updated. Deactivation revokes the account's sessions and tokens for "
                        "good (re-activation does not revive them). A change that would leave no active "
                        "administrator is 409 last_admin; deactivating oneself is 409 self_deactivation.")},
    }


def document_paths() -> dict:
    tags = ["Documents and periods"]
    document = {"document": ref("Document")}
    return {
        "/documents": {
            "get": operation(
                "listDocuments", "List documents", security=READ, tags=tags,
                ok={200: answer("Newest first, without clauses; without credentials only the public ones.",
                                {"documents": {"type": "array", "items": ref("Document")}})}, errors=(401,)),
            "post": operation(
                "createDocument", "Create a document at version 1 (admins)", tags=tags, body="DocumentCreate",
                ok={201: answer("The document with its clauses.", document)}, errors=(400, 401, 403, 413),
                description=f"At most {MAX_CLAUSES} clauses of at most {CLAUSE_BODY_MAX:,} characters each "
                            "(and the whole request within MAX_CONTENT_LENGTH). Records document.created."),
        },
        "/documents/{document_id}": {
            "get": operation(
                "getDocument", "A document at its current version", security=READ, tags=tags,
                parameters=[path_id("document_id", "document")], description=READ_NOTE,
                ok={200: answer("The document.", document)}, errors=(401, 404)),
            "patch": operation(
                "updateDocument", "Change a document's title or who reads it (admins)", tags=tags,
                body="DocumentChange", parameters=[path_id("document_id", "document")],
                ok={200: answer("The document.", document)}, errors=(400, 401, 403, 404, 413),
                description="visibility public: anyone reads it without an account; invited: signed-in people "
                            "only. Records document.updated."),
        },
        "/documents/{document_id}/versions/{number}": {"get": operation(
            "getDocumentVersion", "A document as it stood at a version", security=READ, tags=tags,
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
                        "commenting_closed). Records comment.created. The same body from the same person in "
                        "the same thread of the clause within DUPLICATE_COMMENT_WINDOW_SECONDS (default 600) "
                        "is 409 duplicate_comment; a retry with the same Idempotency-Key is not refused but "
                        "answered with the first comment. Rate-limited per person (COMMENT_RATE_LIMIT), one "
                        "budget shared with the page form and the live channel's comment.create: 429 "
                        "rate_limited with Retry-After. Added in 1.2: with `on_behalf_of` and `source`, admins "
                        "and facilitators enter a comment received by letter, phone, meeting or e-mail for that "
                        "person (others: 403); it carries `entered_by` and `source`; a scan goes to POST "
                        "/comments/{comment_id}/scan. 400 codes then: invalid_source, invalid_on_behalf_of, "
                        "invalid_group, on_behalf_of_self; 404 person_not_found.")},
        "/documents/{document_id}/comments": {"get": operation(
            "listComments", "A document's comments, a page at a time (oldest first unless `sort`)", security=READ,
            tags=tags,
            parameters=[
                path_id("document_id", "document"),
                query("limit", "At most this many (default 50, at most 200).",
                      {"type": "integer", "minimum": 1, "maximum": 200}),
                query("cursor", "The `next` of the page before.", {"type": "string"}),
                query("sort", "newest, oldest (default), or cosigned (most co-signers first, then newest; "
                              "its cursor holds the count and the id). `notice` is always null since 1.2.",
                      {"type": "string", "enum": ["newest", "oldest", "cosigned"]}),
                query("clause_id", "Only this clause's comments.", {"type": "integer"}),
                query("group", "Only authors of this group (slug).", {"type": "string"}),
                query("kind", "Only this kind.", {"type": "string", "enum": list(KINDS)}),
                query("status", "Only this status.", {"type": "string", "enum": list(STATUSES)}),
                query("from", "Made on or after this day (YYYY-MM-DD, UTC).", {"type": "string", "format": "date"}),
                query("to", "Made on or before this day (YYYY-MM-DD, UTC).", {"type": "string", "format": "date"}),
                query("has_quote", "yes: only comments quoting the clause; no: only others.",
                      {"type": "string", "enum": ["yes", "no"]}),
                query("has_suggestion", "yes: only comments suggesting wording; no: only others.",
                      {"type": "string", "enum": ["yes", "no"]}),
                query("q", "Words in the body, quote or suggested text (full text, English and Spanish; "
                           "hidden text only for moderators and its author, redacted text never; at most "
                           "200 characters).", {"type": "string", "maxLength": 200}),
            ],
            ok={200: answer("One page of comments; `next` is null on the last page.", {
                "comments": {"type": "array", "items": ref("Comment")},
                "next": {"type": ["string", "null"]}, "sort": {"type": "string"},
                "notice": {"type": ["string", "null"]}})},
            errors=(400, 401, 404))},
        "/comments/{comment_id}": {"patch": operation(
            "editComment", "Change a comment's text (its author)", tags=tags, body="CommentEdit",
            parameters=[path_id("comment_id", "comment")],
            ok={200: answer("The comment.", comment)}, errors=(400, 401, 403, 404, 409, 413),
            description="While commenting is open; the earlier text is kept in the history. "
                        "Records comment.edited (nothing when the text is unchanged).")},
        "/comments/{comment_id}/cosign": {
            "post": operation(
                "cosignComment", "Add my name to this comment", tags=tags,
                parameters=[path_id("comment_id", "comment")],
                ok={201: answer("The comment's co-signers now.", {
                    "comment_id": {"type": "integer"}, "cosigners": ref("Cosigners"), "cosigned": {"const": True}})},
                errors=(401, 403, 404, 409),
                description="Added in 1.2. Those who may comment, while commenting is open (else 409 "
                            "commenting_closed), on a thread's first comment (400 cosign_reply) that is not hidden "
                            "(409 comment_hidden) nor their own (403 own_comment); once per person (409 "
                            "already_cosigned). Records comment.cosigned."),
            "delete": operation(
                "withdrawCosignature", "Take my name off this comment", tags=tags,
                parameters=[path_id("comment_id", "comment")], ok={204: answer("Withdrawn.")},
                errors=(401, 403, 404, 409),
                description="Added in 1.2. While commenting is open (else 409 commenting_closed); 404 not_cosigned "
                            "when the name is not on it. Records comment.cosign_withdrawn.")},
        "/clauses/{clause_id}/similar": {"get": operation(
            "similarComments", "Comments on a clause nearly identical to a text", security=READ, tags=tags,
            parameters=[path_id("clause_id", "clause"),
                        query("text", "The comment being written (at most 10,000 characters).", {"type": "string"})],
            ok={200: answer("At most 3, best first; none for a text under 20 letters.",
                            {"similar": {"type": "array", "items": ref("SimilarComment")}})},
            errors=(400, 401, 404, 413),
            description="Added in 1.2. For the comment form's \"add your name to it instead?\": the clause's newest "
                        "500 thread-opening comments, compared after lower-casing and dropping punctuation "
                        "(score ≥ 85 of 100). Hidden, redacted and unrevealed comments are never among them.")},
        "/comments/{comment_id}/scan": {
            "post": operation(
                "attachScan", "Attach the scan of a letter to a comment staff entered (admins, facilitators)",
                tags=tags, parameters=[path_id("comment_id", "comment")],
                request_body={"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["scan"],
                    "properties": {"scan": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}},
                ok={201: answer("The scan.", {"scan": ref("Scan")})}, errors=(400, 401, 403, 404, 413),
                description=f"Added in 1.2. A PDF, PNG or JPEG (told from its first bytes: else 400 scan_type), at "
                            f"most {SCAN_MAX_BYTES // 1048576} MB (413 scan_too_large); replaces an earlier one. "
                            "Kept outside the public files. Records comment.scan_attached."),
            "get": operation(
                "getScan", "A comment's scan (admins, facilitators)", tags=tags,
                parameters=[path_id("comment_id", "comment")],
                ok={200: file_answer("The scan as uploaded; it may hold personal information, so it is sent "
                                     "to staff only and never cached.",
                                     ["application/pdf", "image/png", "image/jpeg"], "letter.pdf")},
                errors=(401, 403, 404))},
    }


def event_paths() -> dict:
    tags = ["Audit log"]
    return {
        "/events": {"get": operation(
            "listEvents", "The hash-chained event log", security=READ, tags=tags,
            parameters=[
                query("document_id", "Only this document's events.", {"type": "integer"}),
                query("after", "Only events with a greater seq (default 0).", {"type": "integer", "minimum": 0}),
                query("limit", "At most this many (default 100, at most 1000).",
                      {"type": "integer", "minimum": 1, "maximum": 1000}),
            ],
            ok={200: answer("Events in seq order and the chain's head hash.",
                            {"events": {"type": "array", "items": ref("Event")}, "head": SHA256})},
            errors=(400, 401))},
        "/events/verify": {"get": operation(
            "verifyEvents", "Check the whole chain (admins)", tags=tags,
            ok={200: {"description": "Whether every stored event, the published checkpoints and the stored "
                                     "head agree; the first bad seq when not.",
                      "content": {"application/json": {"schema": ref("VerifyResult")}}}},
            errors=(401, 403))},
        "/events/checkpoints": {"get": operation(
            "listCheckpoints", "Published heads of the chain", security=PUBLIC, tags=tags,
            ok={200: answer("Checkpoints in seq order (public: they hold no content).",
                            {"checkpoints": {"type": "array", "items": ref("Checkpoint")}})})},
    }


def resolution_paths() -> dict:
    tags = ["Resolutions and concerns"]
    comment_id = path_id("comment_id", "comment")
    document_id = path_id("document_id", "document")
    report_lang = query("lang", "Added in 1.1. es: the district's Spanish clause headings and rationales where it "
                                "wrote them, else the English, marked as such (400 for another value).",
                        {"type": "string", "enum": ["en", "es"]})
    listed = {"comments": {"type": "array", "items": ref("Comment")}, "counts": ref("DispositionCounts")}
    return {
        "/comments/{comment_id}/resolution": {"post": operation(
            "recordResolution", "Record the district's answer to a comment (admins)", tags=tags,
            body="ResolutionCreate", parameters=[comment_id],
            ok={201: answer("The comment's current resolution and the comment, now resolved.",
                            {"resolution": ref("CurrentResolution"), "comment": ref("Comment")})},
            errors=(400, 401, 403, 404, 409, 413),
            description="An earlier answer is superseded and kept. Not on one's own comment (403 own_comment), "
                        "not on a hidden one (409 comment_hidden). Records resolution.recorded.")},
        "/documents/{document_id}/resolutions": {"post": operation(
            "recordResolutions", "Give one answer to several comments (admins)", tags=tags,
            body="ResolutionBatchCreate", parameters=[document_id],
            ok={201: answer("One resolution per comment, sharing batch_id (null for a single comment).",
                            {"resolutions": {"type": "array", "items": ref("Resolution")},
                             "batch_id": {"type": ["string", "null"]}})},
            errors=(400, 401, 403, 404, 409, 413),
            description="All or nothing: a comment not on this document is 404, a hidden one 409. "
                        "Records one resolution.recorded per comment.")},
        "/comments/{comment_id}/resolutions": {"get": operation(
            "listResolutions", "A comment's resolutions, oldest first", security=READ, tags=tags, parameters=[comment_id],
            ok={200: answer("The whole history.", {"resolutions": {"type": "array", "items": ref("Resolution")}})},
            errors=(401, 404))},
        "/comments/{comment_id}/reopen": {"post": operation(
            "reopenComment", "Say the answer does not address the concern (the author)", tags=tags,
            body="Reopen", parameters=[comment_id],
            ok={200: answer("The comment, open again; its resolution is marked contested.",
                            {"comment": ref("Comment")})},
            errors=(400, 401, 403, 404, 409, 413),
            description="Only the comment's author; only a resolved comment (else 409 not_resolved). "
                        "Records comment.reopened.")},
        "/comments/{comment_id}/timeline": {"get": operation(
            "getCommentTimeline", "What happened to a comment", security=READ, tags=tags, parameters=[comment_id],
            ok={200: {"description": "The comment, its logged events with the texts the viewer may see, its "
                                     "earlier texts and its resolutions.",
                      "content": {"application/json": {"schema": ref("Timeline")}}}},
            errors=(401, 404))},
        "/me/comments": {"get": operation(
            "listMyComments", "The signed-in user's comments and where they stand", tags=tags,
            ok={200: answer("Newest first, with counts by standing.", listed)}, errors=(401,))},
        "/groups/{slug}/comments": {"get": operation(
            "listGroupComments", "A stakeholder group's comments and where they stand", tags=tags,
            parameters=[{"name": "slug", "in": "path", "required": True, "description": "The group's slug.",
                         "schema": {"type": "string"}}],
            ok={200: answer("By document, newest first, with counts by standing.",
                            {"group": ref("Group"), **listed})},
            errors=(401, 404))},
        "/documents/{document_id}/overview": {"get": operation(
            "getOverview", "Clause x group overview of what was raised", security=READ, tags=tags, parameters=[document_id],
            ok={200: answer("The overview.", {"overview": ref("Overview")})}, errors=(401, 404))},
        "/documents/{document_id}/report.json": {"get": operation(
            "getReport", "The response-to-comments report", security=READ, tags=tags, parameters=[document_id, report_lang],
            ok={200: {"description": "Every comment with its clause, group, kind, disposition and rationale.",
                      "content": {"application/json": {"schema": ref("Report")}}}},
            errors=(400, 401, 404))},
        "/documents/{document_id}/report.csv": {"get": operation(
            "getReportCsv", "The response-to-comments table as CSV", security=READ, tags=tags, parameters=[document_id, report_lang],
            ok={200: {**file_answer("UTF-8 CSV with a header row (the ReportRow columns in order); lists are "
                                    "space-separated, booleans yes/no, and cells a spreadsheet would run as a "
                                    "formula start with '.", ["text/csv"],
                                    "response-to-comments-{document_id}.csv (…-es.csv in Spanish); in Spanish "
                                    "a heading or rationale left in English starts with \"[en inglés] \".")}},
            errors=(400, 401, 404))},
    }


def moderation_paths() -> dict:
    tags = ["Moderation"]
    comment_id = path_id("comment_id", "comment")
    comment = {"comment": ref("Comment")}

    def moderate(operation_id, summary, description, who_refused):
        return {"post": operation(
            operation_id, summary, tags=tags, body="Reason", parameters=[comment_id],
            ok={200: answer("The comment as everyone now sees it.", comment)},
            errors=(400, 401, 403, 404, 409, 413), description=f"{description} {who_refused}")}

    return {
        "/comments/{comment_id}/flags": {"post": operation(
            "flagComment", "Ask the moderators to look at a comment", tags=tags, body="Reason",
            parameters=[comment_id], ok={201: answer("The flag.", {"flag": ref("Flag")})},
            errors=(400, 401, 403, 404, 409, 413),
            description="Participants, facilitators and admins; not one's own comment (403 own_comment); one open "
                        "flag per person (409 already_flagged); not a hidden comment (409 comment_hidden). "
                        "Records comment.flagged.")},
        "/comments/{comment_id}/hide": moderate(
            "hideComment", "Hide a comment (admins, facilitators)",
            "Everyone else then sees no texts; its open flags are handled. Already hidden: 409 already_hidden. "
            "Records comment.hidden.", "Not one's own comment (403 own_comment)."),
        "/comments/{comment_id}/unhide": moderate(
            "unhideComment", "Show a hidden comment again (admins, facilitators)",
            "It returns to the status it had. Not hidden: 409 not_hidden. Records comment.unhidden.",
            "Not one's own comment (403 own_comment)."),
        "/comments/{comment_id}/flags/dismiss": moderate(
            "dismissFlags", "Close a comment's open flags without hiding it (admins, facilitators)",
            "No open flags: 409 no_open_flags. Records comment.flags_dismissed.",
            "Not one's own comment (403 own_comment)."),
        "/comments/{comment_id}/redact": moderate(
            "redactComment", "Remove a comment's texts for good (admins)",
            "For personal data: its body, quote, suggested text, earlier texts and the reasons written about it "
            "become \"[Redacted by the district]\" everywhere; the log holds only digests and still verifies. "
            "Records comment.redacted.", "Already redacted: 409 already_redacted."),
        "/resolutions/{resolution_id}/redact": {"post": operation(
            "redactResolution", "Remove a resolution's rationale for good (admins)", tags=tags, body="Reason",
            parameters=[path_id("resolution_id", "resolution")],
            ok={200: answer("The resolution; its disposition stays.", {"resolution": ref("Resolution")})},
            errors=(400, 401, 403, 404, 409, 413),
            description="Already redacted: 409 already_redacted. Records resolution.redacted.")},
        "/moderation/queue": {"get": operation(
            "getModerationQueue", "Flagged and hidden comments (admins, facilitators)", tags=tags,
            ok={200: answer("Comments with open flags (most flagged first) and hidden comments (newest first).",
                            {"flagged": {"type": "array", "items": ref("ModerationItem")},
                             "hidden": {"type": "array", "items": ref("ModerationItem")}})},
            errors=(401, 403))},
    }


def version_paths() -> dict:
    tags = ["Versions and drafts"]
    document_id = path_id("document_id", "document")
    comment_id = path_id("comment_id", "comment")
    published = answer("The document at its new version, and the version.",
                       {"document": ref("Document"), "version": ref("Version")})
    draft_text = {"type": "object", "properties": {"text": {"type": "string", "maxLength": TEXT_MAX},
                                                   "document_id": {"type": "integer"}}}
    return {
        "/documents/{document_id}/versions": {
            "get": operation(
                "listVersions", "A document's versions", security=READ, tags=tags, parameters=[document_id],
                ok={200: answer("Oldest first.", {"versions": {"type": "array", "items": ref("Version")}})},
                errors=(401, 404)),
            "post": operation(
                "publishVersion", "Publish the next version (admins)", tags=tags, body="VersionPublish",
                parameters=[document_id], ok={201: published}, errors=(400, 401, 403, 404, 409, 413),
                description="A clause with id is that clause revised, one without is new, one left out is removed. "
                            "Nothing changed: 400 no_changes; an id not of this document: 400 unknown_clause; "
                            "published meanwhile: 409 stale_version. Open comments are carried forward and their "
                            "quotes re-anchored. Records version.published and a checkpoint."),
        },
        "/documents/{document_id}/diff": {"get": operation(
            "diffVersions", "What changed between two versions", security=READ, tags=tags,
            parameters=[document_id,
                        query("from", "The earlier version (default: the one before `to`).",
                              {"type": "integer", "minimum": 1}),
                        query("to", "The later version (default: the current one).",
                              {"type": "integer", "minimum": 1})],
            ok={200: {"description": "Clause by clause, with word-level changes.",
                      "content": {"application/json": {"schema": ref("Diff")}}}},
            errors=(400, 401, 404),
            description="A version that does not exist: 404; a value that is not a number: 400.")},
        "/documents/{document_id}/versions/{number}/export.{fmt}": {"get": operation(
            "exportVersion", "Download a version as Markdown or Word", security=READ, tags=tags,
            parameters=[document_id,
                        {"name": "number", "in": "path", "required": True, "description": "Version number.",
                         "schema": {"type": "integer", "minimum": 1}},
                        {"name": "fmt", "in": "path", "required": True,
                         "description": "md (Markdown) or docx (Word); another: 404 unknown_format.",
                         "schema": {"type": "string", "enum": list(EXPORT_FORMATS)}}],
            ok={200: file_answer("The version's title, number, date and clauses; Markdown in UTF-8.",
                                 [media.split(";")[0] for media in EXPORT_FORMATS.values()],
                                 "{title}-v{number}.{fmt}")},
            errors=(401, 404))},
        "/comments/{comment_id}/take-suggestion": {"post": operation(
            "takeSuggestion", "Publish the next version with a comment's suggested wording (admins)", tags=tags,
            body="TakeSuggestion", body_required=False, parameters=[comment_id], ok={201: published},
            errors=(400, 401, 403, 404, 409, 413),
            description="The quoted passage (the whole clause without a quote) is replaced by the suggestion. "
                        "No suggestion: 400 no_suggested_text; clause removed or passage changed: 409. "
                        "Records version.published naming the comment in taken_comment_ids.")},
        "/comments/{comment_id}/review": {"post": operation(
            "reviewCarriedComment", "Say whether the newer text resolves one's comment (the author)", tags=tags,
            body="Review", parameters=[comment_id], ok={200: answer("The comment.", {"comment": ref("Comment")})},
            errors=(400, 401, 403, 404, 409, 413),
            description="Only for an open comment carried onto a newer version that changed (or removed) its "
                        "clause (else 409 not_carried_forward, clause_unchanged or comment_not_open). "
                        "Records comment.reviewed.")},
        "/drafts/parse": {"post": operation(
            "parseDraft", "Read a draft (text, Markdown or .docx) into clauses (admins)", tags=tags,
            request_body={"required": True, "content": {
                "application/json": {"schema": ref("DraftText")},
                "multipart/form-data": {"schema": ref("DraftUpload"),
                                        "encoding": {"file": {"contentType": EXPORT_FORMATS["docx"]}}},
                "application/x-www-form-urlencoded": {"schema": draft_text}}},
            ok={200: answer("The clauses for review; nothing is stored.", {"draft": ref("ImportPreview")})},
            errors=(400, 401, 403, 404, 413),
            description="400 codes: not_a_docx (an upload not named .docx), unreadable_docx, empty_import, "
                        "no_clauses_found, empty_clause, duplicate_clause_number, invalid_import. 413 codes: import_too_large "
                        f"(text over {TEXT_MAX:,} characters or a Word file over "
                        f"{DOCX_UNPACKED_MAX // 1048576} MB unpacked), too_large (a request over MAX_CONTENT_LENGTH); "
                        "an unknown document_id 404.")},
    }


def meeting_paths() -> dict:
    tags = ["Meetings"]
    meeting_id = path_id("meeting_id", "meeting")
    meeting = {"meeting": ref("Meeting")}
    runs = "Admins and facilitators, while the meeting is live (else 409 meeting_not_live)."
    return {
        "/documents/{document_id}/meetings": {
            "get": operation(
                "listMeetings", "A document's meetings", security=READ, tags=tags, parameters=[path_id("document_id", "document")],
                ok={200: answer("Newest first.", {"meetings": {"type": "array", "items": ref("Meeting")}})},
                errors=(401, 404)),
            "post": operation(
                "createMeeting", "Plan a meeting (admins, facilitators)", tags=tags, body="MeetingCreate",
                parameters=[path_id("document_id", "document")], ok={201: answer("The meeting, scheduled.", meeting)},
                errors=(400, 401, 403, 404, 413),
                description=f"An agenda has at most {AGENDA_MAX_ITEMS} items, each a clause of the current version "
                            f"(once) and 1 to {ITEM_MINUTES_MAX} minutes (else 400 invalid_agenda). "
                            "Records meeting.created."),
        },
        "/meetings/{meeting_id}": {"get": operation(
            "getMeeting", "A meeting with attendance and the focus history", security=READ, tags=tags, parameters=[meeting_id],
            ok={200: answer("The meeting.", meeting)}, errors=(401, 404))},
        "/meetings/{meeting_id}/minutes": {"get": operation(
            "getMeetingMinutes", "A meeting's minutes", security=READ, tags=tags, parameters=[meeting_id],
            ok={200: answer("Attendance by group, time per clause, comments, speakers, silent rounds and "
                            "resolutions recorded during the meeting.", {"minutes": ref("Minutes")})},
            errors=(401, 404))},
        "/meetings/{meeting_id}/start": {"post": operation(
            "startMeeting", "Start a meeting (admins, facilitators)", tags=tags, parameters=[meeting_id],
            ok={200: answer("The meeting, live.", meeting)}, errors=(401, 403, 404, 409),
            description="While live, participants may comment on the document even outside a comment period. "
                        "Not scheduled: 409 meeting_not_scheduled; another meeting on the document live: "
                        "409 meeting_already_live. Records meeting.started.")},
        "/meetings/{meeting_id}/end": {"post": operation(
            "endMeeting", "End a meeting (admins, facilitators)", tags=tags, parameters=[meeting_id],
            ok={200: answer("The meeting, ended.", meeting)}, errors=(401, 403, 404, 409),
            description="An open silent round is revealed; the queue and attendance are closed. Not live: 409 "
                        "meeting_not_live. Records meeting.ended and a checkpoint.")},
        "/meetings/{meeting_id}/focus": {"post": operation(
            "focusClause", "Lead everyone to a clause (admins, facilitators)", tags=tags, body="Focus",
            parameters=[meeting_id], ok={200: answer("The meeting.", meeting)},
            errors=(400, 401, 403, 404, 409, 413),
            description=f"{runs} A clause of another document: 400 invalid_clause_id; removed from the current "
                        "version: 409 clause_removed. Records meeting.focus (nothing if already focused).")},
        "/meetings/{meeting_id}/hands": {"post": operation(
            "raiseHand", "Ask to speak", tags=tags, parameters=[meeting_id],
            ok={201: answer("The meeting, with the signed-in user in the queue.", meeting)},
            errors=(401, 403, 404, 409),
            description="Participants, facilitators and admins, while live. Already raised: 409 "
                        "hand_already_raised. Records meeting.hand_raised.")},
        "/meetings/{meeting_id}/hands/{user_id}": {"delete": operation(
            "lowerHand", "Leave the speaker queue, or finish speaking", tags=tags,
            parameters=[meeting_id, path_id("user_id", "user")], ok={200: answer("The meeting.", meeting)},
            errors=(401, 403, 404, 409),
            description="One's own hand; admins and facilitators may lower anyone's. Not raised: 409 "
                        "hand_not_raised. Records meeting.hand_lowered.")},
        "/meetings/{meeting_id}/speaker/next": {"post": operation(
            "callNextSpeaker", "Give the floor to the next in the queue (admins, facilitators)", tags=tags,
            parameters=[meeting_id], ok={200: answer("The meeting.", meeting)}, errors=(401, 403, 404, 409),
            description=f"{runs} Nobody waiting: 409 queue_empty. Records meeting.speaker_called.")},
        "/meetings/{meeting_id}/silent-rounds": {"post": operation(
            "startSilentRound", "Start a silent round on a clause (admins, facilitators)", tags=tags,
            body="SilentRoundCreate", parameters=[meeting_id],
            ok={201: answer("The meeting, with the round open.", meeting)}, errors=(400, 401, 403, 404, 409, 413),
            description=f"{runs} Comments on the clause stay unseen by others until the reveal. One round at a "
                        "time (409 silent_round_open). Records meeting.silent_round_started.")},
        "/meetings/{meeting_id}/silent-rounds/current/reveal": {"post": operation(
            "revealSilentRound", "Show everyone the open silent round's comments (admins, facilitators)",
            tags=tags, parameters=[meeting_id],
            ok={200: answer("The meeting and the round's comments.",
                            {"meeting": ref("Meeting"), "comments": {"type": "array", "items": ref("Comment")}})},
            errors=(401, 403, 404, 409),
            description=f"{runs} No round open: 409 no_silent_round. Records meeting.silent_round_revealed.")},
        "/meetings/{meeting_id}/attendance": {"post": operation(
            "recordAttendance", "Note a person in the room without a device (admins, facilitators)", tags=tags,
            body="AttendanceCreate", parameters=[meeting_id],
            ok={201: answer("The meeting, with the new attendance interval.", meeting)},
            errors=(400, 401, 403, 404, 409, 413),
            description=f"{runs} Records meeting.joined (source hand).")},
        "/meetings/{meeting_id}/attendance/{attendance_id}/end": {"post": operation(
            "endAttendance", "Note that a person recorded by hand has left (admins, facilitators)", tags=tags,
            parameters=[meeting_id, path_id("attendance_id", "attendance record")],
            ok={200: answer("The meeting.", meeting)}, errors=(401, 403, 404, 409),
            description=f"{runs} Live-channel attendance: 409 attendance_live; already ended: 409 "
                        "attendance_ended. Records meeting.left.")},
    }


SCHEMAS |= {
    "OutboxMail": {
        "type": "object",
        "required": ["id", "recipient", "subject", "status", "attempts", "next_attempt_at", "last_error",
                     "message_id", "headers", "caused_by_event_seq", "created_at", "sent_at"],
        "properties": {
            "id": {"type": "integer"},
            "recipient": {"type": "string", "format": "email"},
            "subject": {"type": "string"},
            "status": {"enum": ["queued", "sending", "sent", "failed"],
                       "description": "queued: waits for its next try; sending: a worker holds it; sent: handed "
                                      "to the SMTP server (or printed, with MAIL_BACKEND=console); failed: given "
                                      "up, last_error says why."},
            "attempts": {"type": "integer", "minimum": 0},
            "next_attempt_at": DATE_TIME,
            "last_error": {"type": ["string", "null"]},
            "message_id": {"type": "string", "description": "Made when queued; a repeated send carries the same."},
            "headers": {"type": "object", "additionalProperties": {"type": "string"},
                        "description": "Extra headers, e.g. List-Unsubscribe."},
            "caused_by_event_seq": {"type": ["integer", "null"], "description": "The event that caused the mail."},
            "created_at": DATE_TIME,
            "sent_at": nullable(DATE_TIME),
            "text_body": {"type": "string", "description": "In the list only."},
            "html_body": {"type": ["string", "null"], "description": "In the list only."},
        },
    },
    "TestMail": {"type": "object", "required": ["to"],
                 "properties": {"to": {"type": "string", "format": "email", "maxLength": 254}}},
}


def outbox_paths() -> dict:
    tags = ["Mail"]
    mail_answer = {"mail": ref("OutboxMail")}
    return {
        "/admin/outbox": {"get": operation(
            "listOutbox", "The outbox, newest first (admins)", tags=tags,
            parameters=[query("status", "Only mails in this state.", {"enum": ["queued", "sending", "sent", "failed"]}),
                        query("limit", "Page size (default 50).", {"type": "integer", "minimum": 1, "maximum": 200}),
                        query("cursor", "The `next` of the page before.", {"type": "string"})],
            ok={200: answer("One page of mails, the cursor of the next (null on the last) and the count per state.",
                            {"mails": {"type": "array", "items": ref("OutboxMail")},
                             "next": {"type": ["string", "null"]},
                             "counts": {"type": "object", "additionalProperties": {"type": "integer"}}})},
            errors=(400, 401, 403))},
        "/admin/outbox/{mail_id}/retry": {"post": operation(
            "retryMail", "Send a failed or waiting mail again now (admins)", tags=tags,
            parameters=[path_id("mail_id", "mail")],
            ok={200: answer("The mail, queued with a fresh round of tries.", mail_answer)},
            errors=(401, 403, 404, 409),
            description="Records mail.retried. A sent mail is 409 mail_sent; one a worker holds, 409 mail_sending.")},
        "/admin/outbox/test": {"post": operation(
            "sendTestMail", "Queue a test mail, to check the mail settings (admins)", tags=tags, body="TestMail",
            ok={201: answer("The queued mail; its state in the outbox tells whether it went.", mail_answer)},
            errors=(400, 401, 403, 413), description="Records mail.test_requested.")},
    }


# --- accounts: sign-up, mailed links, one's own account, invitations ----------------------

TOKEN = {"type": "object", "required": ["token"], "properties": {"token": {"type": "string", "maxLength": 200,
         "description": "The token of a mailed link <SITE_URL>/<path>?token=<token>."}}}
PASSWORD = {"type": "string", "minLength": 10, "maxLength": 1024}
INVITATION_ROW = {"type": "object", "required": ["email", "name", "group"], "properties": {
    "email": {"type": "string", "format": "email"}, "name": {"type": "string", "maxLength": 120},
    "group": {"type": "string"}, "role": {"enum": list(ROLES), "default": "participant"}}}
SCHEMAS.update({
    "SignUp": {"type": "object", "required": ["email", "name", "group"], "properties": {
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "group": {"type": "string", "description": "A group open to sign-up (GET /groups: is_open_to_sign_up)."},
        "password": {**PASSWORD, "description": "Optional: without one, sign in by mailed link."},
        "language": {"enum": list(LANGUAGES), "default": "en"},
        "show_name": {"type": "boolean", "description": "Default true, false in the students group."},
        "organisation": {"type": "string", "maxLength": 200}}},
    "LinkToken": TOKEN,
    "EmailOnly": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string", "format": "email"}}},
    "PasswordResetConfirm": {"type": "object", "required": ["token", "password"],
                             "properties": {**TOKEN["properties"], "password": PASSWORD}},
    "AcceptInvitation": {"type": "object", "required": ["token"],
                         "properties": {**TOKEN["properties"], "password": {**PASSWORD, "description": "Optional."}}},
    "ProfileChange": {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": {
        "name": {"type": "string", "maxLength": 120}, "language": {"enum": list(LANGUAGES)},
        "show_name": {"type": "boolean"}, "organisation": {"type": ["string", "null"], "maxLength": 200},
        "email": {"type": "string", "format": "email",
                  "description": "Mailed a verification link; takes effect when it is used."},
        "password": PASSWORD,
        "current_password": {"type": "string", "description": "Needed with password or email, if the account has one."},
        "notifications": {"$ref": "#/components/schemas/NotificationPreferences"}}},
    "OrganisationVerification": {"type": "object", "required": ["verified"], "properties": {"verified": {"type": "boolean"}}},
    "GroupSettings": {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": {
        "is_open_to_sign_up": {"type": "boolean"}, "needs_approval": {"type": "boolean"}}},
    "InvitationsCreate": {"type": "object", "required": ["invitations"], "properties": {
        "invitations": {"type": "array", "minItems": 1, "maxItems": 1000, "items": INVITATION_ROW}}},
    "Invitation": {"type": "object", "required": ["id", "email", "name", "group", "role", "status"], "properties": {
        "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
        "group": {"type": "string"}, "role": {"enum": list(ROLES)},
        "status": {"enum": ["pending", "accepted", "withdrawn"]}, "created_at": DATE_TIME,
        "last_sent_at": DATE_TIME, "send_count": {"type": "integer"},
        "accepted_user_id": {"type": ["integer", "null"]}}},
})
SAME_FOR_EVERY_ADDRESS = ("The answer (status, body and time) is the same whether or not the address has an account. "
                          "Rate-limited per e-mail address (ACCOUNT_MAIL_RATE_LIMIT) and per client address "
                          "(ACCOUNT_ADDRESS_RATE_LIMIT).")
SIGNED_IN_WITH_TOKEN = {"token": {"type": "string", "description": "An API token, as POST /auth/tokens gives."},
                        "user": ref("User")}


def account_paths() -> dict:
    tags = ["Accounts"]
    accepted = {202: answer("Accepted; a mail goes out if there is anything to send.", {}, [])}
    user = {"user": ref("User")}
    return {
        "/accounts": {"post": operation(
            "signUp", "Create an account and get a verification link by mail", tags=tags, body="SignUp",
            security=PUBLIC, ok=accepted, errors=(400, 413, 429),
            description="Only groups open to sign-up; law-enforcement, juvenile-justice and district need an "
                        "administrator's approval before commenting (403 approval_pending). Commenting before the "
                        "address is verified is 403 email_unverified. Records user.signed_up. " + SAME_FOR_EVERY_ADDRESS)},
        "/auth/verify-email": {"post": operation(
            "verifyEmail", "Confirm an e-mail address with its mailed link (24 h, once)", tags=tags, body="LinkToken",
            security=PUBLIC, ok={200: answer("The account.", user)}, errors=(400, 409, 413, 429),
            description="A used, expired or unknown link is 400 invalid_token. A new address takes effect now "
                        "and ends every other session and token (409 email_taken if it got an account meanwhile).")},
        "/auth/verify-email/resend": {"post": operation(
            "resendVerification", "Mail a new verification link to the signed-in person", tags=tags,
            ok=accepted, errors=(401, 403, 409))},
        "/auth/links": {"post": operation(
            "requestSignInLink", "Mail a single-use sign-in link (15 minutes)", tags=tags, body="EmailOnly",
            security=PUBLIC, ok=accepted, errors=(400, 413, 429), description=SAME_FOR_EVERY_ADDRESS)},
        "/auth/links/redeem": {"post": operation(
            "redeemSignInLink", "Sign in with a mailed link", tags=tags, body="LinkToken", security=PUBLIC,
            ok={201: answer("An API token and the user.", SIGNED_IN_WITH_TOKEN)}, errors=(400, 413, 429),
            description="A used, expired or unknown link is 400 invalid_token. Using it confirms the address.")},
        "/auth/password-reset": {"post": operation(
            "requestPasswordReset", "Mail a password-reset link (1 hour)", tags=tags, body="EmailOnly",
            security=PUBLIC, ok=accepted, errors=(400, 413, 429), description=SAME_FOR_EVERY_ADDRESS)},
        "/auth/password-reset/confirm": {"post": operation(
            "resetPassword", "Set a new password with a mailed link", tags=tags, body="PasswordResetConfirm",
            security=PUBLIC, ok={204: answer("Done: every session, token and open socket of the person ended.")},
            errors=(400, 413, 429), description="Records user.password_reset.")},
        "/me": {"patch": operation(
            "updateMe", "Change one's own account", tags=tags, body="ProfileChange", ok={200: answer("The account.", user)},
            errors=(400, 401, 403, 413),
            description="show_name: whether readers who are not moderators see one's name or only one's group. "
                        "A new password ends every other session, token and socket. Records user.profile_updated.")
            , "delete": operation(
            "deleteMe", "Delete one's own account", tags=tags, ok={204: answer("Deleted.")}, errors=(401, 403, 409),
            description="Name and e-mail are removed; sessions, tokens, links and sockets end; comments stay, "
                        "shown as \"Former participant\" with the group. The last administrator is 409 last_admin. "
                        "Records user.deleted.")},
        "/me/export": {"get": operation(
            "exportMe", "Download everything one wrote and what happened to it", tags=tags,
            ok={200: answer("The person's account, comments (with earlier texts and resolutions), flags and "
                            "versions published.",
                            {"exported_at": DATE_TIME, "user": ref("User"),
                             "comments": {"type": "array", "items": {"type": "object"}},
                             "flags": {"type": "array", "items": {"type": "object"}},
                             "versions": {"type": "array", "items": {"type": "object"}}})},
            errors=(401,), description="Records user.data_exported with the export's sha256.")},
        "/users/awaiting-approval": {"get": operation(
            "listAccountsAwaitingApproval", "Accounts waiting for approval (admins)", tags=tags,
            ok={200: answer("The accounts.", {"users": {"type": "array", "items": ref("User")}})}, errors=(401, 403))},
        "/users/{user_id}/approve": {"post": operation(
            "approveAccount", "Let an account comment (admins)", tags=tags, parameters=[path_id("user_id", "user")],
            ok={200: answer("The account.", user)}, errors=(401, 403, 404, 409),
            description="Mails the person. Records user.approved.")},
        "/users/{user_id}/organisation-verification": {"put": operation(
            "verifyOrganisation", "Confirm or withdraw a person's organisation (admins)", tags=tags,
            body="OrganisationVerification", parameters=[path_id("user_id", "user")],
            ok={200: answer("The account.", user)}, errors=(400, 401, 403, 404, 409, 413),
            description="Records user.organisation_verified.")},
        "/groups/{slug}": {"patch": operation(
            "updateGroup", "Open a group to sign-up, or require approval (admins)", tags=tags, body="GroupSettings",
            parameters=[{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            ok={200: answer("The group.", {"group": ref("Group")})}, errors=(400, 401, 403, 413),
            description="Records group.updated.")},
        "/invitations": {
            "get": operation(
                "listInvitations", "Invitations (admins)", tags=tags,
                parameters=[query("status", "Default pending; empty for all.",
                                  {"enum": ["pending", "accepted", "withdrawn", ""]})],
                ok={200: answer("Newest first.", {"invitations": {"type": "array", "items": ref("Invitation")}})},
                errors=(400, 401, 403)),
            "post": operation(
                "createInvitations", "Invite people by e-mail (admins)", tags=tags, body="InvitationsCreate",
                ok={201: answer("The invitations made (each mailed its link) and the lines refused.",
                                {"created": {"type": "array", "items": ref("Invitation")},
                                 "errors": {"type": "array", "items": {
                                     "type": "object", "required": ["line", "message"],
                                     "properties": {"line": {"type": "integer"}, "message": {"type": "string"}}}}})},
                errors=(400, 401, 403, 413),
                description="Up to 1,000 at once. A line is refused for a bad field, an address twice in the list, "
                            "an address with an account or a pending invitation. Records invitation.created each."),
        },
        "/invitations/{invitation_id}/resend": {"post": operation(
            "resendInvitation", "Mail a pending invitation again with a new link (admins)", tags=tags,
            parameters=[path_id("invitation_id", "invitation")],
            ok={200: answer("The invitation.", {"invitation": ref("Invitation")})}, errors=(401, 403, 404, 409),
            description="The earlier link stops working. Records invitation.resent.")},
        "/invitations/{invitation_id}": {"delete": operation(
            "withdrawInvitation", "Withdraw a pending invitation (admins)", tags=tags,
            parameters=[path_id("invitation_id", "invitation")], ok={204: answer("Withdrawn; its link stops working.")},
            errors=(401, 403, 404, 409), description="Records invitation.withdrawn.")},
        "/accounts/accept-invitation": {"post": operation(
            "acceptInvitation", "Set up an invited account with its mailed link", tags=tags, body="AcceptInvitation",
            security=PUBLIC, ok={201: answer("An API token and the new account.", SIGNED_IN_WITH_TOKEN)},
            errors=(400, 409, 413, 429),
            description="The account gets the invitation's group and role; its address counts as verified. "
                        "Records user.created and invitation.accepted.")},
    }


SCHEMAS |= {
    "Notification": {
        "type": "object",
        "required": ["id", "kind", "event_seq", "document_id", "comment_id", "created_at", "read_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"enum": list(NOTIFICATION_KINDS)},
            "event_seq": {"type": "integer", "description": "The logged event it was derived from."},
            "document_id": {"type": ["integer", "null"]},
            "clause_id": {"type": ["integer", "null"]},
            "comment_id": {"type": ["integer", "null"]},
            "created_at": DATE_TIME,
            "read_at": nullable(DATE_TIME),
            "text": {"type": "string", "description": "What it says, naming the document."},
            "url": {"type": "string", "description": "The page it leads to (a path of the site)."},
        },
    },
    "NotificationPreferences": {
        "type": "object",
        "properties": {
            "email": {"enum": list(EMAIL_FREQUENCIES), "description": "Default daily."},
            "answers_immediately": {"type": "boolean",
                                    "description": "Mail 'your comment was answered' at once even with a digest "
                                                   "(default true)."},
            "kinds": {"type": "object", "additionalProperties": {"type": "boolean"},
                      "description": "Mail per kind on or off (default on)."},
        },
    },
    "ReadNotifications": {"type": "object", "properties": {
        "ids": {"type": "array", "items": {"type": "integer"}}, "all": {"type": "boolean"}}},
}


def notification_paths() -> dict:
    tags = ["Notifications"]
    preferences = {"preferences": ref("NotificationPreferences")}
    following = {"following": {"type": "boolean"}}
    return {
        "/me/notifications": {"get": operation(
            "listNotifications", "My notifications, newest first", tags=tags,
            parameters=[query("cursor", "The `next` of the page before.", {"type": "string"})],
            ok={200: answer("One page, the unread count, and the next page's cursor (null on the last).",
                            {"notifications": {"type": "array", "items": ref("Notification")},
                             "unread": {"type": "integer"}, "next": {"type": ["string", "null"]}})},
            errors=(400, 401),
            description="Live: the server sends `notification` (one object as here) to the person's own sockets.")},
        "/me/notifications/read": {"post": operation(
            "readNotifications", "Mark notifications read", tags=tags, body="ReadNotifications",
            ok={204: answer("Marked.")}, errors=(400, 401, 413))},
        "/me/notifications/preferences": {
            "get": operation("getNotificationPreferences", "How I get mail", tags=tags,
                             ok={200: answer("The settings.", preferences)}, errors=(401,)),
            "patch": operation("updateNotificationPreferences", "Change how I get mail", tags=tags,
                               body="NotificationPreferences", ok={200: answer("The settings.", preferences)},
                               errors=(400, 401, 413)),
        },
        "/documents/{document_id}/follow": {
            "post": operation("followDocument", "Follow a document", tags=tags,
                              parameters=[path_id("document_id", "document")],
                              ok={200: answer("Following.", following)}, errors=(401, 404),
                              description="Commenting on a document follows it too, unless you unfollowed it."),
            "delete": operation("unfollowDocument", "Stop following a document", tags=tags,
                                parameters=[path_id("document_id", "document")],
                                ok={200: answer("Not following.", following)}, errors=(401, 404)),
        },
        "/clauses/{clause_id}/follow": {
            "post": operation("followClause", "Follow one clause (hear when a version changes it)", tags=tags,
                              parameters=[path_id("clause_id", "clause")],
                              ok={200: answer("Following.", following)}, errors=(401, 404)),
            "delete": operation("unfollowClause", "Stop following a clause", tags=tags,
                                parameters=[path_id("clause_id", "clause")],
                                ok={200: answer("Not following.", following)}, errors=(401, 404)),
        },
    }


def translation_paths() -> dict:
    tags = ["Translations"]
    language = {"name": "language", "in": "path", "required": True, "description": "Language code.",
                "schema": {"type": "string", "enum": list(TRANSLATION_LANGUAGES)}}
    translation_text = {"type": "object", "properties": {"text": {"type": "string", "maxLength": TEXT_MAX},
                                                          "version": {"type": ["integer", "null"]}}}
    return {
        "/clauses/{clause_id}/translations/{language}": {"put": operation(
            "putClauseTranslation", "Add or replace a clause's human translation (admins)", tags=tags,
            body="ClauseTranslationInput", parameters=[path_id("clause_id", "clause"), language],
            ok={200: answer("The stored translation, now current.", {
                "clause_id": {"type": "integer"}, "language": {"type": "string"},
                "translation": ref("ClauseTranslation")})},
            errors=(400, 401, 403, 404, 413),
            description="Records clause.translation_added (digests of the texts). An unknown language or a "
                        "clause the version lacks is 404.")},
        "/documents/{document_id}/translations/{language}/import": {"post": operation(
            "importClauseTranslations", "Import a translated file numbered like the version (admins)", tags=tags,
            request_body={"required": True, "content": {
                "application/json": {"schema": translation_text},
                "multipart/form-data": {"schema": ref("DraftUpload"),
                                        "encoding": {"file": {"contentType": EXPORT_FORMATS["docx"]}}},
                "application/x-www-form-urlencoded": {"schema": translation_text}}},
            parameters=[path_id("document_id", "document"), language],
            ok={200: answer("What was stored.", {"imported": ref("TranslationImport")})},
            errors=(400, 401, 403, 404, 413),
            description="Clauses are matched by number; a number the version lacks is 400 "
                        "unknown_clause_number and nothing is stored. One clause.translation_added per clause.")},
    }


def meta_paths() -> dict:
    return {"/openapi.json": {"get": operation(
        "getOpenApi", "This description", tags=["Meta"], security=PUBLIC,
        ok={200: {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}})}}

# --- equity, summaries, adoption and review --------------------------------------------------

_COUNT = {"type": "integer", "minimum": 0}
_HOURS = {"type": ["number", "null"], "description": "Median hours from a comment to its first answer."}
_SHARE = {"type": ["number", "null"], "description": "(accepted + accepted_with_changes) / answered."}
_DAY = {"type": "string", "format": "date", "description": "A calendar date, YYYY-MM-DD."}
SCHEMAS.update({
    "EquityRow": {
        "type": "object",
        "description": "One stakeholder group's figures (first comments of threads; hidden ones not counted).",
        "required": ["group", "name", "comments", "answered", "accepted", "accepted_with_changes", "declined",
                     "deferred", "noted", "open", "contested", "median_hours_to_answer", "accepted_share",
                     "others_accepted_share", "others_median_hours_to_answer", "z", "flag", "flags"],
        "properties": {
            "group": {"type": "string"}, "name": {"type": "string"},
            **{k: _COUNT for k in ("comments", "answered", *DISPOSITIONS, "open", "contested")},
            "median_hours_to_answer": _HOURS, "others_median_hours_to_answer": _HOURS,
            "accepted_share": _SHARE, "others_accepted_share": _SHARE,
            "z": {"type": ["number", "null"], "description": "Two-proportion z of the share accepted vs all others."},
            "flag": {"type": ["string", "null"], "enum": [*EQUITY_FLAGS, None],
                     "description": "The first of `flags`, or null when nothing differs markedly."},
            "flags": {"type": "array", "items": {"type": "string", "enum": list(EQUITY_FLAGS)}},
        },
    },
    "Equity": {
        "type": "object",
        "description": "Equity by group for a document and per clause, with the rule that sets the flags.",
        "required": ["document_id", "title", "version", "groups", "totals", "clauses", "rule"],
        "properties": {
            "document_id": {"type": "integer"}, "title": {"type": "string"}, "version": {"type": "integer"},
            "groups": {"type": "array", "items": ref("EquityRow")},
            "totals": {"type": "object"},
            "clauses": {"type": "array", "items": {
                "type": "object", "required": ["clause_id", "number", "heading", "removed", "groups"],
                "properties": {"clause_id": {"type": "integer"}, "number": {"type": "string"},
                               "heading": {"type": "string"}, "removed": {"type": "boolean"},
                               "groups": {"type": "array", "items": ref("EquityRow")}}}},
            "rule": {"type": "object", "required": ["text", "min_answered", "z_threshold", "time_ratio"],
                     "properties": {"text": {"type": "string"}, "min_answered": {"type": "integer"},
                                    "z_threshold": {"type": "number"}, "time_ratio": {"type": "number"}}},
        },
    },
    "Readability": {
        "type": "object", "required": ["words", "limit", "over_limit", "reading_ease", "grade_level", "verdict"],
        "properties": {"words": _COUNT, "limit": {"type": "integer"}, "over_limit": {"type": "boolean"},
                       "reading_ease": {"type": ["number", "null"], "description": "Flesch reading ease."},
                       "grade_level": {"type": ["number", "null"], "description": "Flesch-Kincaid grade."},
                       "verdict": {"type": "string"}},
    },
    "ClauseSummary": {
        "type": "object", "required": ["clause_id", "text", "words", "reading_ease", "grade_level", "written_at"],
        "properties": {"clause_id": {"type": "integer"}, "text": {"type": "string"}, "words": _COUNT,
                       "reading_ease": {"type": "number"}, "grade_level": {"type": "number"},
                       "written_at": DATE_TIME},
    },
    "SummaryWrite": {
        "type": "object", "required": ["text"],
        "properties": {"text": {"type": ["string", "null"], "maxLength": SUMMARY_MAX_CHARS,
                                "description": f"At most {SUMMARY_WORD_LIMIT} words; empty removes the summary."}},
    },
    "TextOnly": {"type": "object", "properties": {"text": {"type": ["string", "null"]}}},
    "Signature": {
        "type": "object", "required": ["id", "party", "party_label", "name", "title", "signed_on"],
        "properties": {"id": {"type": "integer"}, "party": {"type": "string", "enum": list(PARTIES)},
                       "party_label": {"type": "string"}, "name": {"type": "string"}, "title": {"type": "string"},
                       "signed_on": _DAY},
    },
    "Adoption": {
        "type": "object",
        "required": ["id", "document_id", "version", "adopted_on", "next_review_on", "days_to_review",
                     "review_version", "recorded_at", "signatures"],
        "properties": {"id": {"type": "integer"}, "document_id": {"type": "integer"}, "version": {"type": "integer"},
                       "adopted_on": _DAY, "next_review_on": _DAY, "days_to_review": {"type": "integer"},
                       "review_version": {"type": ["integer", "null"],
                                          "description": "The draft that started its review, once started."},
                       "recorded_at": DATE_TIME, "signatures": {"type": "array", "items": ref("Signature")}},
    },
    "AdoptionCreate": {
        "type": "object",
        "properties": {"version": {"type": "integer", "description": "Default: the current version."},
                       "adopted_on": {**_DAY, "description": "Default: today."},
                       "next_review_on": {**_DAY, "description": "Default: a year after adoption."}},
    },
    "SignatureCreate": {
        "type": "object", "required": ["party", "name", "title", "signed_on"],
        "properties": {"party": {"type": "string", "enum": list(PARTIES)},
                       "party_name": {"type": "string", "maxLength": 200, "description": "Required for other."},
                       "name": {"type": "string", "maxLength": 200}, "title": {"type": "string", "maxLength": 200},
                       "signed_on": _DAY},
    },
    "ReviewDate": {"type": "object", "required": ["next_review_on"], "properties": {"next_review_on": _DAY}},
    "ReviewStart": {"type": "object", "properties": {"note": {"type": "string", "maxLength": NOTE_MAX}}},
    "CarriedConcern": {
        "type": "object", "required": ["comment_id", "clause_id", "reason", "kind", "author", "excerpt"],
        "properties": {"comment_id": {"type": "integer"}, "clause_id": {"type": "integer"},
                       "reason": {"type": "string", "enum": ["open", "deferred"]}, "kind": {"type": "string"},
                       "author": {"type": "string"}, "excerpt": {"type": ["string", "null"]}},
    },
})


def agreement_paths() -> dict:
    tags = ["Equity, summaries and adoption"]
    document_id = path_id("document_id", "document")
    adoption_id = path_id("adoption_id", "adoption")
    clause_id = path_id("clause_id", "clause")
    number = {"name": "number", "in": "path", "required": True, "description": "The version number.",
              "schema": {"type": "integer", "minimum": 0}}
    return {
        "/documents/{document_id}/equity": {"get": operation(
            "getEquity", "Equity by stakeholder group", tags=tags, parameters=[document_id],
            ok={200: {"description": "Per group and per clause, with flags and the rule that sets them.",
                      "content": {"application/json": {"schema": ref("Equity")}}}}, errors=(401, 404))},
        "/documents/{document_id}/equity.csv": {"get": operation(
            "getEquityCsv", "Equity by stakeholder group as CSV", tags=tags, parameters=[document_id],
            ok={200: file_answer("UTF-8 CSV: scope (document|clause), clause_number, clause_heading, group, the "
                                 "counts, accepted_share, median_hours_to_answer, flag (space-separated).",
                                 ["text/csv"], "equity-by-group-{document_id}.csv")}, errors=(401, 404))},
        "/documents/{document_id}/versions/{number}/summaries": {"get": operation(
            "listSummaries", "A version's plain-language summaries", tags=tags, parameters=[document_id, number],
            ok={200: answer("One per summarised clause.",
                            {"summaries": {"type": "array", "items": ref("ClauseSummary")}})}, errors=(401, 404))},
        "/documents/{document_id}/versions/{number}/clauses/{clause_id}/summary": {"put": operation(
            "writeSummary", "Write a clause's plain-language summary (admins)", tags=tags, body="SummaryWrite",
            parameters=[document_id, number, clause_id],
            ok={200: answer("The stored summary (null once removed) and its readability.",
                            {"summary": nullable(ref("ClauseSummary")), "readability": ref("Readability")})},
            errors=(400, 401, 403, 404, 413),
            description=f"Over {SUMMARY_WORD_LIMIT} words is 400 summary_too_long. Records summary.written.")},
        "/readability": {"post": operation(
            "scoreReadability", "Score a text's readability (used while writing a summary)", tags=tags,
            body="TextOnly", ok={200: {"description": "Words and Flesch scores.",
                                       "content": {"application/json": {"schema": ref("Readability")}}}},
            errors=(400, 401, 413))},
        "/documents/{document_id}/adoption": {"get": operation(
            "getAdoption", "The adopted version in force, with signatures", tags=tags, parameters=[document_id],
            ok={200: answer("Null before any adoption.", {"adoption": nullable(ref("Adoption"))})},
            errors=(401, 404))},
        "/documents/{document_id}/adoptions": {"post": operation(
            "adoptVersion", "Mark a version as adopted (admins)", tags=tags, body="AdoptionCreate",
            body_required=False, parameters=[document_id],
            ok={201: answer("The adoption.", {"adoption": ref("Adoption")})}, errors=(400, 401, 403, 404, 409, 413),
            description="Records version.adopted and a checkpoint; 409 already_adopted.")},
        "/adoptions/{adoption_id}/signatures": {"post": operation(
            "recordSignature", "Record who signed for a party (admins)", tags=tags, body="SignatureCreate",
            parameters=[adoption_id], ok={201: answer("The signature.", {"signature": ref("Signature")})},
            errors=(400, 401, 403, 404, 413), description="Records adoption.signed and a checkpoint.")},
        "/adoptions/{adoption_id}/review-date": {"put": operation(
            "setReviewDate", "Move the next review (admins)", tags=tags, body="ReviewDate", parameters=[adoption_id],
            ok={200: answer("The adoption.", {"adoption": ref("Adoption")})}, errors=(400, 401, 403, 404, 413),
            description="Records review.scheduled and a checkpoint; the 30-day reminder (review.due_soon) "
                        "is due again for the new date.")},
        "/documents/{document_id}/reviews": {"post": operation(
            "startReview", "Start the review: a new draft from the adopted version (admins)", tags=tags,
            body="ReviewStart", body_required=False, parameters=[document_id],
            ok={201: answer("The new version and the open and deferred concerns it carries.",
                            {"version": ref("Version"),
                             "carried_concerns": {"type": "array", "items": ref("CarriedConcern")}})},
            errors=(400, 401, 403, 404, 409, 413),
            description="Records version.published, review.started and a checkpoint; 409 not_adopted or "
                        "review_started.")},
    }


def coverage_paths() -> dict:
    tags = ["Coverage"]
    document_id = path_id("document_id", "document")
    return {
        "/checklist": {"get": operation(
            "getChecklist", "The coverage checklist: SECURe items and model provisions", tags=tags,
            ok={200: answer("Every item, SECURe items first.",
                            {"items": {"type": "array", "items": ref("ChecklistItem")}})}, errors=(401,))},
        "/documents/{document_id}/coverage": {"get": operation(
            "getCoverage", "Every checklist item at a version: its clauses, open comments and gaps", tags=tags,
            parameters=[document_id, query("version", "The version (default: the current one).",
                                           {"type": "integer", "minimum": 1})],
            ok={200: {"description": "In checklist order; `standing` gap marks an item no clause addresses.",
                      "content": {"application/json": {"schema": ref("Coverage")}}}},
            errors=(400, 401, 404))},
        "/clauses/{clause_id}/coverage": {
            "get": operation(
                "getClauseCoverage", "A clause's tags and suggested items", tags=tags,
                parameters=[path_id("clause_id", "clause")],
                ok={200: {"description": "The tags of its current text and keyword suggestions (never stored).",
                          "content": {"application/json": {"schema": ref("ClauseCoverage")}}}},
                errors=(401, 404, 409)),
            "put": operation(
                "tagClauseCoverage", "Set which items a clause addresses (admins)", tags=tags, body="CoverageTags",
                parameters=[path_id("clause_id", "clause")],
                ok={200: {"description": "The clause's tags and suggestions now.",
                          "content": {"application/json": {"schema": ref("ClauseCoverage")}}}},
                errors=(400, 401, 403, 404, 409, 413),
                description="Tags the clause's text in the current version (they are copied onto later versions "
                            "when it is published). Records clause.coverage_tagged when they change. A clause "
                            "the current version removed: 409 clause_removed."),
        },
        "/documents/{document_id}/coverage/{item_id}/comments": {"post": operation(
            "commentOnItem", "Comment on a missing provision or item", tags=tags, body="ItemCommentCreate",
            parameters=[document_id, {"name": "item_id", "in": "path", "required": True,
                                      "description": "A checklist item's id, e.g. S1.3 or P.complaints.",
                                      "schema": {"type": "string"}},
                        {"$ref": "#/components/parameters/IdempotencyKey"}],
            ok={201: answer("The comment: clause_id null, coverage_item_id the item.", {"comment": ref("Comment")})},
            errors=(400, 401, 403, 404, 409, 413, 422, 429),
            description="A comment on the document tied to no clause, answered like any other (queue, "
                        "resolutions, report under missing_provisions). Who and when as for clause comments. "
                        "Records comment.created. An unknown item id: 404 unknown_item.")},
        "/drafts/from-model": {"post": operation(
            "startFromModel", "Start a new draft from the model agreement (admins)", tags=tags,
            body="ModelDraftCreate",
            ok={201: answer("The new document at version 1, its clauses tagged as the model's.",
                            {"document": ref("Document")})},
            errors=(400, 401, 403, 413),
            description="The demo's model MOU, clause by clause. Records document.created and a "
                        "clause.coverage_tagged per tagged clause, in one transaction.")},
    }


def campaign_paths() -> dict:
    tags = ["Campaigns"]
    campaign_id = path_id("campaign_id", "campaign")
    paging = [query("limit", "At most this many (default 50, at most 200).",
                    {"type": "integer", "minimum": 1, "maximum": 200}),
              query("cursor", "The `next` of the page before.", {"type": "string"})]
    next_page = {"type": ["string", "null"], "description": "The cursor of the next page; null on the last."}
    return {
        "/documents/{document_id}/campaigns": {"get": operation(
            "listCampaigns", "A document's campaigns, a page at a time", security=READ, tags=tags,
            parameters=[path_id("document_id", "document"), *paging],
            ok={200: answer("One page of campaigns, oldest first.",
                            {"campaigns": {"type": "array", "items": ref("Campaign")}, "next": next_page,
                             "limit": {"type": "integer"}})},
            errors=(400, 401, 403, 404))},
        "/campaigns/{campaign_id}": {"get": operation(
            "getCampaign", "A campaign and a page of its members", security=READ, tags=tags,
            parameters=[campaign_id, *paging],
            ok={200: answer("The campaign (with its representative) and one page of members, oldest first.",
                            {"campaign": ref("Campaign"), "members": {"type": "array", "items": ref("CampaignMember")},
                             "next": next_page, "limit": {"type": "integer"}})},
            errors=(400, 401, 403, 404))},
        "/campaigns/{campaign_id}/confirm": {"post": operation(
            "confirmCampaign", "Confirm a proposed campaign (admins)", tags=tags, parameters=[campaign_id],
            ok={200: answer("The campaign, confirmed.", {"campaign": ref("Campaign")})},
            errors=(401, 403, 404, 409), description="Again: 409 already_confirmed. Records campaign.confirmed.")},
        "/campaigns/{campaign_id}/split": {"post": operation(
            "splitCampaign", "Take comments out of a campaign (admins)", tags=tags, body="CampaignSplit",
            parameters=[campaign_id],
            ok={200: answer("The campaign as it is now (null when one comment was left: it is dissolved).",
                            {"campaign": nullable(ref("Campaign")), "dissolved": {"type": "boolean"}})},
            errors=(400, 401, 403, 404, 413),
            description="A comment not in the campaign is 404. The grouping never puts a split comment in a "
                        "campaign again; a campaign whose representative left gets another. Records campaign.split.")},
        "/campaigns/{campaign_id}/resolution": {"post": operation(
            "answerCampaign", "Answer every member of a campaign at once (admins)", tags=tags,
            body="ResolutionCreate", parameters=[campaign_id],
            ok={201: answer("Every shown member now has this answer (one resolution each, sharing batch_id); "
                            "hidden members and the administrator's own comments are skipped.",
                            {"campaign": ref("Campaign"), "batch_id": {"type": "string"},
                             "answered": {"type": "integer", "minimum": 1},
                             "skipped_comment_ids": {"type": "array", "items": {"type": "integer"}}})},
            errors=(400, 401, 403, 404, 409, 413),
            description="No ceiling on the number of members. Members with words of their own can be answered "
                        "again on their own. 409 nothing_to_answer when no member can be answered. Records one "
                        "campaign.answered.")},
    }


AREAS: list[Callable[[], dict]] = [auth_paths, document_paths, comment_paths, resolution_paths, moderation_paths,
                                   version_paths, translation_paths, meeting_paths, event_paths, outbox_paths,
                                   account_paths, coverage_paths, notification_paths, agreement_paths, campaign_paths,
                                   meta_paths]


# The live channel (Socket.IO, default namespace): each committed event goes to room
# document:<id> under its action as the event name; the payload is the Event plus the
# objects named here (as GET shows them to everyone).
LIVE_EVENTS: dict[str, dict] = {
    "document.created": {"carries": [], "data": "title_sha256, version, clauses (ids and digests)"},
    "version.published": {"carries": ["version", "changes", "carried_forward", "linked_resolutions"],
                          "data": "version, base_version, note_sha256, clauses, added, removed, changed (text "
                                  "differs once line breaks and trailing spaces are normalised), moved, "
                                  "taken_comment_ids, carried_forward, coverage_tags_carried (the kept clauses' "
                                  "checklist tags copied onto the new version), linked_resolutions (when any: "
                                  "[{resolution_id, comment_id}] answered \"changed in the next version\" on a "
                                  "clause this version changes or removes, now naming it), translations_carried "
                                  "(when any: [{clause_id, language, status}] copied onto the new version, "
                                  "outdated where the English changed)"},
    "clause.translation_added": {"carries": [], "data": "clause_id, version, language, heading_sha256, "
                                                        "body_sha256, machine_translated, replaced"},
    "clause.coverage_tagged": {"carries": ["coverage"],
                               "data": "clause_id, version, items ({id, strength}: the clause's tags now), removed "
                                       "(item ids untagged)"},
    "summary.written": {"carries": [], "data": "version, clause_id, text_sha256 (null once removed), words, "
                                               "reading_ease, grade_level"},
    "version.adopted": {"carries": [], "data": "adoption_id, version, adopted_on, next_review_on"},
    "adoption.signed": {"carries": [], "data": "adoption_id, signature_id, version, party, party_name_sha256, "
                                               "name_sha256, title_sha256, signed_on"},
    "review.scheduled": {"carries": [], "data": "adoption_id, version, next_review_on, previous"},
    "review.due_soon": {"carries": [], "data": "adoption_id, version, next_review_on, days_left (recorded once, "
                                               "30 days before, by the scheduler; no actor)"},
    "review.started": {"carries": [], "data": "adoption_id, adopted_version, version, summaries_copied, "
                                              "carried (comment_id, reason: open|deferred)"},
    "period.opened": {"carries": ["period"], "data": "period_id, opens_at, closes_at, scheduled (opened by the "
                                                     "scheduler)"},
    "period.scheduled": {"carries": ["period"], "data": "period_id, opens_at, closes_at"},
    "period.closed": {"carries": ["period"], "data": "period_id, closes_at, scheduled (closed by the scheduler)"},
    "comment.created": {"carries": ["comment"],
                        "data": "comment_id, clause_id (null on a missing provision), coverage_item_id (then), "
                                "version, kind, language, parent_id, body_hmac, quote_hmac, "
                                "suggested_text_hmac (body_sha256 … in events written before salted digests), "
                                "meeting_id, silent_round_id (a silent round's comments "
                                "are not sent one by one: they ride on meeting.silent_round_revealed); for a comment "
                                "staff entered for someone (the actor is the staff member): author_id, source"},
    "comment.edited": {"carries": ["comment"], "data": "comment_id, body_hmac (earlier: body_sha256)"},
    "comment.cosigned": {"carries": ["comment", "cosigners"],
                         "data": "comment_id, group (the co-signer's), count (co-signers now); the co-signer is "
                                 "the event's actor"},
    "comment.cosign_withdrawn": {"carries": ["comment", "cosigners"], "data": "comment_id, group, count"},
    "comment.scan_attached": {"carries": [], "data": "comment_id, scan_sha256, content_type, replaced (not sent "
                                                     "live: staff only)"},
    "comment.flagged": {"carries": ["comment"], "data": "comment_id, flag_id, reason_hmac (earlier: reason_sha256)"},
    "comment.hidden": {"carries": ["comment"], "data": "comment_id, reason_sha256, flags_handled"},
    "comment.unhidden": {"carries": ["comment"], "data": "comment_id, reason_sha256"},
    "comment.flags_dismissed": {"carries": [], "data": "comment_id, reason_sha256, flags_handled"},
    "comment.redacted": {"carries": ["comment"], "data": "comment_id, reason_sha256, removed_sha256 (plain digests "
                                                         "of texts from before salts), removed_hmac"},
    "comment.reopened": {"carries": ["comment"], "data": "comment_id, reopening_id, resolution_id, reason_hmac "
                                                         "(earlier: reason_sha256)"},
    "comment.reviewed": {"carries": ["comment"], "data": "comment_id, version, resolves"},
    "campaign.proposed": {"carries": ["campaign", "representative"], "data": "campaign_id, representative_id, comment_ids, unique_comment_ids "
                                                 "(recorded by the grouping job: no actor)"},
    "campaign.grouped": {"carries": ["campaign", "representative"], "data": "campaign_id, comment_ids, unique_comment_ids (copies that joined; "
                                                "no actor)"},
    "campaign.left": {"carries": ["campaign", "representative", "comments"], "data": "campaign_id, comment_ids, representative_id, dissolved, "
                                               "reason (edited: the comment is grouped again with its new text; "
                                               "no actor)"},
    "campaign.confirmed": {"carries": [], "data": "campaign_id"},
    "campaign.split": {"carries": [], "data": "campaign_id, comment_ids, representative_id, dissolved"},
    "campaign.answered": {"carries": [], "data": "campaign_id, batch_id, disposition, rationale_hmac, version, "
                                                 "comment_ids, skipped_comment_ids, rationale_es_hmac (when given)"},
    "resolution.recorded": {"carries": ["comment", "resolution"],
                            "data": "resolution_id, comment_id, disposition, rationale_hmac (earlier: "
                                    "rationale_sha256), version, batch_id, "
                                    "supersedes, rationale_es_hmac (when a Spanish answer was given)"},
    "resolution.redacted": {"carries": ["comment"],
                            "data": "comment_id, resolution_id, reason_sha256, removed_sha256, removed_hmac"},
    "meeting.created": {"carries": ["meeting"], "data": "meeting_id, title_sha256, agenda"},
    "meeting.started": {"carries": ["meeting"], "data": "meeting_id, started_at"},
    "meeting.focus": {"carries": ["meeting"], "data": "meeting_id, clause_id"},
    "meeting.hand_raised": {"carries": ["meeting"], "data": "meeting_id, request_id, user_id"},
    "meeting.hand_lowered": {"carries": ["meeting"], "data": "meeting_id, request_id, user_id"},
    "meeting.speaker_called": {"carries": ["meeting"],
                               "data": "meeting_id, request_id, user_id (null: nobody left waiting)"},
    "meeting.silent_round_started": {"carries": ["meeting"], "data": "meeting_id, round_id, clause_id"},
    "meeting.silent_round_revealed": {"carries": ["meeting", "comments"],
                                      "data": "meeting_id, round_id, clause_id, comment_ids"},
    "meeting.joined": {"carries": ["meeting"],
                       "data": "meeting_id, attendance_id, source (live or hand), user_id, group, name_sha256 (hand)"},
    "meeting.left": {"carries": ["meeting"], "data": "meeting_id, attendance_id, source, user_id, left_at"},
    "meeting.ended": {"carries": ["meeting"], "data": "meeting_id, ended_at, attendance_closed"},
    "user.created": {"carries": [], "data": "user_id, role, group (not sent to document rooms)"},
    "user.updated": {"carries": [], "data": "user_id, name_changed, role, group, is_active: those changed "
                                            "(not sent to document rooms)"},
    "document.updated": {"carries": [], "data": "title_sha256, visibility: those changed"},
    "mail.retried": {"carries": [], "data": "mail_id (not sent to document rooms)"},
    "mail.test_requested": {"carries": [], "data": "requested_by (not sent to document rooms)"},
    # Accounts (none sent to document rooms; ids and digests only, never names or addresses).
    "user.signed_up": {"carries": [], "data": "user_id, group, needs_approval"},
    "user.email_verified": {"carries": [], "data": "user_id"},
    "user.email_changed": {"carries": [], "data": "user_id"},
    "user.password_reset": {"carries": [], "data": "user_id"},
    "user.profile_updated": {"carries": [], "data": "user_id and what changed: name_changed, language, show_name, "
                                                    "organisation_changed, password_changed, email_change_requested"},
    "user.approved": {"carries": [], "data": "user_id"},
    "user.organisation_verified": {"carries": [], "data": "user_id, verified"},
    "user.data_exported": {"carries": [], "data": "user_id, export_sha256"},
    "user.deleted": {"carries": [], "data": "user_id, group"},
    "group.updated": {"carries": [], "data": "group, is_open_to_sign_up, needs_approval"},
    "invitation.created": {"carries": [], "data": "invitation_id, group, role"},
    "invitation.resent": {"carries": [], "data": "invitation_id"},
    "invitation.withdrawn": {"carries": [], "data": "invitation_id"},
    "invitation.accepted": {"carries": [], "data": "invitation_id, user_id"},
    "meeting.starting_soon": {"carries": [], "data": "meeting_id, starts_at, hours (1; recorded once by the "
                                                     "notifier)"},
    "period.closing_soon": {"carries": [], "data": "period_id, closes_at, hours (48 or 2; recorded once by the "
                                                   "notifier)"},
}
LIVE_NOTICES = {
    "presence": "{document_id, presence: [{user_id, name, group}], anonymous} when people join or leave a room: "
                "signed-in people (name null for those who show only their group), and how many readers "
                "without an account are there (never who).",
    "meeting.silent_round_progress": "{document_id, meeting_id, round_id, comment_count}: how many comments a "
                                     "silent round holds (a notice, not a logged event).",
    "notification": "One Notification (as GET /me/notifications shows it), sent only to its owner's sockets "
                    "(room user:<id>, joined at connect).",
}



# --- The live channel's client events -------------------------------------------------------
# What a client may emit on the default namespace, with its payload and acknowledgement, so a
# script can do all that the pages do. The namespace handles `a.b` in `on_a_b`
# (collab/realtime/handlers.py and meetings.py); tests/test_openapi.py fails when a handler is
# not described here, and checks real acknowledgements against these schemas.

def _live_ok(description: str, properties: dict | None = None) -> dict:
    properties = properties or {}
    return {"type": "object", "description": description, "required": ["ok", *properties],
            "properties": {"ok": {"const": True}, **properties}}


LIVE_REFUSED = {
    "type": "object", "description": "The event changed nothing. `unauthenticated` also closes the socket "
                                     "(credential revoked, user deactivated).",
    "required": ["ok", "error"],
    "properties": {"ok": {"const": False}, "error": SCHEMAS["Error"]["properties"]["error"]},
}
LIVE_PRESENCE = {"type": "array", "description": "Who is in the document's room, each person once, by name.",
                 "items": {"type": "object", "required": ["user_id", "name", "group"],
                           "properties": {"user_id": {"type": "integer"}, "name": {"type": "string"},
                                          "group": {"type": "string", "description": "The group's slug."}}}}
LIVE_CATCH_UP = {
    "head": {"type": "integer", "minimum": 0, "description": "The log's last seq as of the join."},
    "head_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "presence": LIVE_PRESENCE,
    "missed": {"type": "array", "items": ref("Event"),
               "description": f"With `since`: the document's events after it (at most {CATCH_UP_MAX:,}, oldest "
                              "first), each as the live channel sends it (the Event plus the objects listed in "
                              "x-live-events, as GET shows them now). Without `since`: empty."},
}
LIVE_SINCE = {"type": "integer", "minimum": 0, "description": "The last seq this client has applied."}
LIVE_MEETING_ID = {"meeting_id": {"type": "integer"}}
LIVE_MEETING_ACK = {"meeting": ref("Meeting")}


def _client_event(summary: str, payload: dict | None, ack: dict | None, *, description: str = "",
                  http: str | None = None, records: list[str] | None = None) -> dict:
    described = {"summary": summary, "payload": payload or {"type": "null"},
                 "ack": {"oneOf": [ack, LIVE_REFUSED]} if ack else None}
    if description:
        described["description"] = description
    if http:
        described["same_as"] = http
    described["records"] = records or []
    return described


def _object(required: list[str], properties: dict) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def live_client_events() -> dict:
    """What a client may emit, keyed by Socket.IO event name (`x-live-client-events`)."""
    comment_create = SCHEMAS["CommentCreate"]
    return {
        "connect": _client_event(
            "Open the connection", {"type": ["object", "null"], "properties": {"token": {"type": "string"}},
                                    "description": "Socket.IO's `auth`: an API token; without it, the browser's "
                                                   "session cookie is used."},
            None, description="Refused (connect_error `unauthorized`) without valid credentials; connections "
                              "from a foreign Origin are refused. The credential is checked again at every event."),
        "disconnect": _client_event(
            "Close the connection", None, None,
            description="Leaves every room (presence is sent to them). Attendance at a meeting ends when the "
                        "person's last socket on it is gone for longer than the grace time (MEETING_GRACE_SECONDS)."),
        "join": _client_event(
            "Enter a document's room", _object(["document_id"], {"document_id": {"type": "integer"},
                                                                  "since": LIVE_SINCE}),
            _live_ok("In the room: every committed event of the document arrives from now on.", LIVE_CATCH_UP),
            description="Join first, then read: an event committed meanwhile is in `missed` and may also arrive "
                        "live; apply events in seq order and ignore a seq already applied. Unknown document: "
                        "not_found."),
        "leave": _client_event(
            "Leave a document's room", _object(["document_id"], {"document_id": {"type": "integer"}}),
            _live_ok("Out of the room.")),
        "comment.create": _client_event(
            "Comment on a clause, or reply in a thread",
            {**comment_create, "required": ["clause_id", *comment_create["required"]],
             "properties": {"clause_id": {"type": "integer"}, **comment_create["properties"],
                            "idempotency_key": {"type": ["string", "null"], "maxLength": IDEMPOTENCY_KEY_MAX,
                                                "description": "The same key and body again answer the first "
                                                               "comment; another body: idempotency_key_reused."}}},
            _live_ok("The comment (the first one again for a repeated idempotency_key).",
                     {"comment": ref("Comment")}),
            description="The errors of POST /clauses/{clause_id}/comments, as codes; too many in a short time "
                        "(COMMENT_RATE_LIMIT, per person): rate_limited.",
            http="createComment", records=["comment.created"]),
        "meeting.join": _client_event(
            "Be present at a meeting (and enter its document's room)",
            _object(["meeting_id"], {**LIVE_MEETING_ID, "since": LIVE_SINCE}),
            _live_ok("The meeting, and the document room's catch-up as for `join`.",
                     {**LIVE_MEETING_ACK, **LIVE_CATCH_UP}),
            description="While the meeting is live this opens an attendance interval, or continues the person's "
                        "open one (another tab, or back within the grace time). People on a scheduled meeting's "
                        "page are present from its start. Unknown meeting: meeting_not_found.",
            records=["meeting.joined"]),
        "meeting.leave": _client_event(
            "Leave a meeting on purpose", _object(["meeting_id"], LIVE_MEETING_ID), _live_ok("Left."),
            description="The attendance interval ends now (no grace time) once the person's last socket on the "
                        "meeting has left; the socket also leaves the document's room.",
            records=["meeting.left"]),
        "meeting.raise_hand": _client_event(
            "Ask to speak", _object(["meeting_id"], LIVE_MEETING_ID), _live_ok("The meeting.", LIVE_MEETING_ACK),
            http="raiseHand", records=["meeting.hand_raised"]),
        "meeting.lower_hand": _client_event(
            "Leave the speaker queue, or finish speaking",
            _object(["meeting_id"], {**LIVE_MEETING_ID, "user_id": {
                "type": ["integer", "null"], "description": "Whose hand (admins and facilitators); default: "
                                                            "one's own."}}),
            _live_ok("The meeting.", LIVE_MEETING_ACK), http="lowerHand", records=["meeting.hand_lowered"]),
        "meeting.focus": _client_event(
            "Lead everyone to a clause (admins, facilitators)",
            _object(["meeting_id", "clause_id"], {**LIVE_MEETING_ID, "clause_id": {"type": "integer"}}),
            _live_ok("The meeting.", LIVE_MEETING_ACK), http="focusClause", records=["meeting.focus"]),
        "meeting.next_speaker": _client_event(
            "Give the floor to the next in the queue (admins, facilitators)",
            _object(["meeting_id"], LIVE_MEETING_ID), _live_ok("The meeting.", LIVE_MEETING_ACK),
            http="callNextSpeaker", records=["meeting.speaker_called"]),
    }


def _live_description() -> str:
    lines = ["Live channel (Socket.IO, default namespace): connect with the session cookie or `auth: {token}`, "
             "or without credentials to follow public documents read-only (a write, or a `join` on an invited "
             "document, answers `{ok: false, error: {code: unauthenticated}}`; `join` also tells `anonymous`, "
             "how many readers without an account are there). "
             "A client emits these events (payloads and acknowledgements in x-live-client-events); each "
             "acknowledgement is `{ok: true, ...}` or `{ok: false, error: {code, message}}`:"]
    for name, event in live_client_events().items():
        if event["ack"] is not None:
            payload = ", ".join(f"{key}{'' if key in event['payload'].get('required', []) else '?'}"
                                for key in event["payload"].get("properties", {}))
            lines.append(f"- `{name} {{{payload}}}`: {event['summary']}")
    lines.append("Every committed event of a joined document arrives under its action with the Event as payload "
                 "(x-live-events) plus:")
    for action, spec in LIVE_EVENTS.items():
        if spec["carries"]:
            lines.append(f"- `{action}`: " + ", ".join(f"`{name}`" for name in spec["carries"]))
    lines.append("Also sent: " + "; ".join(f"`{name}` {text}" for name, text in LIVE_NOTICES.items()))
    return "\n".join(lines)


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
                _live_description(),
            ]),
        },
        "x-live-events": {action: {"payload": "Event" + "".join(f" + {name}" for name in spec["carries"]),
                                   "data": spec["data"]} for action, spec in LIVE_EVENTS.items()},
        "x-live-notices": LIVE_NOTICES,
        "x-live-client-events": live_client_events(),
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "Auth and users"}, {"name": "Documents and periods"}, {"name": "Comments"},
                 {"name": "Resolutions and concerns"}, {"name": "Moderation"}, {"name": "Versions and drafts"},
                 {"name": "Translations"}, {"name": "Meetings"}, {"name": "Audit log"}, {"name": "Mail"},
                 {"name": "Accounts"}, {"name": "Coverage"}, {"name": "Notifications"},
                 {"name": "Equity, summaries and adoption"}, {"name": "Campaigns"}, {"name": "Meta"}],
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
