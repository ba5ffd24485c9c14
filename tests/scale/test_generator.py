"""The large-period generator (`flask --app app demo --scale N`, collab/demo/scale.py) at a small
scale: co-signatures skewed onto a few comments, comments entered by staff, campaigns grouped."""
from __future__ import annotations

from sqlalchemy import func, select

from collab.extensions import db
from collab.models import Campaign, Comment, Cosignature, CommentSignature
from tests.conftest import any_database


@any_database
def test_the_generator_builds_cosignatures_intake_and_campaigns(runner):
    result = runner.invoke(args=["demo", "--scale", "400", "--accounts", "40"])
    assert result.exit_code == 0, result.output
    assert "co-signatures" in result.output
    comments = db.session.scalar(select(func.count()).select_from(Comment))
    assert comments == 400
    entered = db.session.execute(select(Comment.source, Comment.entered_by_id).where(
        Comment.entered_by_id.is_not(None))).all()
    assert entered and {source for source, _ in entered} <= {"letter", "phone", "meeting"}
    cosigned = db.session.execute(select(Cosignature.comment_id, func.count()).group_by(
        Cosignature.comment_id).order_by(func.count().desc())).all()
    assert sum(n for _c, n in cosigned) == 400 // 14
    assert cosigned[0][1] >= 10  # skewed: one comment gathers many names
    top = db.session.get(Comment, cosigned[0][0])
    assert top.cosigner_count == cosigned[0][1] and top.parent_id is None
    # The grouping job ran over the period: the form letter's copies are one campaign.
    assert db.session.scalar(select(func.count()).select_from(Campaign)) >= 1
    assert db.session.scalar(select(func.count()).select_from(CommentSignature)) > 0


def test_the_generator_can_leave_grouping_to_the_campaigns_command(runner):
    result = runner.invoke(args=["demo", "--scale", "200", "--accounts", "30", "--no-grouping"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(CommentSignature)) == 0
    grouped = runner.invoke(args=["campaigns", "group"])
    assert grouped.exit_code == 0, grouped.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) >= 1
