"""The grouping job: signs each new top-level comment (digest of its normalised text, MinHash
of its shingles) and puts exact and near copies in a campaign. Each step holds the lock on the
one `campaign_grouper` row in the transaction that writes its rows, so several processes and
restarts group every comment exactly once. Its assignments are events (`campaign.proposed`,
`campaign.grouped`), recorded by the system (no actor)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, exists, func, insert, select, update

from ..campaigns import index as campaign_index
from ..campaigns.live import campaign_payloads
from ..campaigns.text import (MIN_WORDS, exact_hash, is_unique, minhashes, normalise, personal_text, shingles,
                              signature_bytes, signature_from_bytes, word_count)
from ..events import attach_live, record_event, transaction
from ..extensions import db
from ..models import (Campaign, CampaignGrouper, CampaignMember, ChainHead, Comment, CommentSignature, Event,
                      SilentRound)
from ..timeutil import utcnow

GROUP_BATCH = 1000
# Keys whose shingles each process keeps between steps (per document).
SHINGLE_CACHE = 5000


@dataclass
class GroupResult:
    signed: int = 0
    joined: int = 0
    campaigns: int = 0
    busy: bool = False
    more: bool = False
    regrouped: int = 0  # edited comments grouped again


def locked_grouper(wait: bool) -> CampaignGrouper | None:
    """The grouper row, locked until the commit; None when another process holds it and
    `wait` is false (PostgreSQL). On SQLite the write transaction already admits one writer."""
    query = select(CampaignGrouper).where(CampaignGrouper.id == 1).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=not wait)
    return db.session.execute(query).scalar_one_or_none()


def set_key(comment_id: int, is_key: bool, generation: int, **values) -> None:
    db.session.execute(update(CommentSignature).where(CommentSignature.comment_id == comment_id)
                       .values(is_key=is_key, generation=generation, **values),
                       execution_options={"synchronize_session": False})


def new_representative(campaign: Campaign, generation: int) -> int | None:
    """Make the earliest plain copy still shown (else the earliest shown member) represent the campaign."""
    rows = db.session.execute(
        select(CampaignMember.comment_id, CampaignMember.is_unique).join(Comment, Comment.id == CampaignMember.comment_id)
        .where(CampaignMember.campaign_id == campaign.id, Comment.status != "hidden", Comment.redacted_at.is_(None))
        .order_by(CampaignMember.is_unique, CampaignMember.comment_id).limit(1)).first()
    if rows is None:
        return None
    campaign.representative_id = rows.comment_id
    db.session.execute(update(CampaignMember).where(CampaignMember.comment_id == rows.comment_id)
                       .values(personal_text=None, is_unique=False), execution_options={"synchronize_session": False})
    set_key(rows.comment_id, True, generation)
    return rows.comment_id


_PENDING_COLUMNS = (Comment.id, Comment.document_id, Comment.body, Comment.status, Comment.kind,
                    Comment.redacted_at, Comment.parent_id)


def _pending(document_id: int | None, limit: int, after_id: int):
    """Top-level comments after `after_id` not signed yet, oldest first; a silent round's stay
    out until revealed."""
    query = (select(*_PENDING_COLUMNS)
             .outerjoin(CommentSignature, CommentSignature.comment_id == Comment.id)
             .outerjoin(SilentRound, SilentRound.id == Comment.silent_round_id)
             .where(Comment.id > after_id, CommentSignature.id.is_(None),
                    (Comment.silent_round_id.is_(None)) | (SilentRound.revealed_at.is_not(None))))
    if document_id is not None:
        query = query.where(Comment.document_id == document_id)
    return db.session.execute(query.order_by(Comment.id).limit(limit)).all()


def _edited(grouper: CampaignGrouper, limit: int) -> tuple[list, bool]:
    """The comments edited since the grouper last looked (`comment.edited` events after its
    mark, at most `limit`), that were signed and not split out: they are grouped again with
    their new text. Also whether more edits are waiting. Moves the mark."""
    head = db.session.execute(select(ChainHead.seq).where(ChainHead.id == 1)).scalar() or 0
    if head <= grouper.edits_seen_seq:
        return [], False
    events = db.session.execute(
        select(Event.seq, Event.subject).where(Event.seq > grouper.edits_seen_seq, Event.seq <= head,
                                               Event.action == "comment.edited")
        .order_by(Event.seq).limit(limit)).all()
    more = len(events) == limit
    grouper.edits_seen_seq = events[-1].seq if more else head
    ids = sorted({int(subject.partition(":")[2]) for _seq, subject in events})
    if not ids:
        return [], more
    rows = db.session.execute(
        select(*_PENDING_COLUMNS).join(CommentSignature, CommentSignature.comment_id == Comment.id)
        .where(Comment.id.in_(ids), CommentSignature.is_split.is_(False)).order_by(Comment.id)).all()
    return rows, more


def _advance_signed_mark(grouper: CampaignGrouper) -> None:
    """Every comment up to the first one still without a signature (a silent round's, not
    revealed yet) is signed. Comments get their ids while holding the event chain's lock, so
    none with a smaller id can still be committed after this."""
    first_unsigned = db.session.execute(
        select(func.min(Comment.id)).where(
            Comment.id > grouper.signed_through_id,
            ~exists().where(CommentSignature.comment_id == Comment.id))).scalar()
    if first_unsigned is not None:
        grouper.signed_through_id = first_unsigned - 1
        return
    newest = db.session.execute(select(func.max(Comment.id))).scalar()
    if newest is not None:
        grouper.signed_through_id = newest


def _groupable(row) -> bool:
    return (row.parent_id is None and row.kind != "reply" and row.status != "hidden"
            and row.redacted_at is None)


class _Step:
    """One transaction's grouping of one document's pending comments."""

    def __init__(self, document_id: int, generation: int):
        self.document_id = document_id
        self.generation = generation
        self.index = campaign_index.index_for(document_id, generation - 1)
        self.signatures: dict[int, dict] = {}
        self.unkeyed: list[int] = []  # earlier keys absorbed into a campaign
        self.members: dict[int, dict] = {}  # rows to insert, by comment id
        self.new_campaigns: dict[int, Campaign] = {}
        self.joined: dict[int, list[int]] = defaultdict(list)
        self.merged: dict[int, list[int]] = defaultdict(list)
        self.bodies: dict[int, str] = {}
        self.shingle_sets: dict[int, set[bytes]] = {}
        self.campaign_of_key: dict[int, int | None] = {}
        # Held here: the session's identity map keeps no object alive, so each get would reload it.
        self.campaigns: dict[int, Campaign] = {}
        self.recorded: list[tuple] = []  # (event, campaign id): their live payloads are added in store()
        self.left: dict[int, list[int]] = defaultdict(list)  # campaign id -> edited comments that left it

    def body(self, comment_id: int) -> str:
        if comment_id not in self.bodies:
            self.bodies[comment_id] = db.session.execute(
                select(Comment.body).where(Comment.id == comment_id)).scalar_one()
        return self.bodies[comment_id]

    def shingles_of(self, comment_ids: list[int]) -> dict[int, set[bytes]]:
        """The shingles of these keys (their texts read in one query, unless the index keeps them)."""
        cache = self.index.shingle_cache
        for comment_id in comment_ids:
            if comment_id not in self.shingle_sets and comment_id in cache:
                self.shingle_sets[comment_id] = cache[comment_id]
        missing = [i for i in comment_ids if i not in self.bodies and i not in self.shingle_sets]
        if missing:
            self.bodies.update(db.session.execute(select(Comment.id, Comment.body)
                                                  .where(Comment.id.in_(missing))).all())
        for comment_id in comment_ids:
            if comment_id not in self.shingle_sets:
                self.shingle_sets[comment_id] = shingles(normalise(self.bodies[comment_id]))
        if len(cache) > SHINGLE_CACHE:
            cache.clear()
        cache.update((i, self.shingle_sets[i]) for i in comment_ids)
        return {i: self.shingle_sets[i] for i in comment_ids}

    def campaign_of(self, key_id: int) -> int | None:
        if key_id not in self.campaign_of_key:
            self.campaign_of_key[key_id] = db.session.execute(
                select(Campaign.id).where(Campaign.representative_id == key_id,
                                          Campaign.state != "dissolved")).scalar()
        return self.campaign_of_key[key_id]

    def campaign(self, campaign_id: int) -> Campaign:
        if campaign_id not in self.campaigns:
            self.campaigns[campaign_id] = db.session.get(Campaign, campaign_id)
        return self.campaigns[campaign_id]

    def member(self, campaign_id: int, comment_id: int, representative_id: int, now) -> None:
        personal = None if comment_id == representative_id else \
            personal_text(self.body(comment_id), self.body(representative_id))
        self.members[comment_id] = {"comment_id": comment_id, "campaign_id": campaign_id, "personal_text": personal,
                                    "is_unique": is_unique(personal), "joined_at": now}
        self.joined[campaign_id].append(comment_id)

    def key(self, comment_id: int, key: campaign_index.Key) -> None:
        self.signatures[comment_id]["is_key"] = True
        self.index.add(key)

    def unkey(self, comment_id: int) -> None:
        self.index.remove(comment_id)
        if comment_id in self.signatures:
            self.signatures[comment_id]["is_key"] = False
        else:
            self.unkeyed.append(comment_id)

    def rekey(self, comment_id: int) -> None:
        """A comment on its own again (its campaign dissolved or handed to it): others may join it."""
        set_key(comment_id, True, self.generation)
        row = db.session.execute(select(CommentSignature.exact_hash, CommentSignature.minhash,
                                        CommentSignature.shingle_count)
                                 .where(CommentSignature.comment_id == comment_id)).first()
        if row is not None and row.exact_hash is not None and row.minhash is not None:
            self.index.add(campaign_index.Key(comment_id, row.exact_hash, signature_from_bytes(row.minhash),
                                              row.shingle_count))

    def release(self, comment_ids: list[int]) -> None:
        """Edited comments leave their campaign (or the keys) and lose their signature, to be
        signed and placed again with their new text in this step. A campaign left with one
        comment is dissolved; one whose representative left gets another. Records
        `campaign.left` (no actor) for each campaign a comment left."""
        if not comment_ids:
            return
        for comment_id in comment_ids:
            self.index.remove(comment_id)
            self.campaign_of_key[comment_id] = None
            campaign_id = db.session.execute(
                select(CampaignMember.campaign_id).where(CampaignMember.comment_id == comment_id)).scalar()
            if campaign_id is None:
                continue
            campaign = self.campaign(campaign_id)
            db.session.execute(delete(CampaignMember).where(CampaignMember.comment_id == comment_id),
                               execution_options={"synchronize_session": False})
            remaining = list(db.session.execute(select(CampaignMember.comment_id)
                                                .where(CampaignMember.campaign_id == campaign_id)).scalars())
            dissolved = len(remaining) < 2
            if dissolved:
                campaign.state = "dissolved"
                db.session.execute(delete(CampaignMember).where(CampaignMember.campaign_id == campaign_id),
                                   execution_options={"synchronize_session": False})
                for other_id in remaining:
                    self.campaign_of_key[other_id] = None
                    self.rekey(other_id)
            elif campaign.representative_id == comment_id:
                representative = new_representative(campaign, self.generation)
                if representative is not None:
                    self.campaign_of_key[representative] = campaign_id
                    self.rekey(representative)
            db.session.flush()
            self.left[campaign_id].append(comment_id)
            self.recorded.append((record_event("campaign.left", None, f"campaign:{campaign_id}", {
                "campaign_id": campaign_id, "comment_ids": [comment_id], "reason": "edited",
                "representative_id": campaign.representative_id, "dissolved": dissolved},
                document_id=self.document_id), campaign_id))
        db.session.execute(delete(CommentSignature).where(CommentSignature.comment_id.in_(comment_ids)),
                           execution_options={"synchronize_session": False})

    def run(self, rows) -> None:
        now = utcnow()
        texts = {}
        for row in rows:
            self.bodies[row.id] = row.body
            normalised = normalise(row.body) if _groupable(row) else ""
            self.signatures[row.id] = {"comment_id": row.id, "document_id": self.document_id, "exact_hash": None,
                                       "minhash": None, "shingle_count": 0, "is_key": False, "is_split": False,
                                       "generation": self.generation}
            if word_count(normalised) >= MIN_WORDS:
                texts[row.id] = normalised
        ids = list(texts)
        sets = [shingles(texts[i]) for i in ids]
        signatures = minhashes(sets)
        bands = self.index.bands
        bands.fold()
        banded = bands.band_hashes(np.vstack(signatures)) if signatures else np.empty((0, bands.bands))
        # The whole batch searched in the sorted bands at once; each text adds the batch's
        # earlier keys (the recent ones) as it is placed.
        hits = bands.query_sorted(banded)
        for comment_id, shingle_set, signature, banded_one, sorted_hits in zip(ids, sets, signatures, banded, hits):
            digest = exact_hash(texts[comment_id])
            self.signatures[comment_id].update(exact_hash=digest, minhash=signature_bytes(signature),
                                               shingle_count=len(shingle_set))
            self.shingle_sets[comment_id] = shingle_set
            self.place(campaign_index.Key(comment_id, digest, signature, len(shingle_set), banded_one, sorted_hits),
                       now)

    def place(self, key: campaign_index.Key, now) -> None:
        comment_id = key.comment_id
        found = self.index.match(key, self.shingle_sets[comment_id], self.shingles_of)
        if found is None:
            self.key(comment_id, key)
            return
        key_id, _exact = found
        other = self.index.keys[key_id]
        # The plainer text (fewer shingles; else the older) represents: a form letter, not a copy with more.
        plainer = (key.size, comment_id) < (other.size, key_id)
        campaign_id = self.campaign_of(key_id)
        if campaign_id is None:
            representative = comment_id if plainer else key_id
            campaign = Campaign(document_id=self.document_id, representative_id=representative, state="proposed",
                                created_at=now)
            db.session.add(campaign)
            db.session.flush()
            self.new_campaigns[campaign.id] = self.campaigns[campaign.id] = campaign
            self.campaign_of_key[representative] = campaign.id
            for member_id in sorted((key_id, comment_id)):
                self.member(campaign.id, member_id, representative, now)
            if plainer:
                self.unkey(key_id)
                self.campaign_of_key[key_id] = None
                self.key(comment_id, key)
            self.absorb(campaign, now)
            return
        campaign = self.campaign(campaign_id)
        if not plainer:
            self.member(campaign_id, comment_id, key_id, now)
            return
        self.member(campaign_id, comment_id, comment_id, now)
        campaign.representative_id = comment_id
        self.campaign_of_key[comment_id], self.campaign_of_key[key_id] = campaign_id, None
        self.unkey(key_id)
        self.key(comment_id, key)
        self.absorb(campaign, now)
        self.personalise(campaign)

    def absorb(self, campaign: Campaign, now) -> None:
        """Comments on their own and proposed campaigns that copy the campaign's (new)
        representative join it: copies that came before their plainer form are not left apart."""
        representative = self.index.keys[campaign.representative_id]
        merged = False
        own = self.shingles_of([representative.comment_id])[representative.comment_id]
        for other_id in self.index.near(representative, own, self.shingles_of, leave_out=representative.comment_id):
            other_campaign = self.campaign_of(other_id)
            if other_campaign is None:
                self.member(campaign.id, other_id, campaign.representative_id, now)
                self.unkey(other_id)
                continue
            absorbed = self.campaign(other_campaign)
            if absorbed.state != "proposed":
                continue  # the district confirmed that one: it stays as it is
            moved = [i for i, row in self.members.items() if row["campaign_id"] == absorbed.id]
            for comment_id in moved:
                self.members[comment_id]["campaign_id"] = campaign.id
            stored = list(db.session.execute(select(CampaignMember.comment_id)
                                             .where(CampaignMember.campaign_id == absorbed.id)).scalars())
            db.session.execute(update(CampaignMember).where(CampaignMember.campaign_id == absorbed.id)
                               .values(campaign_id=campaign.id), execution_options={"synchronize_session": False})
            absorbed.state = "dissolved"
            self.joined.pop(absorbed.id, None)
            self.new_campaigns.pop(absorbed.id, None)
            self.joined[campaign.id].extend(i for i in sorted({*moved, *stored}) if i not in self.joined[campaign.id])
            self.merged[campaign.id].append(absorbed.id)
            self.campaign_of_key[other_id] = None
            self.unkey(other_id)
            merged = True
        if merged:
            self.personalise(campaign)

    def personalise(self, campaign: Campaign) -> None:
        """Each member's own words again, against the campaign's new representative."""
        shared = self.body(campaign.representative_id)
        for row in self.members.values():
            if row["campaign_id"] == campaign.id:
                personal = None if row["comment_id"] == campaign.representative_id else \
                    personal_text(self.body(row["comment_id"]), shared)
                row.update(personal_text=personal, is_unique=is_unique(personal))
        stored = db.session.execute(select(CampaignMember.comment_id, Comment.body)
                                    .join(Comment, Comment.id == CampaignMember.comment_id)
                                    .where(CampaignMember.campaign_id == campaign.id)).all()
        for comment_id, body in stored:
            personal = None if comment_id == campaign.representative_id else personal_text(body, shared)
            db.session.execute(update(CampaignMember).where(CampaignMember.comment_id == comment_id)
                               .values(personal_text=personal, is_unique=is_unique(personal)),
                               execution_options={"synchronize_session": False})

    def store(self) -> None:
        self.index.generation = self.generation
        if self.signatures:
            db.session.execute(insert(CommentSignature), list(self.signatures.values()))
        if self.unkeyed:
            db.session.execute(update(CommentSignature).where(CommentSignature.comment_id.in_(self.unkeyed))
                               .values(is_key=False, generation=self.generation),
                               execution_options={"synchronize_session": False})
        if self.members:
            db.session.execute(insert(CampaignMember), list(self.members.values()))
        for campaign_id, comment_ids in sorted(self.joined.items()):
            data = {"campaign_id": campaign_id, "comment_ids": comment_ids,
                    "unique_comment_ids": [i for i in comment_ids if i in self.members
                                           and self.members[i]["is_unique"]],
                    "representative_id": self.campaign(campaign_id).representative_id}
            if self.merged.get(campaign_id):
                data["merged_campaign_ids"] = self.merged[campaign_id]
            action = "campaign.proposed" if campaign_id in self.new_campaigns else "campaign.grouped"
            self.recorded.append((record_event(action, None, f"campaign:{campaign_id}", data,
                                               document_id=self.document_id), campaign_id))
        self.attach_live()

    def attach_live(self) -> None:
        """The campaigns as the page draws them, with each event sent live (counted once all is written)."""
        if not self.recorded:
            return
        db.session.flush()
        payloads = campaign_payloads(sorted({i for _event, i in self.recorded}), self.left)
        for event, campaign_id in self.recorded:
            payload = payloads.get(campaign_id, {})
            if event.action != "campaign.left":
                payload = {k: v for k, v in payload.items() if k != "comments"}
            attach_live(event, payload)


def group_step(document_id: int | None = None, limit: int = GROUP_BATCH) -> GroupResult:
    """One transaction: sign and group up to `limit` pending comments (of one document, or any)."""
    result = GroupResult()
    touched: list[int] = []
    try:
        with transaction():
            grouper = locked_grouper(wait=False)
            if grouper is None:
                result.busy = True
                return result
            # Edits are looked for by the steps that may group any document (the worker's).
            edited, more_edits = _edited(grouper, limit) if document_id is None else ([], False)
            room = limit - len(edited)
            fresh = _pending(document_id, room, grouper.signed_through_id) if room > 0 else []
            rows = sorted([*edited, *fresh], key=lambda row: row.id)
            if not rows:
                return result
            grouper.generation += 1
            grouper.updated_at = utcnow()
            by_document: dict[int, list] = defaultdict(list)
            for row in rows:
                by_document[row.document_id].append(row)
            edited_by_document: dict[int, list[int]] = defaultdict(list)
            for row in edited:
                edited_by_document[row.document_id].append(row.id)
            for doc_id, doc_rows in sorted(by_document.items()):
                touched.append(doc_id)
                step = _Step(doc_id, grouper.generation)
                step.release(edited_by_document[doc_id])
                step.run(doc_rows)
                step.store()
                result.joined += sum(len(v) for v in step.joined.values()) - len(step.new_campaigns)
                result.campaigns += len(step.new_campaigns)
            db.session.flush()
            _advance_signed_mark(grouper)
            result.regrouped = len(edited)
            result.signed, result.more = len(rows), more_edits or (room > 0 and len(fresh) == room) or room <= 0
    except BaseException:
        # The in-memory index holds what was not stored: rebuild it from the table next time.
        for doc_id in touched:
            campaign_index.forget(doc_id)
        raise
    return result


def warm_indexes() -> int:
    """Build this process's index of every document with signatures (on start, so the first
    new comment does not wait for it); how many documents. Caught up under the lock later."""
    generation = db.session.execute(select(CampaignGrouper.generation).where(CampaignGrouper.id == 1)).scalar()
    documents = list(db.session.execute(select(CommentSignature.document_id).distinct()).scalars())
    for document_id in documents:
        campaign_index.index_for(document_id, generation or 0)
    db.session.rollback()
    return len(documents)


def group_all(document_id: int | None = None, limit: int = GROUP_BATCH) -> GroupResult:
    """Group every pending comment (of one document, or all), batch after batch."""
    total = GroupResult()
    while True:
        step = group_step(document_id, limit)
        total.signed += step.signed
        total.joined += step.joined
        total.campaigns += step.campaigns
        total.regrouped += step.regrouped
        total.busy = step.busy
        if step.busy or not step.more:
            return total
