"""Time to enqueue and send N mails through a real SMTP server (aiosmtpd on a free local port).

Enqueues each mail in its own service transaction (as a sign-up or an invitation does), then
runs the mail worker(s) until the SMTP server has every mail. Fresh SQLite file by default;
--database-url for PostgreSQL (the schema there is dropped and re-created: use a scratch database).

  python bench/mail_outbox.py --mails 1000
  python bench/mail_outbox.py --mails 1000 --workers 2 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="worker threads sending at once")
    parser.add_argument("--batch", type=int, default=20, help="MAIL_BATCH_SIZE")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="cg-mail-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": "bench", "MAIL_BACKEND": "smtp",
                       "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_BATCH_SIZE": str(args.batch),
                       "MAIL_DEFAULT_SENDER": "Common Ground <no-reply@bench.example>"})
    from aiosmtpd.controller import Controller
    from flask_migrate import upgrade
    from sqlalchemy import text

    from collab import create_app
    from collab.events import transaction
    from collab.extensions import db
    from collab.mail import enqueue_mail, render_mail
    from collab.mail.worker import run_worker

    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        bodies = render_mail("test", requested_by="Bench", server="127.0.0.1", port=port, backend="smtp")

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            started = time.perf_counter()
            for number in range(args.mails):
                with transaction():
                    enqueue_mail(to=f"person{number}@example.org", subject=f"Invitation {number}",
                                 headers={"List-Unsubscribe": f"<https://bench.example/u/{number}>"}, **bodies)
            enqueued = time.perf_counter() - started
            db.session.remove()

        started = time.perf_counter()
        threads = [threading.Thread(target=run_worker, args=(app,), kwargs={"until_idle": True})
                   for _ in range(args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent = time.perf_counter() - started
    finally:
        controller.stop()
    if sink.count != args.mails:
        raise SystemExit(f"the SMTP server got {sink.count} of {args.mails} mails")
    database = url.split(":", 1)[0]
    print(f"{args.mails} mails on {database}, {args.workers} worker(s), batches of {args.batch}:")
    print(f"  enqueue (one transaction each): {enqueued:6.2f} s  ({enqueued / args.mails * 1000:.2f} ms a mail)")
    print(f"  send through aiosmtpd:          {sent:6.2f} s  ({args.mails / sent:.0f} mails/s)")
    print(f"  total:                          {enqueued + sent:6.2f} s")


if __name__ == "__main__":
    main()
