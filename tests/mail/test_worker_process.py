"""`flask --app app mail worker` as real processes: killed with SIGKILL mid-batch, restarted
as two workers on the same database; every mail goes, none more than twice, a repeat
carries the same Message-ID, and the two workers never share a mail."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from tests.conftest import any_database
from tests.live_server import ROOT
from tests.mail.test_outbox import queue, rows

MAILS = 40
HELD = 12  # the SMTP server has this mail but the worker dies before hearing "250"


def start_worker(database_url: str, smtp) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "MAIL_BACKEND": "smtp", "MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port),
           "MAIL_DEFAULT_SENDER": "Common Ground <no-reply@common-ground.test>",
           "MAIL_LEASE_SECONDS": "3", "MAIL_TIMEOUT": "1", "MAIL_BATCH_SIZE": "10", "MAIL_POLL_SECONDS": "0.1"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "mail", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_every_mail_arrived(smtp, expected: set[str], timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if expected <= set(smtp.message_ids()) and {m.status for m in rows()} == {"sent"}:
            return
        time.sleep(0.1)
    raise AssertionError(f"{len(expected - set(smtp.message_ids()))} mails never arrived")


@any_database
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_with_the_same_message_id(app, database_url,
                                                                                       smtp_server):
    mails = queue(MAILS)
    smtp_server.hold_after(HELD)
    worker = start_worker(database_url, smtp_server)
    try:
        smtp_server.wait_for(HELD, timeout=30)
        time.sleep(0.1)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=10)
    smtp_server.release()
    held = smtp_server.message_ids()[HELD - 1]
    stored = {m.message_id: m for m in rows()}
    assert stored[held].status == "sending"  # sent, but the dead worker never recorded it
    assert Counter(m.status for m in stored.values())["sent"] == HELD - 1

    workers = [start_worker(database_url, smtp_server) for _ in range(2)]
    try:
        wait_until_every_mail_arrived(smtp_server, {m.message_id for m in mails})
    finally:
        # Its first line is printed once its SIGTERM handler is in place: on a loaded machine the
        # other worker may have sent everything before this one got that far.
        first_lines = [process.stdout.readline() for process in workers]
        for process in workers:
            process.send_signal(signal.SIGTERM)
        outputs = [first + process.communicate(timeout=15)[0] for first, process in zip(first_lines, workers)]
    assert [process.returncode for process in workers] == [0, 0], outputs
    assert all("Mail worker stopped after sending" in output for output in outputs)

    counts = Counter(smtp_server.message_ids())
    assert set(counts) == {m.message_id for m in mails}
    assert counts[held] == 2  # the repeat carries the Message-ID it had the first time
    assert {mid: n for mid, n in counts.items() if n > 1} == {held: 2}
    assert {m.status for m in rows()} == {"sent"}
