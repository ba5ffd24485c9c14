"""The agreement beyond its drafts: plain-language summaries of a version's clauses, adopting a
version, the signatures of the parties, the review date and its reminder, and the review draft
that starts the next cycle with the last cycle's unresolved and deferred concerns."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from ..drafts.readability import SUMMARY_WORD_LIMIT, readability
from ..errors import Conflict, Invalid, NotFound
from ..events import record_checkpoint, record_event, text_digest, transaction
from ..extensions import db
from ..models import (Adoption, CarriedConcern, ClauseSummary, ClauseText, Comment, Document, Event, Resolution,
                      Signature, User, Version)
from ..models.agreements import PARTIES
from ..models.lookups import clause_texts, get_document
from ..parsing import choice, optional_int, optional_text, required_text
from ..permissions import can_administer, require
from ..timeutil import utcnow
from flask_babel import lazy_gettext as _l

SUMMARY_MAX_CHARS = 3_000
NAME_MAX = 200
REMINDER_DAYS = 30


# --- plain-language summaries ------------------------------------------------------------

def _version(document_id: int, number) -> Version:
    document = get_document(document_id)
    number = optional_int(number, "version") or document.current_version
    version = db.session.execute(select(Version).where(
        Version.document_id == document.id, Version.number == number)).scalar_one_or_none()
    if version is None:
        raise NotFound(_l("Version %(number)s of this document does not exist.", number=number))
    return version


def write_clause_summary(actor: User, document_id: int, clause_id, *, text, version=None) -> ClauseSummary | None:
    """Write (or replace, or with an empty text remove) the plain-language summary of one clause
    of one version, at most 150 words. Admins only. Records `summary.written` with the text's
    digest, its length and its readability scores."""
    require(can_administer(actor), actor, _l("Only administrators write plain-language summaries."))
    clause_id = optional_int(clause_id, "clause_id")
    if clause_id is None:
        raise Invalid(_l("clause_id is required."), "invalid_clause_id")
    if text is not None and not isinstance(text, str):
        raise Invalid(_l("text must be text."), "invalid_text")
    body = (optional_text(text, "text", SUMMARY_MAX_CHARS) or "").strip()
    score = readability(body)
    if score["over_limit"]:
        raise Invalid(_l("A summary may have at most %(summary_word_limit)s words; this one has %(score)s. Shorten it and save again.", summary_word_limit=SUMMARY_WORD_LIMIT, score=score['words']), "summary_too_long")
    with transaction():
        version_row = _version(document_id, version)
        in_version = db.session.execute(select(ClauseText.id).where(
            ClauseText.version_id == version_row.id, ClauseText.clause_id == clause_id)).first()
        if not in_version:
            raise NotFound(_l("Clause %(clause_id)s is not part of version %(number)s.", clause_id=clause_id, number=version_row.number), "clause_not_found")
        summary = db.session.execute(select(ClauseSummary).where(
            ClauseSummary.version_id == version_row.id, ClauseSummary.clause_id == clause_id)).scalar_one_or_none()
        if not body:
            if summary is not None:
                db.session.delete(summary)
            summary = None
        else:
            if summary is None:
                summary = ClauseSummary(version_id=version_row.id, clause_id=clause_id)
                db.session.add(summary)
            summary.body, summary.word_count = body, score["words"]
            summary.reading_ease, summary.grade_level = score["reading_ease"], score["grade_level"]
            summary.written_by_id, summary.written_at = actor.id, utcnow()
        db.session.flush()
        record_event("summary.written", actor, f"clause:{clause_id}", {
            "version": version_row.number, "clause_id": clause_id, "text_sha256": text_digest(body) if body else None,
            "words": score["words"], "reading_ease": score["reading_ease"], "grade_level": score["grade_level"],
        }, document_id=version_row.document_id)
    return summary


# --- adoption, signatures, review date ------------------------------------------------------

def parse_day(value, field: str, *, required: bool = True) -> date | None:
    """A calendar date as YYYY-MM-DD, or a clear 400."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(_l("%(field)s is required: a date like 2027-06-30.", field=field), "invalid_date")
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(_l("%(field)s must be a date like 2027-06-30, not %(value)s.", field=field, value=repr(value)), "invalid_date")


def one_year_after(day: date) -> date:
    """The default next review: a year on (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _valid_review_date(adopted_on: date, next_review_on: date) -> None:
    if next_review_on <= adopted_on:
        raise Invalid(_l("The next review must come after the adoption date."), "invalid_review_date")
    if next_review_on > adopted_on + timedelta(days=5 * 366):
        raise Invalid(_l("The next review must fall within five years of adoption (the guidance asks for one every one or two years)."), "invalid_review_date")


def adopt_version(actor: User, document_id: int, *, version=None, adopted_on=None, next_review_on=None) -> Adoption:
    """Mark a version (the current one by default) as adopted on a date (today by default) and set
    its next review (a year later by default). Admins only; a version is adopted once. Records
    `version.adopted` and a checkpoint."""
    require(can_administer(actor), actor, _l("Only administrators adopt a version."))
    adopted_day = parse_day(adopted_on, "adopted_on", required=False) or utcnow().date()
    review_day = parse_day(next_review_on, "next_review_on", required=False) or one_year_after(adopted_day)
    _valid_review_date(adopted_day, review_day)
    with transaction():
        version_row = _version(document_id, version)
        if version_row.published_at.date() > adopted_day:
            raise Invalid(_l("Version %(number)s was published on %(date)s; it cannot have been adopted before that.", number=version_row.number, date=version_row.published_at.date()), "invalid_date")
        if db.session.execute(select(Adoption.id).where(Adoption.version_id == version_row.id)).first():
            raise Conflict(_l("Version %(number)s is already adopted.", number=version_row.number), "already_adopted")
        adoption = Adoption(document_id=version_row.document_id, version_id=version_row.id,
                            version_number=version_row.number, adopted_on=adopted_day, next_review_on=review_day,
                            adopted_by_id=actor.id, recorded_at=utcnow())
        db.session.add(adoption)
        db.session.flush()
        record_event("version.adopted", actor, f"adoption:{adoption.id}", {
            "adoption_id": adoption.id, "version": version_row.number, "adopted_on": adopted_day.isoformat(),
            "next_review_on": review_day.isoformat(),
        }, document_id=adoption.document_id)
        record_checkpoint("version.adopted", adoption.document_id)
    return adoption


def _adoption(adoption_id) -> Adoption:
    adoption = db.session.get(Adoption, optional_int(adoption_id, "adoption_id"))
    if adoption is None:
        raise NotFound(_l("No such adoption."), "adoption_not_found")
    return adoption


def record_signature(actor: User, adoption_id, *, party, name, title, signed_on, party_name=None) -> Signature:
    """Record who signed an adopted version for a party (district, police agency, juvenile
    justice, a community body or another), with their title and the date. Admins only.
    Records `adoption.signed` (digests of the names) and a checkpoint."""
    require(can_administer(actor), actor, _l("Only administrators record signatures."))
    if party is None or party == "":
        raise Invalid(_l("party is required: one of %(parties)s.", parties=", ".join(PARTIES)), "invalid_party")
    party = choice(party, "party", PARTIES)
    name = required_text(name, "name", NAME_MAX)
    title = required_text(title, "title", NAME_MAX)
    party_name = optional_text(party_name, "party_name", NAME_MAX)
    if party == "other" and not party_name:
        raise Invalid(_l("Name the party this person signed for."), "empty_party_name")
    signed_day = parse_day(signed_on, "signed_on")
    if signed_day > utcnow().date() + timedelta(days=1):
        raise Invalid(_l("signed_on is in the future: record a signature once it is made."), "invalid_date")
    with transaction():
        adoption = _adoption(adoption_id)
        signature = Signature(adoption_id=adoption.id, party=party, party_name=party_name or "", name=name,
                              title=title, signed_on=signed_day, recorded_by_id=actor.id, recorded_at=utcnow())
        db.session.add(signature)
        db.session.flush()
        record_event("adoption.signed", actor, f"adoption:{adoption.id}", {
            "adoption_id": adoption.id, "signature_id": signature.id, "version": adoption.version_number,
            "party": party, "party_name_sha256": text_digest(party_name), "name_sha256": text_digest(name),
            "title_sha256": text_digest(title), "signed_on": signed_day.isoformat(),
        }, document_id=adoption.document_id)
        record_checkpoint("adoption.signed", adoption.document_id)
    return signature


def set_review_date(actor: User, adoption_id, *, next_review_on) -> Adoption:
    """Move an adoption's next review. Admins only. The reminder is due again for the new date.
    Records `review.scheduled` and a checkpoint."""
    require(can_administer(actor), actor, _l("Only administrators set the review date."))
    review_day = parse_day(next_review_on, "next_review_on")
    with transaction():
        adoption = _adoption(adoption_id)
        _valid_review_date(adoption.adopted_on, review_day)
        previous = adoption.next_review_on
        adoption.next_review_on = review_day
        adoption.review_reminded_at = None
        db.session.flush()
        record_event("review.scheduled", actor, f"adoption:{adoption.id}", {
            "adoption_id": adoption.id, "version": adoption.version_number,
            "next_review_on": review_day.isoformat(), "previous": previous.isoformat(),
        }, document_id=adoption.document_id)
        record_checkpoint("review.scheduled", adoption.document_id)
    return adoption


# --- the review reminder (run by the period scheduler in every process) ------------------------

def _latest_adoption_ids():
    return select(func.max(Adoption.id)).group_by(Adoption.document_id)


def due_review_reminder_ids(today: date) -> list[int]:
    return list(db.session.execute(select(Adoption.id).where(
        Adoption.id.in_(_latest_adoption_ids()), Adoption.review_reminded_at.is_(None),
        Adoption.review_version_number.is_(None),
        Adoption.next_review_on <= today + timedelta(days=REMINDER_DAYS))).scalars())


def record_due_review_reminders(now: datetime | None = None) -> list[Event]:
    """Record `review.due_soon` once for each document's latest adoption whose review is at most
    30 days away and has not been started. Every process may call this: a conditional UPDATE
    claims each reminder, so exactly one process records it. Nobody acts: no actor."""
    now = now or utcnow()
    recorded = []
    for adoption_id in due_review_reminder_ids(now.date()):
        with transaction():
            claimed = db.session.execute(
                update(Adoption).where(Adoption.id == adoption_id, Adoption.review_reminded_at.is_(None))
                .values(review_reminded_at=now).execution_options(synchronize_session=False)).rowcount == 1
            if not claimed:
                continue
            adoption = db.session.get(Adoption, adoption_id, populate_existing=True)
            recorded.append(record_event("review.due_soon", None, f"adoption:{adoption.id}", {
                "adoption_id": adoption.id, "version": adoption.version_number,
                "next_review_on": adoption.next_review_on.isoformat(),
                "days_left": (adoption.next_review_on - now.date()).days,
            }, document_id=adoption.document_id))
    return recorded


# --- starting the review ---------------------------------------------------------------------

def latest_adoption(document_id: int) -> Adoption | None:
    return db.session.execute(select(Adoption).where(Adoption.document_id == document_id)
                              .order_by(Adoption.id.desc()).limit(1)).scalar_one_or_none()


def unresolved_and_deferred(document_id: int) -> list[tuple[int, str]]:
    """(comment id, "open" | "deferred") for every visible first comment of a thread that is still
    open or whose current answer defers it."""
    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("id"))
              .group_by(Resolution.comment_id).subquery())
    rows = db.session.execute(
        select(Comment.id, Comment.status, Resolution.disposition)
        .outerjoin(latest, latest.c.comment_id == Comment.id).outerjoin(Resolution, Resolution.id == latest.c.id)
        .where(Comment.document_id == document_id, Comment.parent_id.is_(None), Comment.status != "hidden")
        .order_by(Comment.id)).all()
    carried = []
    for comment_id, status, disposition in rows:
        if status == "open":
            carried.append((comment_id, "open"))
        elif disposition == "deferred":
            carried.append((comment_id, "deferred"))
    return carried


def _copy_summaries(from_version_id: int, to_version_id: int, actor: User) -> list[int]:
    """The review draft repeats the adopted text, so its plain-language summaries still fit."""
    copied = []
    for summary in db.session.execute(select(ClauseSummary).where(ClauseSummary.version_id == from_version_id)
                                      .order_by(ClauseSummary.clause_id)).scalars().all():
        db.session.add(ClauseSummary(version_id=to_version_id, clause_id=summary.clause_id, body=summary.body,
                                     word_count=summary.word_count, reading_ease=summary.reading_ease,
                                     grade_level=summary.grade_level, written_by_id=actor.id, written_at=utcnow()))
        copied.append(summary.clause_id)
    return copied


def start_review(actor: User, document_id: int, *, note=None) -> Version:
    """Start the review of the adopted version: publish a new draft with the adopted text, carrying
    the last cycle's open and deferred concerns into it (open comments are placed on the new text
    as every new version does; all are listed on the draft) and the adopted version's plain-language
    summaries. Admins only; once per adoption.
    Records `version.published`, then `review.started` and a checkpoint."""
    from .versions import publish_version  # the version service does the publishing and carrying

    require(can_administer(actor), actor, _l("Only administrators start a review."))
    note = optional_text(note, "note", 5_000)
    with transaction():
        document = db.session.get(Document, document_id)
        if document is None:
            raise NotFound(_l("No such document."))
        adoption = latest_adoption(document_id)
        if adoption is None:
            raise Conflict(_l("No version of this document is adopted yet: adopt one before reviewing it."),
                           "not_adopted")
        if adoption.review_version_number is not None:
            raise Conflict(_l("The review of version %(version_number)s already started (version %(review_version_number)s).", version_number=adoption.version_number, review_version_number=adoption.review_version_number), "review_started")
        carried = unresolved_and_deferred(document_id)
        clauses = [{"id": t.clause_id, "number": t.number, "heading": t.heading, "body": t.body}
                   for t in clause_texts(document, adoption.version_number)]
        version = publish_version(actor, document_id, clauses=clauses, allow_unchanged=True,
                                  note=note or f"Review of version {adoption.version_number}, adopted on "
                                               f"{adoption.adopted_on.isoformat()}.")
        for comment_id, reason in carried:
            db.session.add(CarriedConcern(version_id=version.id, comment_id=comment_id, reason=reason))
        copied = _copy_summaries(adoption.version_id, version.id, actor)
        adoption.review_version_number = version.number
        db.session.flush()
        record_event("review.started", actor, f"adoption:{adoption.id}", {
            "adoption_id": adoption.id, "adopted_version": adoption.version_number, "version": version.number,
            "carried": [{"comment_id": c, "reason": r} for c, r in carried], "summaries_copied": copied,
        }, document_id=document_id)
        record_checkpoint("review.started", document_id)
    return version
