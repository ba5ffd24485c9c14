"""A small data set whose equity figures are worked out by hand (see the numbers below).

families (8 comments, all on clause 1): accepted 6, accepted with changes 1, declined 1; first
  answers after 1..8 hours (median 4.5). Share accepted 7/8.
civil-rights (8 comments: 4 on clause 1, 4 on clause 2): accepted 1, declined 5 (the last
  sent back by its author, so open and contested), deferred 1, noted 1; first answers after
  20, 30, …, 90 hours (median 55). Answered 7, share accepted 1/7.
law-enforcement (2 comments on clause 3): one accepted after 10 hours, one open: too few to compare.
Not counted: a reply (families) and a hidden comment (law-enforcement).

civil-rights (1 of 7 accepted) vs the others (8 of 9): z = -2.98 → share lower; its median 55 h
against the others' 5 h (1..8 and 10) → slower. families vs the others: 7/8 against 2/8, z = 2.52 → higher;
median 4.5 h against the others' 50 h (10..90) → faster.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from collab.extensions import db
from collab.models import Comment, Resolution

T0 = datetime(2026, 10, 1, 9, 0, 0)


def _answer(admin, comment, disposition, hours, resolutions):
    from collab.services.resolutions import record_resolution

    resolution = record_resolution(admin, comment.id, disposition=disposition, rationale=f"Answer: {disposition}.")
    resolutions.append((resolution.id, comment.id, hours))


def build(make):
    """The document, its admin, the clause ids and the users by group."""
    from collab.services.moderation import hide_comment
    from collab.services.resolutions import reopen_comment

    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    c1, c2, c3 = make.clause_ids(document)
    family = make.user(group="families", name="Pat Parent")
    advocate = make.user(group="civil-rights", name="Robin Rights")
    officer = make.user(group="law-enforcement", name="Sam Sergeant")
    moderator = make.user(role="facilitator", group="district", name="Fran Facilitator")
    timed: list[tuple[int, int, float]] = []
    created: list[int] = []

    family_dispositions = ["accepted"] * 6 + ["accepted_with_changes", "declined"]
    for index, disposition in enumerate(family_dispositions, start=1):
        comment = make.comment(family, c1, body=f"Family point {index}.")
        created.append(comment.id)
        _answer(admin, comment, disposition, index, timed)
    reply = make.comment(family, c1, body="And a reply that is discussion.", parent_id=created[0])
    created.append(reply.id)

    advocate_plan = [(c1, "accepted", 20), (c1, "declined", 30), (c1, "declined", 40), (c1, "declined", 50),
                     (c2, "declined", 60), (c2, "deferred", 70), (c2, "noted", 80), (c2, "declined", 90)]
    contested = None
    for index, (clause_id, disposition, hours) in enumerate(advocate_plan, start=1):
        comment = make.comment(advocate, clause_id, body=f"Civil-rights point {index}.")
        created.append(comment.id)
        _answer(admin, comment, disposition, hours, timed)
        contested = comment
    reopen_comment(advocate, contested.id, reason="This does not address discipline.")

    answered = make.comment(officer, c3, body="Officer point answered.")
    created.append(answered.id)
    _answer(admin, answered, "accepted", 10, timed)
    still_open = make.comment(officer, c3, body="Officer point open.")
    created.append(still_open.id)
    hidden = make.comment(officer, c3, body="Officer point hidden.")
    hide_comment(moderator, hidden.id, reason="Off topic.")

    # Put the comments and their answers at known moments so the times to an answer are exact.
    for comment_id in created:
        db.session.get(Comment, comment_id).created_at = T0
    for resolution_id, _comment_id, hours in timed:
        db.session.get(Resolution, resolution_id).recorded_at = T0 + timedelta(hours=hours)
    db.session.commit()
    return document, admin, {"clauses": (c1, c2, c3), "family": family, "advocate": advocate, "officer": officer}
