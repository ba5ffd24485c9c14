"""The outbox and the mail worker, over a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.errors import Invalid
from collab.events import transaction
from collab.extensions import db
from collab.mail import enqueue_mail, render_mail
from collab.mail.worker import run_once, run_worker
from collab.models.mail import OutboxMail
from collab.services.mail import send_test_mail
from collab.timeutil import utcnow
from tests.conftest import any_database, events_of, send_due_mail

pytestmark = pytest.mark.real_commits  # workers send from their own threads and connections

UNSUBSCRIBE = {"List-Unsubscribe": "<https://example.org/unsubscribe?token=abc>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def queue(count: int, to: str = "parent{}@example.org", **extra) -> list[OutboxMail]:
    mails = []
    with transaction():
        for number in range(count):
            mails.append(enqueue_mail(to=to.format(number), subject=f"Mail {number}",
                                      text=f"Text {number}", html=f"<p>HTML {number}</p>", **extra))
    return mails


def rows() -> list[OutboxMail]:
    db.session.rollback()
    return list(db.session.execute(select(OutboxMail).order_by(OutboxMail.id)
                                    .execution_options(populate_existing=True)).scalars())


@any_database
def test_a_committed_change_mail_arrives_with_text_html_and_headers(app, smtp, make):
    admin = make.admin()
    mail = send_test_mail(admin, "District.Clerk@Example.org")
    with transaction():
        unsubscribable = enqueue_mail(to="parent@example.org", subject="Your comment was answered",
                                      text="Read the answer: https://example.org/c/1",
                                      html="<p><a href='https://example.org/c/1'>Read the answer</a></p>",
                                      headers=UNSUBSCRIBE)

    assert send_due_mail(app) == 2
    first, second = smtp.wait_for(2)
    assert first["To"] == "district.clerk@example.org"
    assert first["Subject"] == "Common Ground: test mail"
    assert first["From"] == "Common Ground <no-reply@common-ground.test>"
    assert first["Message-ID"] == mail.message_id and mail.message_id.endswith("@common-ground.test>")
    assert first["Auto-Submitted"] == "auto-generated"
    assert first.get_content_type() == "multipart/alternative"
    assert "Your mail settings work" in first.get_body(("plain",)).get_content()
    assert "<h1" in first.get_body(("html",)).get_content()
    assert second["List-Unsubscribe"] == UNSUBSCRIBE["List-Unsubscribe"]
    assert second["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert second["Message-ID"] == unsubscribable.message_id
    stored = rows()
    assert [m.status for m in stored] == ["sent", "sent"]
    assert all(m.sent_at and m.attempts == 1 and m.claimed_by is None for m in stored)
    assert stored[0].caused_by_event_seq == events_of("mail.test_requested")[0].seq


def test_a_rolled_back_change_sends_nothing(app, smtp):
    with pytest.raises(Invalid):
        with transaction():
            enqueue_mail(to="parent@example.org", subject="Never", text="Never sent")
            raise Invalid("The change is refused after the mail was queued.")
    assert rows() == []
    assert send_due_mail(app) == 0
    assert smtp.messages == []


def test_mail_is_only_queued_inside_a_service_transaction(app):
    with pytest.raises(RuntimeError, match="inside transaction"):
        enqueue_mail(to="parent@example.org", subject="Loose", text="Not with any change")


def test_smtp_down_then_up_loses_nothing_and_backs_off_exponentially(app, smtp):
    app.config.update(MAIL_RETRY_BASE_SECONDS=0.3, MAIL_RETRY_MAX_SECONDS=10)
    smtp.stop()
    queue(3)

    before = utcnow()
    result = run_once(app, "worker-a")
    assert (result.claimed, result.sent, result.retrying) == (3, 0, 3)
    stored = rows()
    assert {m.status for m in stored} == {"queued"} and {m.attempts for m in stored} == {1}
    assert all("Cannot reach the mail server" in m.last_error for m in stored)
    first_delay = (stored[0].next_attempt_at - before).total_seconds()
    assert 0.3 <= first_delay < 1.0
    assert run_once(app, "worker-a").claimed == 0  # waiting, not hammering the server

    time.sleep(first_delay)
    before = utcnow()
    assert run_once(app, "worker-a").retrying == 3
    second_delay = (rows()[0].next_attempt_at - before).total_seconds()
    assert 0.6 <= second_delay < 1.3  # doubled

    smtp.start()
    time.sleep(second_delay)
    assert send_due_mail(app) == 3
    assert sorted(m["Subject"] for m in smtp.wait_for(3)) == ["Mail 0", "Mail 1", "Mail 2"]
    stored = rows()
    assert {m.status for m in stored} == {"sent"} and {m.attempts for m in stored} == {3}
    assert all(m.last_error is None for m in stored)


def test_a_refused_recipient_fails_with_the_reason_and_others_still_go(app, smtp):
    queue(1, to="refused{}@example.org")
    queue(1, to="parent{}@example.org")
    send_due_mail(app)
    refused, delivered = rows()
    assert refused.status == "failed" and refused.attempts == 1
    assert "550" in refused.last_error and "No such mailbox" in refused.last_error
    assert delivered.status == "sent"
    assert [m["To"] for m in smtp.wait_for(1)] == ["parent0@example.org"]


def test_a_mail_is_given_up_after_the_last_attempt(app, smtp):
    app.config.update(MAIL_RETRY_BASE_SECONDS=0, MAIL_MAX_ATTEMPTS=2)
    smtp.stop()
    queue(1)
    run_once(app, "worker-a")
    assert rows()[0].status == "queued"
    run_once(app, "worker-a")
    mail = rows()[0]
    assert (mail.status, mail.attempts) == ("failed", 2)
    assert "Cannot reach the mail server" in mail.last_error


def test_a_killed_workers_claim_is_taken_over_after_its_lease(app, smtp):
    from collab.mail.outbox import claim_due

    queue(2)
    assert len(claim_due("dead-worker", 10, lease_seconds=0.3)) == 2
    assert run_once(app, "live-worker").claimed == 0  # still held
    time.sleep(0.35)
    assert send_due_mail(app) == 2
    assert {m.attempts for m in rows()} == {2}
    smtp.wait_for(2)


def test_a_send_never_starts_on_a_lease_about_to_end(app, smtp):
    """With less than MAIL_TIMEOUT of the lease left, the worker hands the mail back instead of sending."""
    app.config.update(MAIL_LEASE_SECONDS=1, MAIL_TIMEOUT=5)
    queue(2)
    result = run_once(app, "worker-a")
    assert (result.sent, result.released) == (0, 2)
    assert {(m.status, m.attempts, m.claimed_by) for m in rows()} == {("queued", 0, None)}
    assert smtp.messages == []


@any_database
def test_two_workers_never_send_the_same_mail(app, smtp):
    app.config.update(MAIL_BATCH_SIZE=7)
    mails = queue(120)
    errors = []

    def work():
        try:
            run_worker(app, until_idle=True)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    smtp.wait_for(120)
    counts = Counter(smtp.message_ids())
    assert set(counts) == {m.message_id for m in mails}
    assert max(counts.values()) == 1
    stored = rows()
    assert {m.status for m in stored} == {"sent"} and {m.attempts for m in stored} == {1}
    assert len({m.claimed_by for m in stored}) == 1  # cleared once settled


def test_send_pending_command_and_the_console_backend(app, smtp, runner, capsys):
    queue(2)
    result = runner.invoke(args=["mail", "send-pending", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 mails." in result.output
    smtp.wait_for(2)

    from collab.extensions import mailman

    app.config["MAIL_BACKEND"] = "console"
    mailman.init_app(app)
    with transaction():
        enqueue_mail(to="newcomer@example.org", subject="Sign in to Common Ground",
                     **render_mail("test", requested_by="Helen", server="-", port=0, backend="console"))
    result = runner.invoke(args=["mail", "send-pending"])
    assert "Sent 1 mails." in result.output
    printed = capsys.readouterr().out + result.output
    assert "To: newcomer@example.org" in printed and "Helen asked Common Ground" in printed
    assert rows()[-1].status == "sent" and rows()[-1].message_id in printed
    assert "<html" not in printed  # the log shows the text a newcomer reads, not the HTML
    assert len(smtp.messages) == 2  # shown, not sent


def test_backoff_is_capped(app):
    from collab.mail.outbox import retry_delay

    app.config.update(MAIL_RETRY_BASE_SECONDS=30, MAIL_RETRY_MAX_SECONDS=3600)
    assert [retry_delay(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    assert timedelta(seconds=retry_delay(1)) == timedelta(seconds=30)


def test_the_worker_refuses_settings_it_cannot_honour(app, runner):
    app.config.update(MAIL_LEASE_SECONDS=5, MAIL_TIMEOUT=5)
    result = runner.invoke(args=["mail", "worker"])
    assert result.exit_code == 1
    assert "MAIL_LEASE_SECONDS must exceed MAIL_TIMEOUT" in result.output
