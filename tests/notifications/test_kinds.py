"""Each kind of notification reaches the right people and nobody else, never the actor,
never about what the recipient may not read; immediate mail goes over real SMTP."""
from __future__ import annotations

from datetime import timedelta

from collab.models import CommentPeriod
from collab.extensions import db
from collab.notifications.notifier import record_due_reminders
from collab.services.documents import create_period
from collab.services.meetings import create_meeting
from collab.services.moderation import flag_comment, hide_comment, unhide_comment
from collab.services.notifications import follow_clause, follow_document, unfollow_document
from collab.services.resolutions import record_resolution, reopen_comment
from collab.services.versions import publish_version
from collab.timeutil import isoformat, utcnow
from tests.conftest import any_database, send_due_mail
from tests.notifications.helpers import notified, notify
from tests.services.test_versions import current_clauses, revise


@any_database
def test_an_answer_reaches_the_author_at_once_by_mail_and_nobody_else(app, make, smtp):
    document = make.document()
    make.open_period(document)
    parent, other = make.user(), make.user()
    admin = make.admin()
    comment = make.comment(parent, make.clause_ids(document)[0])
    make.comment(other, make.clause_ids(document)[0])
    record_resolution(admin, comment.id, disposition="accepted", rationale="We will change it.")
    notify(app)
    assert notified("comment_answered") == [(parent.id, "comment_answered")]
    assert send_due_mail(app) == 1
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == parent.email
    assert "answered your comment" in mail.get_body(("plain",)).get_content()
    assert str(mail["List-Unsubscribe"]).strip().startswith("<https://common-ground.test/unsubscribe?token=")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "unsubscribe?token=" in mail.get_body(("html",)).get_content()

    record_resolution(make.user(role="admin", group="district"), comment.id, disposition="declined",
                      rationale="On reflection, no.")
    notify(app)
    assert notified("answer_changed") == [(parent.id, "answer_changed")]


def test_a_reply_reaches_the_parent_author_not_the_replier(app, make):
    document = make.document()
    make.open_period(document)
    parent, replier = make.user(), make.user()
    clause = make.clause_ids(document)[0]
    comment = make.comment(parent, clause)
    make.comment(replier, clause, parent_id=comment.id)
    make.comment(parent, clause, parent_id=comment.id)  # replying in one's own thread tells nobody
    notify(app)
    assert notified("comment_replied") == [(parent.id, "comment_replied")]


def test_commenting_follows_the_document_unless_unfollowed(app, make):
    document = make.document()
    make.open_period(document)
    admin = make.admin()
    follower, quitter = make.user(), make.user()
    clause = make.clause_ids(document)[0]
    make.comment(follower, clause)
    unfollow_document(quitter, document.id)
    make.comment(quitter, clause)
    notify(app)
    create_meeting(admin, document.id, title="Town hall")
    notify(app)
    assert notified("meeting_scheduled") == [(follower.id, "meeting_scheduled")]


def test_a_new_version_tells_commenters_clause_followers_and_document_followers(app, make):
    document = make.document()
    make.open_period(document)
    admin = make.admin()
    commenter, suggester, clause_fan, doc_fan, unrelated_fan, bystander = (make.user() for _ in range(6))
    one, two, three = make.clause_ids(document)
    commented = make.comment(commenter, three)
    suggestion = make.comment(suggester, two, kind="suggestion", suggested_text="Officers never discipline.",
                              body="Clearer.")
    follow_clause(clause_fan, three)
    follow_clause(unrelated_fan, one)
    follow_document(doc_fan, document.id)
    notify(app)
    clauses = revise(current_clauses(document), 2, body="Arrest only after diversion was tried.")
    publish_version(admin, document.id, clauses=clauses, taken_comment_ids=[suggestion.id], note="v2")
    notify(app)
    got = dict(notified())
    assert got[commenter.id] == "clause_changed"
    assert got[suggester.id] == "suggestion_taken"
    assert got[clause_fan.id] == "clause_changed"
    assert got[doc_fan.id] == "version_published"
    assert got.get(unrelated_fan.id) is None  # clause 1 did not change and they follow only it
    assert bystander.id not in got and admin.id not in got
    assert commented.id  # the commenter's row names their comment (see the carried-comments question)


def test_hiding_tells_the_author_with_the_reason_and_hides_the_reply_from_others(app, make):
    document = make.document()
    make.open_period(document)
    author, replier = make.user(), make.user()
    moderator = make.user(role="facilitator", group="district")
    clause = make.clause_ids(document)[0]
    comment = make.comment(author, clause)
    reply = make.comment(replier, clause, parent_id=comment.id)
    hide_comment(moderator, reply.id, reason="Names a student.")
    notify(app)  # the reply is hidden by the time the notifier reads it: the parent's author hears nothing
    assert notified("comment_replied") == []
    from collab.models.notifications import Notification

    hidden = db.session.query(Notification).filter_by(kind="comment_hidden").one()
    assert hidden.user_id == replier.id and hidden.details["reason"] == "Names a student."
    unhide_comment(moderator, reply.id, reason="The name was a typo.")
    notify(app)
    assert notified("comment_unhidden") == [(replier.id, "comment_unhidden")]


def test_moderators_hear_of_flags_and_admins_of_contested_answers(app, make):
    document = make.document()
    make.open_period(document)
    admin = make.admin()
    moderator = make.user(role="facilitator", group="district")
    author, flagger = make.user(), make.user()
    comment = make.comment(author, make.clause_ids(document)[0])
    flag_comment(flagger, comment.id, reason="Off topic.")
    notify(app)
    assert sorted(notified("flag_new")) == sorted([(admin.id, "flag_new"), (moderator.id, "flag_new")])
    record_resolution(admin, comment.id, disposition="declined", rationale="No.")
    reopen_comment(author, comment.id, reason="This does not address it.")
    notify(app)
    assert notified("answer_contested") == [(admin.id, "answer_contested")]


def test_periods_opening_and_closing_soon_tell_followers_once(app, make):
    document = make.document()
    admin = make.admin()
    follower = make.user()
    follow_document(follower, document.id)
    now = utcnow()
    period = create_period(admin, document.id, opens_at=isoformat(now - timedelta(seconds=1)),
                           closes_at=isoformat(now + timedelta(days=5)))
    notify(app)
    assert notified("period_opened") == [(follower.id, "period_opened")]
    assert record_due_reminders(now) == 0
    assert record_due_reminders(now + timedelta(days=3, hours=1)) == 1  # 47 hours left
    assert record_due_reminders(now + timedelta(days=3, hours=2)) == 0
    assert record_due_reminders(now + timedelta(days=4, hours=23)) == 1  # under 2 hours left
    notify(app)
    assert notified("period_closing") == [(follower.id, "period_closing")] * 2
    assert db.session.get(CommentPeriod, period.id).closes_at > now


def test_nobody_hears_of_their_own_action(app, make):
    document = make.document()
    make.open_period(document)
    admin = make.admin()
    follow_document(admin, document.id)
    create_meeting(admin, document.id, title="Own meeting")
    notify(app)
    assert notified() == []


def test_a_meeting_with_a_start_reminds_followers_an_hour_before_once(app, make):
    document = make.document()
    admin = make.admin()
    follower = make.user()
    follow_document(follower, document.id)
    now = utcnow()
    meeting = create_meeting(admin, document.id, title="Budget night",
                             starts_at=isoformat(now + timedelta(hours=3)))
    late = create_meeting(admin, document.id, title="Short notice", starts_at=isoformat(now + timedelta(minutes=30)))
    assert record_due_reminders(now) == 0  # the short-notice one was planned inside the hour: no reminder
    assert record_due_reminders(now + timedelta(hours=2, minutes=1)) == 1
    assert record_due_reminders(now + timedelta(hours=2, minutes=30)) == 0
    notify(app)
    assert notified("meeting_starting") == [(follower.id, "meeting_starting")]
    assert meeting.id != late.id


def test_a_meeting_start_in_the_past_is_refused(app, make):
    import pytest

    from collab.errors import Invalid

    document = make.document()
    with pytest.raises(Invalid):
        create_meeting(make.admin(), document.id, title="Yesterday",
                       starts_at=isoformat(utcnow() - timedelta(hours=1)))


def test_a_silent_round_reply_tells_nobody_until_revealed(app, make):
    from collab.services import meetings as service
    from collab.services.meetings import start_meeting

    facilitator = make.user(role="facilitator", group="community")
    document = make.document()
    make.open_period(document)
    clause = make.clause_ids(document)[0]
    author, replier = make.user(), make.user()
    parent = make.comment(author, clause)
    notify(app)
    meeting = create_meeting(facilitator, document.id, title="Forum")
    start_meeting(facilitator, meeting.id)
    service.focus_clause(facilitator, meeting.id, clause)
    service.start_silent_round(facilitator, meeting.id)
    reply = make.comment(replier, clause, parent_id=parent.id)
    assert reply.silent_round_id is not None
    notify(app)
    assert notified("comment_replied") == []


def test_a_name_with_markup_is_escaped_in_the_mail(app, make, smtp):
    document = make.document()
    make.open_period(document)
    parent = make.user(name="<b>Pat</b> & co")
    comment = make.comment(parent, make.clause_ids(document)[0])
    record_resolution(make.admin(), comment.id, disposition="accepted", rationale="Yes.")
    notify(app)
    send_due_mail(app)
    (mail,) = smtp.wait_for(1)
    assert "&lt;b&gt;Pat&lt;/b&gt; &amp; co" in mail.get_body(("html",)).get_content()
    assert "Hello <b>Pat</b> & co," in mail.get_body(("plain",)).get_content()


def test_skip_to_now_starts_notifying_after_the_history(app, make, runner):
    document = make.document()
    make.open_period(document)
    parent = make.user()
    comment = make.comment(parent, make.clause_ids(document)[0])
    record_resolution(make.admin(), comment.id, disposition="accepted", rationale="Yes.")
    result = runner.invoke(args=["notifications", "skip-to-now"])
    assert "Notifications start after event" in result.output
    assert notify(app) == 0 and notified() == []
