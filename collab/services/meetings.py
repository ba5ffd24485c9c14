"""Facilitated meetings: lifecycle, focus, speaker queue, silent rounds and attendance.

Every meeting event goes to the document's room and carries the meeting as GET
shows it (`meeting`), so a client replaces its state without a second request.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select

from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..events import attach_live, record_checkpoint, record_event, text_digest, transaction
from ..extensions import db
from ..models import (AgendaItem, Attendance, Comment, Meeting, MeetingFocus, SilentRound, SpeakerRequest,
                      User)
from ..permissions import can_comment, can_read, can_run_meetings, require
from ..serializers import meeting_view
from ..timeutil import isoformat, parse_iso, utcnow
from ..models.lookups import clause_texts, current_clause_text, get_document, get_meeting
from ..models.meetings import grace_period
from .users import _group_by_slug
from ..parsing import optional_int, required_text
from flask_babel import lazy_gettext as _l

TITLE_MAX = 300
NAME_MAX = 120
AGENDA_MAX_ITEMS = 200
ITEM_MINUTES_MAX = 480
# --- reading ----------------------------------------------------------------

def _require_live(meeting: Meeting) -> None:
    if meeting.status != "live":
        message = ((_l("This meeting has not started yet.") if meeting.status == "scheduled" else _l("This meeting has ended.")))
        raise Conflict(message, "meeting_not_live")


def _record(action: str, actor: User | None, meeting: Meeting, data: dict, live: dict | None = None,
            *, with_view: bool = True):
    """Record a meeting event whose broadcast carries the meeting as it stands after this change
    (`with_view=False`: the caller attaches it once after several events)."""
    event = record_event(action, actor, f"meeting:{meeting.id}", {"meeting_id": meeting.id, **data},
                         document_id=meeting.document_id, live=live)
    if with_view:
        _attach_view(meeting, [event])
    return event


def _attach_view(meeting: Meeting, events: list) -> None:

    db.session.flush()
    view = meeting_view(meeting)
    for event in events:
        attach_live(event, {"meeting": view})


# --- lifecycle --------------------------------------------------------------

def _valid_agenda(document, agenda: object) -> list[tuple[int, int]]:
    if agenda is None:
        return []
    if not isinstance(agenda, list):
        raise Invalid(_l("agenda must be a list of {clause_id, minutes}."), "invalid_agenda")
    if len(agenda) > AGENDA_MAX_ITEMS:
        raise Invalid(_l("An agenda has at most %(agenda_max_items)s items.", agenda_max_items=AGENDA_MAX_ITEMS), "invalid_agenda")
    clause_ids = {t.clause_id for t in clause_texts(document)}
    items, seen = [], set()
    for index, item in enumerate(agenda, start=1):
        if not isinstance(item, dict):
            raise Invalid(_l("Agenda item %(index)s must be an object with clause_id and minutes.", index=index), "invalid_agenda")
        clause_id = optional_int(item.get("clause_id"), "clause_id")
        if clause_id not in clause_ids:
            raise Invalid(_l("Agenda item %(index)s: the clause is not in this document's current version.", index=index),
                          "invalid_agenda")
        if clause_id in seen:
            raise Invalid(_l("Agenda item %(index)s: this clause is on the agenda twice.", index=index), "invalid_agenda")
        seen.add(clause_id)
        minutes = optional_int(item.get("minutes"), "minutes")
        if minutes is None or not 1 <= minutes <= ITEM_MINUTES_MAX:
            raise Invalid(_l("Agenda item %(index)s: minutes must be a whole number from 1 to %(item_minutes_max)s.", index=index, item_minutes_max=ITEM_MINUTES_MAX),
                          "invalid_agenda")
        items.append((clause_id, minutes))
    return items


def create_meeting(actor: User, document_id: int, *, title, agenda=None, starts_at=None) -> Meeting:
    """Plan a meeting on a document: a title, an agenda (clauses in order, minutes each) and
    optionally when it starts (in the future). Admins and facilitators. Records `meeting.created`."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators run meetings."))
    title = required_text(title, "title", TITLE_MAX)
    if starts_at not in (None, ""):
        starts_at = parse_iso(starts_at, "starts_at")
        if starts_at <= utcnow():
            raise Invalid(_l("starts_at must be in the future."), "invalid_starts_at")
    else:
        starts_at = None
    with transaction():
        document = get_document(document_id)
        items = _valid_agenda(document, agenda)
        meeting = Meeting(document_id=document.id, title=title, status="scheduled", created_by_id=actor.id,
                          created_at=utcnow(), starts_at=starts_at)
        db.session.add(meeting)
        db.session.flush()
        for position, (clause_id, minutes) in enumerate(items):
            db.session.add(AgendaItem(meeting_id=meeting.id, position=position, clause_id=clause_id,
                                      minutes=minutes))
        db.session.flush()
        db.session.refresh(meeting, ["agenda"])
        _record("meeting.created", actor, meeting, {
            "title_sha256": text_digest(title),
            "agenda": [{"clause_id": c, "minutes": m} for c, m in items]})
    return meeting


def _nobody_connected(_meeting_id: int) -> Iterable[int]:
    return ()


def start_meeting(actor: User, meeting_id: int,
                  connected_user_ids: Callable[[int], Iterable[int]] = _nobody_connected) -> Meeting:
    """Open a planned meeting: commenting on its document is allowed while it is live.
    Admins and facilitators; one live meeting per document. Records `meeting.started`, then
    `meeting.joined` for each person already on the meeting's page: `connected_user_ids(meeting_id)`
    names them (the live channel's registry), asked once the meeting is locked, so that
    someone arriving meanwhile is either named here or finds the meeting live when joining."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators run meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        if meeting.status != "scheduled":
            raise Conflict((_l("This meeting has already started.") if meeting.status == "live" else _l("This meeting has ended.")), "meeting_not_scheduled")
        other = db.session.execute(select(Meeting.id).where(
            Meeting.document_id == meeting.document_id, Meeting.status == "live")).first()
        if other:
            raise Conflict(_l("Another meeting on this document is live; end it first."), "meeting_already_live")
        meeting.status = "live"
        meeting.started_at = utcnow()
        events = [_record("meeting.started", actor, meeting, {"started_at": isoformat(meeting.started_at)},
                          with_view=False)]
        # People already on the meeting's page are present from the start. Every event of
        # the start carries the meeting as it stands at the end (one read, not one per person).
        for user_id in sorted(set(connected_user_ids(meeting.id))):
            person = db.session.get(User, user_id)
            if person is not None and can_read(person):
                events += _open_live_interval_for(meeting, person, meeting.started_at, with_view=False)
        _attach_view(meeting, events)
    return meeting


def end_meeting(actor: User, meeting_id: int) -> Meeting:
    """End a live meeting: an open silent round is revealed, the queue and attendance
    are closed. Admins and facilitators. Records `meeting.ended` and a checkpoint of the log."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators run meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        now = utcnow()
        round_ = _open_round(meeting)
        if round_ is not None:
            _reveal(actor, meeting, round_, now)
        _close_focus(meeting, now)
        for hand in _active_hands(meeting):
            hand.status = "done" if hand.status == "speaking" else "withdrawn"
            hand.finished_at = now
        closed = 0
        for interval in _open_intervals(meeting):
            interval.left_at = interval.disconnected_at or now
            closed += 1
        meeting.status = "ended"
        meeting.ended_at = now
        db.session.flush()
        _record("meeting.ended", actor, meeting, {"ended_at": isoformat(now), "attendance_closed": closed})
        checkpoint = record_checkpoint("meeting.ended", meeting.document_id)
        meeting.end_seq = checkpoint.seq
    return meeting


# --- focus ------------------------------------------------------------------

def _current_focus(meeting: Meeting) -> MeetingFocus | None:
    return db.session.execute(select(MeetingFocus).where(
        MeetingFocus.meeting_id == meeting.id, MeetingFocus.ended_at.is_(None))).scalars().first()


def _close_focus(meeting: Meeting, now: datetime) -> None:
    focus = _current_focus(meeting)
    if focus is not None:
        focus.ended_at = now


def _clause_of(meeting: Meeting, clause_id) -> int:
    clause_id = optional_int(clause_id, "clause_id")
    if clause_id is None:
        raise Invalid(_l("clause_id is required."), "invalid_clause_id")
    _clause, _text, document = current_clause_text(clause_id)
    if document.id != meeting.document_id:
        raise Invalid(_l("This clause belongs to another document."), "invalid_clause_id")
    return clause_id


def focus_clause(actor: User, meeting_id: int, clause_id) -> Meeting:
    """Lead the group to one clause: every participant's page follows it. Admins and
    facilitators, while the meeting is live. Records `meeting.focus` (none if already focused)."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators lead meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        clause_id = _clause_of(meeting, clause_id)
        current = _current_focus(meeting)
        if current is not None and current.clause_id == clause_id:
            return meeting
        now = utcnow()
        if current is not None:
            current.ended_at = now
        db.session.add(MeetingFocus(meeting_id=meeting.id, clause_id=clause_id, focused_by_id=actor.id,
                                    focused_at=now))
        _record("meeting.focus", actor, meeting, {"clause_id": clause_id})
    return meeting


# --- speaker queue ----------------------------------------------------------

def _active_hands(meeting: Meeting) -> list[SpeakerRequest]:
    return list(db.session.execute(select(SpeakerRequest).where(
        SpeakerRequest.meeting_id == meeting.id, SpeakerRequest.status.in_(("waiting", "speaking")))
        .order_by(SpeakerRequest.id)).scalars())


def raise_hand(actor: User, meeting_id: int) -> Meeting:
    """Ask to speak: join the end of the speaker queue. Participants, facilitators and
    admins, while the meeting is live. Records `meeting.hand_raised`."""
    require(can_comment(actor), actor, _l("Observers cannot ask to speak."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        if any(h.user_id == actor.id for h in _active_hands(meeting)):
            raise Conflict(_l("Your hand is already raised."), "hand_already_raised")
        hand = SpeakerRequest(meeting_id=meeting.id, user_id=actor.id, user=actor, status="waiting",
                              raised_at=utcnow())
        db.session.add(hand)
        db.session.flush()
        _record("meeting.hand_raised", actor, meeting, {"request_id": hand.id, "user_id": actor.id})
    return meeting


def lower_hand(actor: User, meeting_id: int, user_id=None) -> Meeting:
    """Leave the speaker queue (or finish speaking). One's own hand; admins and
    facilitators may lower anyone's. Records `meeting.hand_lowered`."""
    require(can_read(actor), actor, _l("Sign in first."))
    user_id = optional_int(user_id, "user_id") or actor.id
    if user_id != actor.id and not can_run_meetings(actor):
        raise Forbidden(_l("Only a facilitator can lower someone else's hand."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        hand = next((h for h in _active_hands(meeting) if h.user_id == user_id), None)
        if hand is None:
            raise Conflict(_l("This hand is not raised."), "hand_not_raised")
        hand.status = "done" if hand.status == "speaking" else "withdrawn"
        hand.finished_at = utcnow()
        _record("meeting.hand_lowered", actor, meeting, {"request_id": hand.id, "user_id": user_id})
    return meeting


def call_next_speaker(actor: User, meeting_id: int) -> Meeting:
    """Give the floor to the first person in the queue (the current speaker is done).
    Admins and facilitators. Records `meeting.speaker_called` (user_id null: floor open)."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators lead meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        hands = _active_hands(meeting)
        if not hands:
            raise Conflict(_l("Nobody is waiting to speak."), "queue_empty")
        now = utcnow()
        for hand in hands:
            if hand.status == "speaking":
                hand.status, hand.finished_at = "done", now
        waiting = [h for h in hands if h.status == "waiting"]
        speaker = waiting[0] if waiting else None
        if speaker is not None:
            speaker.status, speaker.called_at = "speaking", now
        _record("meeting.speaker_called", actor, meeting, {
            "request_id": speaker.id if speaker else None, "user_id": speaker.user_id if speaker else None})
    return meeting


# --- silent rounds ----------------------------------------------------------

def _open_round(meeting: Meeting) -> SilentRound | None:
    return db.session.execute(select(SilentRound).where(
        SilentRound.meeting_id == meeting.id, SilentRound.revealed_at.is_(None))).scalars().first()


def start_silent_round(actor: User, meeting_id: int, clause_id=None) -> SilentRound:
    """Collect comments on a clause (the focused one by default) unseen by others until
    the reveal. Admins and facilitators; one round at a time. Records `meeting.silent_round_started`."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators lead meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        if _open_round(meeting) is not None:
            raise Conflict(_l("A silent round is already open; reveal it first."), "silent_round_open")
        if clause_id is None:
            focus = _current_focus(meeting)
            if focus is None:
                raise Invalid(_l("Focus a clause first, or name the clause for the silent round."),
                              "invalid_clause_id")
            clause_id = focus.clause_id
        clause_id = _clause_of(meeting, clause_id)
        round_ = SilentRound(meeting_id=meeting.id, clause_id=clause_id, started_by_id=actor.id,
                             started_at=utcnow())
        db.session.add(round_)
        db.session.flush()
        _record("meeting.silent_round_started", actor, meeting, {"round_id": round_.id, "clause_id": clause_id})
    return round_


def _reveal(actor: User, meeting: Meeting, round_: SilentRound, now: datetime) -> list[Comment]:
    from ..serializers import comment_to_dict

    round_.revealed_at = now
    comments = list(db.session.execute(
        select(Comment).where(Comment.silent_round_id == round_.id).order_by(Comment.id)).scalars())
    db.session.flush()
    _record("meeting.silent_round_revealed", actor, meeting, {
        "round_id": round_.id, "clause_id": round_.clause_id, "comment_ids": [c.id for c in comments]},
        live={"comments": [comment_to_dict(c) for c in comments]})
    return comments


def reveal_silent_round(actor: User, meeting_id: int) -> list[Comment]:
    """Show everyone the open silent round's comments, all at once. Admins and
    facilitators. Records `meeting.silent_round_revealed`, whose broadcast carries the comments."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators lead meetings."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        round_ = _open_round(meeting)
        if round_ is None:
            raise Conflict(_l("No silent round is open."), "no_silent_round")
        comments = _reveal(actor, meeting, round_, utcnow())
    return comments


# --- attendance -------------------------------------------------------------

def _open_intervals(meeting: Meeting) -> list[Attendance]:
    return list(db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.left_at.is_(None)).order_by(Attendance.id)).scalars())


def record_attendance(actor: User, meeting_id: int, *, name, group) -> Attendance:
    """Note a person in the room who has no device (a name and a group), present from now.
    Admins and facilitators, while the meeting is live. Records `meeting.joined` (source hand)."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators record attendance."))
    name = required_text(name, "name", NAME_MAX)
    with transaction():
        grp = _group_by_slug(group)
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        interval = Attendance(meeting_id=meeting.id, user_id=None, name=name, group_id=grp.id, group=grp,
                              source="hand", recorded_by_id=actor.id, joined_at=utcnow())
        db.session.add(interval)
        db.session.flush()
        _record("meeting.joined", actor, meeting, {
            "attendance_id": interval.id, "source": "hand", "user_id": None,
            "name_sha256": text_digest(name), "group": grp.slug})
    return interval


def end_attendance(actor: User, meeting_id: int, attendance_id: int) -> Attendance:
    """Note that a person recorded by hand has left. Admins and facilitators.
    Records `meeting.left`."""
    require(can_run_meetings(actor), actor, _l("Only administrators and facilitators record attendance."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        _require_live(meeting)
        interval = db.session.get(Attendance, attendance_id)
        if interval is None or interval.meeting_id != meeting.id:
            raise NotFound(_l("No such attendance record in this meeting."), "attendance_not_found")
        if interval.source != "hand":
            raise Conflict(_l("Attendance from the live channel ends when the person leaves."), "attendance_live")
        if interval.left_at is not None:
            raise Conflict(_l("This person has already left."), "attendance_ended")
        interval.left_at = utcnow()
        _record("meeting.left", actor, meeting, {"attendance_id": interval.id, "source": "hand",
                                                  "left_at": isoformat(interval.left_at)})
    return interval


def _open_live_interval(meeting: Meeting, user_id: int) -> Attendance | None:
    return db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == user_id, Attendance.source == "live",
        Attendance.left_at.is_(None))).scalars().first()


def _close_interval(meeting: Meeting, interval: Attendance, left_at: datetime, *, with_view: bool = True):
    interval.left_at = left_at
    return _record("meeting.left", None, meeting, {"attendance_id": interval.id, "source": "live",
                                                   "user_id": interval.user_id, "left_at": isoformat(left_at)},
                   with_view=with_view)


def join_meeting(actor: User, meeting_id: int, now: datetime | None = None) -> Meeting:
    """Be present at a meeting through the live channel. Anyone signed in. While the
    meeting is live this opens an attendance interval, or continues the open one when
    the person comes back within the grace time. Records `meeting.joined` for a new interval."""
    require(can_read(actor), actor, _l("Sign in first."))
    now = now or utcnow()
    with transaction():
        # Locked before the status is read: a join racing the start waits for it and sees it live.
        meeting = get_meeting(meeting_id, for_update=True)
        if meeting.status == "live":
            _open_live_interval_for(meeting, actor, now)
    return meeting


def _open_live_interval_for(meeting: Meeting, person: User, now: datetime, *, with_view: bool = True) -> list:
    """Open (or continue) a person's live attendance interval; return the events recorded."""
    interval = _open_live_interval(meeting, person.id)
    events = []
    if interval is not None:
        if interval.disconnected_at is None:
            return events  # another tab or device of the same person
        if now - interval.disconnected_at <= grace_period():
            interval.disconnected_at = None  # back in time: one interval
            return events
        events.append(_close_interval(meeting, interval, interval.disconnected_at, with_view=with_view))
    interval = Attendance(meeting_id=meeting.id, user_id=person.id, name=person.name, group_id=person.group_id,
                          group=person.group, source="live", joined_at=now)
    db.session.add(interval)
    db.session.flush()
    events.append(_record("meeting.joined", person, meeting, {"attendance_id": interval.id, "source": "live",
                                                               "user_id": person.id, "group": person.group.slug},
                          with_view=with_view))
    return events


def mark_disconnected(user_id: int, meeting_id: int, now: datetime | None = None) -> None:
    """The person's last socket on the meeting dropped: their interval ends then, unless
    they come back within the grace time. Called by the live channel; no event yet."""
    with transaction():
        meeting = get_meeting(meeting_id)
        if meeting.status != "live":
            return
        interval = _open_live_interval(meeting, user_id)
        if interval is not None and interval.disconnected_at is None:
            interval.disconnected_at = now or utcnow()


def leave_meeting(actor: User, meeting_id: int) -> Meeting:
    """Leave a meeting on purpose (no grace time). Anyone present. Records `meeting.left`."""
    require(can_read(actor), actor, _l("Sign in first."))
    with transaction():
        meeting = get_meeting(meeting_id, for_update=True)
        if meeting.status != "live":
            return meeting
        interval = _open_live_interval(meeting, actor.id)
        if interval is not None:
            _close_interval(meeting, interval, utcnow())
    return meeting


def sweep_attendance(connected_user_ids, now: datetime | None = None) -> int:
    """Close the intervals of people gone longer than the grace time (closed laptops,
    lost networks, crashed server processes). `connected_user_ids(meeting_id)` names the
    people with a live socket on the meeting. Records `meeting.left` per closed interval;
    returns how many were closed."""
    now = now or utcnow()
    closed = 0
    live_ids = list(db.session.execute(select(Meeting.id).where(Meeting.status == "live")).scalars())
    db.session.commit()  # end the read snapshot
    for meeting_id in live_ids:
        with transaction():
            meeting = get_meeting(meeting_id, for_update=True)
            if meeting.status != "live":
                continue
            intervals = [i for i in _open_intervals(meeting) if i.source == "live"]
            if not intervals:
                continue
            present = set(connected_user_ids(meeting.id))
            for interval in intervals:
                if interval.disconnected_at is None and interval.user_id not in present:
                    interval.disconnected_at = now  # its socket vanished without a goodbye
                if interval.disconnected_at is not None and now - interval.disconnected_at > grace_period():
                    _close_interval(meeting, interval, interval.disconnected_at)
                    closed += 1
    return closed
