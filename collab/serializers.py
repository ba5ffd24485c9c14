"""The dict shapes shared by the JSON API, the pages and the live channel."""
from __future__ import annotations


from sqlalchemy import func, select

from .audience import names_visible, shown_email, shown_name
from .extensions import db
from .models import (Attendance, Comment, CommentPeriod, Group, MeetingFocus, SilentRound, SpeakerRequest,
                     User)
from .models.meetings import grace_period
from .models.users import default_show_name
from .timeutil import isoformat, utcnow


def group_to_dict(group: Group) -> dict:
    return {"slug": group.slug, "name": group.name, "is_open_to_sign_up": group.is_open_to_sign_up,
            "needs_approval": group.needs_approval}


def user_to_dict(user: User) -> dict:
    """An account: `email` only for administrators and the person themself (else null),
    `name` as the viewer may see it (see collab.audience)."""
    name = shown_name(user)
    return {
        "id": user.id,
        "email": None if user.deleted_at else shown_email(user),
        "name": name,
        "role": user.role,
        "group": user.group.slug,
        "is_active": user.is_active,
        "email_verified": user.email_verified_at is not None,
        "approval_status": user.approval_status,
        "language": user.language,
        "show_name": user.show_name,
        # The organisation goes with the name: it could tell who someone showing only their group is.
        "organisation": user.organisation if name is not None else None,
        "organisation_verified": user.organisation_verified_at is not None,
    }


def author_to_dict(user: User) -> dict:
    """A person as others see them: `name` is null when they show only their group; a verified
    organisation (a badge) only beside a name the viewer sees."""
    name = shown_name(user)
    author = {"id": user.id, "name": name, "group": user.group.slug, "group_name": user.group.name}
    if name is not None and user.organisation_verified_at and user.organisation:
        author["organisation"] = user.organisation
    return author


REDACTED_TEXT = "[Redacted by the district]"


def resolution_to_dict(resolution, contested: bool = False) -> dict:
    """A resolution as GET shows it. `contested`: the comment's author said it does not
    address their concern (the comment was reopened after it)."""
    return {
        "id": resolution.id,
        "comment_id": resolution.comment_id,
        "disposition": resolution.disposition,
        "rationale": REDACTED_TEXT if resolution.redacted_at else resolution.rationale,
        "rationale_redacted": resolution.redacted_at is not None,
        "rationale_es": None if resolution.redacted_at else resolution.rationale_es,
        "version": resolution.version,
        # "Changed in the next version", promised before that version was published.
        "version_pending": resolution.is_version_pending,
        "batch_id": resolution.batch_id,
        "recorded_at": isoformat(resolution.recorded_at),
        "recorded_by": {"id": resolution.recorded_by.id, "name": shown_name(resolution.recorded_by),
                        "group": resolution.recorded_by.group.slug},
        "seq": resolution.seq,
        "contested": contested,
    }


def current_resolution_dict(comment: Comment) -> dict | None:
    """The comment's latest resolution with the size of its history (resolutions are
    loaded with the comments in one query, see Comment.resolutions)."""
    if not comment.resolutions:
        return None
    latest = comment.resolutions[-1]
    contested = comment.reopened_at is not None and comment.reopened_at >= latest.recorded_at
    return {**resolution_to_dict(latest, contested), "history_count": len(comment.resolutions)}


def comment_to_dict(comment: Comment) -> dict:
    """A comment as GET shows it to everyone: a hidden comment shows no text; a
    redacted one shows a marker instead of every text it had."""
    hidden = comment.status == "hidden"
    redacted = comment.redacted_at is not None

    def text(value):
        if hidden:
            return None
        if redacted:
            return REDACTED_TEXT if value is not None else None
        return value

    return {
        "id": comment.id,
        "document_id": comment.document_id,
        "clause_id": comment.clause_id,
        "coverage_item_id": comment.coverage_item_id,
        "version": comment.version,
        "parent_id": comment.parent_id,
        "author": author_to_dict(comment.author),
        "kind": comment.kind,
        "language": comment.language,
        "body": text(comment.body),
        "quote": text(comment.quote),
        "suggested_text": text(comment.suggested_text),
        "status": comment.status,
        "is_hidden": hidden,
        "is_redacted": redacted,
        "created_at": isoformat(comment.created_at),
        "edited_at": isoformat(comment.edited_at),
        "reopened_at": isoformat(comment.reopened_at),
        "seq": comment.seq,
        "resolution": current_resolution_dict(comment),
        "cosigners": cosigners_to_dict(comment),
        "entered_by": entered_by_to_dict(comment),
        "source": comment.source,
        **comment_place_to_dict(comment),
    }


def cosigners_to_dict(comment: Comment) -> dict:
    """{count, by_group: {slug: n}} from the aggregates the co-signing service keeps."""
    if not comment.cosigner_count:
        return {"count": 0, "by_group": {}}
    return {"count": comment.cosigner_count,
            "by_group": {row.group.slug: row.count for row in comment.cosigner_groups if row.count}}


def entered_by_to_dict(comment: Comment) -> dict | None:
    """The staff member who entered the comment for its author (from a letter, call, meeting
    or e-mail), else None; the name as the viewer may see it (see collab.audience)."""
    if comment.entered_by_id is None:
        return None
    staff = comment.entered_by
    return {"id": staff.id, "name": shown_name(staff)}


def flag_to_dict(flag) -> dict:
    """A flag as moderators see it (flag reasons are shown to moderators only)."""
    return {
        "id": flag.id,
        "comment_id": flag.comment_id,
        "reason": flag.reason,
        "flagged_by": {"id": flag.flagged_by.id, "name": shown_name(flag.flagged_by),
                       "group": flag.flagged_by.group.slug},
        "created_at": isoformat(flag.created_at),
        "handled_at": isoformat(flag.handled_at),
        "outcome": flag.outcome,
    }


def comment_place_to_dict(comment: Comment) -> dict:
    """Where a comment stands in the newest version it was carried onto: the version it
    was written on, whether it was carried forward, and where its quote is now
    (`anchor.status` exact, moved, fuzzy, or lost: the passage it was about changed)."""
    placements = getattr(comment, "placements", None) or []
    latest = placements[-1] if placements else None
    carried = latest is not None and latest.version > comment.version
    anchor = None
    if comment.quote and comment.status != "hidden":
        if latest is not None and latest.anchor_status:
            anchor = {"status": latest.anchor_status, "start": latest.anchor_start,
                      "end": latest.anchor_end, "version": latest.version}
        else:
            anchor = {"status": "exact", "start": None, "end": None, "version": comment.version}
    review = None
    if carried and latest.author_answered_at is not None:
        review = {"version": latest.version, "resolves": latest.author_says_resolved,
                  "at": isoformat(latest.author_answered_at)}
    return {
        "written_on_version": comment.version,
        "shown_on_version": latest.version if latest is not None else comment.version,
        "carried_forward": carried,
        "clause_removed": latest is not None and not latest.is_clause_present,
        "clause_changed": carried and any(p.is_clause_changed for p in placements if p.version > comment.version),
        "anchor": anchor,
        "author_review": review,
    }


def version_to_dict(version) -> dict:
    return {"number": version.number, "note": version.note, "published_at": isoformat(version.published_at),
            "published_by": version.published_by_id}


def period_to_dict(period: CommentPeriod) -> dict:
    return {
        "id": period.id,
        "document_id": period.document_id,
        "opens_at": isoformat(period.opens_at),
        "closes_at": isoformat(period.closes_at),
        "is_open": period.is_open_at(utcnow()),
        "closed_early_at": isoformat(period.closed_early_at),
    }


def checkpoint_to_dict(checkpoint) -> dict:
    return {"seq": checkpoint.seq, "at": isoformat(checkpoint.at), "head_hash": checkpoint.head_hash,
            "reason": checkpoint.reason, "document_id": checkpoint.document_id}


def person_to_dict(user: User) -> dict:
    return {"user_id": user.id, "name": shown_name(user), "group": user.group.slug, "group_name": user.group.name}


def speaker_request_to_dict(hand) -> dict:
    return {**person_to_dict(hand.user), "request_id": hand.id, "status": hand.status,
            "raised_at": isoformat(hand.raised_at), "called_at": isoformat(hand.called_at),
            "finished_at": isoformat(hand.finished_at)}


def attendance_to_dict(interval, left_at, is_present: bool) -> dict:
    """One attendance interval; `left_at` is where it ends as of now (a drop past the grace time)."""
    # People who came online show as they chose; people noted by hand (without an account,
    # so without a choice) as their group's default.
    name = shown_name(interval.user) if interval.user is not None else (
        interval.name if names_visible() or default_show_name(interval.group.slug) else None)
    return {"id": interval.id, "user_id": interval.user_id, "name": name,
            "group": interval.group.slug, "group_name": interval.group.name, "source": interval.source,
            "joined_at": isoformat(interval.joined_at), "left_at": isoformat(left_at),
            "is_present": is_present,
            "is_reconnecting": is_present and interval.disconnected_at is not None}


def _effective_end(interval, now, grace):
    """Where an attendance interval ends as of `now`: a drop older than the grace time ends it."""
    if interval.left_at is not None:
        return interval.left_at
    if interval.disconnected_at is not None and now - interval.disconnected_at > grace:
        return interval.disconnected_at
    return None


def _seconds_per_clause(meeting, focus_rows, now) -> dict[int, float]:
    spent: dict[int, float] = {}
    for row in focus_rows:
        end = row.ended_at or meeting.ended_at or now
        spent[row.clause_id] = spent.get(row.clause_id, 0.0) + max(0.0, (end - row.focused_at).total_seconds())
    return spent


def meeting_view(meeting, now=None) -> dict:
    """A meeting as GET /meetings/{id} shows it: agenda with time spent, focus and its
    history, speaker queue, silent rounds and attendance. The same object rides on
    every meeting event."""
    now = now or utcnow()
    grace = grace_period()
    focus_rows = list(db.session.execute(
        select(MeetingFocus).where(MeetingFocus.meeting_id == meeting.id).order_by(MeetingFocus.id)).scalars())
    hands = list(db.session.execute(
        select(SpeakerRequest).where(SpeakerRequest.meeting_id == meeting.id,
                                     SpeakerRequest.status.in_(("waiting", "speaking")))
        .order_by(SpeakerRequest.id)).scalars())
    rounds = list(db.session.execute(
        select(SilentRound).where(SilentRound.meeting_id == meeting.id).order_by(SilentRound.id)).scalars())
    round_counts = dict(db.session.execute(
        select(Comment.silent_round_id, func.count()).where(Comment.meeting_id == meeting.id,
                                                            Comment.silent_round_id.is_not(None))
        .group_by(Comment.silent_round_id)).all())
    intervals = list(db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)).scalars())
    spent = _seconds_per_clause(meeting, focus_rows, now)
    current = next((f for f in focus_rows if f.ended_at is None), None) if meeting.status == "live" else None
    open_round = next((r for r in rounds if r.revealed_at is None), None)
    speaker = next((h for h in hands if h.status == "speaking"), None)
    attendance = []
    for interval in intervals:
        end = _effective_end(interval, now, grace)
        attendance.append(attendance_to_dict(interval, end, end is None and meeting.status == "live"))
    creator = db.session.get(User, meeting.created_by_id)

    def round_dict(r):
        return {"id": r.id, "clause_id": r.clause_id, "started_at": isoformat(r.started_at),
                "revealed_at": isoformat(r.revealed_at), "comment_count": round_counts.get(r.id, 0)}

    return {
        "id": meeting.id,
        "document_id": meeting.document_id,
        "title": meeting.title,
        "status": meeting.status,
        "created_by": person_to_dict(creator) if creator else None,
        "created_at": isoformat(meeting.created_at),
        "starts_at": isoformat(meeting.starts_at),
        "started_at": isoformat(meeting.started_at),
        "ended_at": isoformat(meeting.ended_at),
        "as_of": isoformat(now),
        "agenda": [{"id": item.id, "position": item.position, "clause_id": item.clause_id,
                    "minutes": item.minutes, "seconds_spent": round(spent.get(item.clause_id, 0.0), 1)}
                   for item in meeting.agenda],
        "focus": {"clause_id": current.clause_id, "since": isoformat(current.focused_at)} if current else None,
        "focus_history": [{"clause_id": f.clause_id, "focused_at": isoformat(f.focused_at),
                           "ended_at": isoformat(f.ended_at or meeting.ended_at)} for f in focus_rows],
        "speaker": speaker_request_to_dict(speaker) if speaker else None,
        "queue": [speaker_request_to_dict(h) for h in hands if h.status == "waiting"],
        "silent_round": round_dict(open_round) if open_round else None,
        "silent_rounds": [round_dict(r) for r in rounds],
        "attendance": attendance,
        "present_count": sum(1 for a in attendance if a["is_present"]),
        "end_checkpoint_seq": meeting.end_seq,
    }
