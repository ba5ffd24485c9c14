from flask import jsonify, request

from ..reads.audit import EVENTS_PAGE_MAX, list_events
from ..reads.paging import decode_cursor, encode_cursor
from ..reads.access import readable_document, require_account
from ..parsing import optional_int
from .blueprint import api
from .helpers import actor, viewer
from flask_babel import lazy_gettext as _l


@api.get("/events")
def list_events_view():
    document_id = optional_int(request.args.get("document_id") or None, "document_id")
    # The whole log spans invited documents too; one public document's events are for anyone.
    if document_id is None:
        require_account(viewer())
    else:
        readable_document(viewer(), document_id)
    # `after` (a seq) and `cursor` (from `next`) are the same key: events are paged by seq.
    cursor = decode_cursor(request.args.get("cursor"), "events")
    after = cursor[0] if cursor else optional_int(request.args.get("after") or None, "after") or 0
    limit = optional_int(request.args.get("limit") or None, "limit") or 100
    events, head = list_events(document_id=document_id, after=after, limit=limit)
    full_page = events and len(events) >= max(1, min(limit, EVENTS_PAGE_MAX))
    return jsonify(events=events, head=head, next=encode_cursor("events", [events[-1]["seq"]]) if full_page else None)


@api.get("/events/checkpoints")
def list_checkpoints_view():
    from ..reads.audit import list_checkpoints

    # Public, like the checkpoints page: chain heads hold no content.
    return jsonify(checkpoints=list_checkpoints())


@api.get("/events/verify")
def verify_events_view():
    from ..audit import verify_database
    from ..permissions import can_administer, require

    user = actor()
    require(can_administer(user), user, _l("Only administrators run the verification."))
    return jsonify(verify_database().to_dict())
