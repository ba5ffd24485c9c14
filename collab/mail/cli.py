"""flask --app app mail worker | mail send-pending [--once] | mail test ADDRESS"""
from __future__ import annotations

import logging
import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup

log = logging.getLogger(__name__)


def register_mail_cli(app: Flask) -> None:
    group = AppGroup("mail", help="Send the outbox's mail.")

    @group.command("worker")
    def worker_command():
        """Send due mail until stopped (SIGTERM or Ctrl-C finish the mail being sent first).
        For production with MAIL_WORKER_ENABLED=false on the servers; several may run at once."""
        from .outbox import mail_queued
        from .worker import new_worker_id, run_worker, settings_problem

        problem = settings_problem(current_app.config)
        if problem:
            raise click.ClickException(f"Mail settings: {problem}")
        stop = threading.Event()

        def _stop(*_):
            stop.set()
            mail_queued.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        worker_id = new_worker_id()
        click.echo(f"Mail worker {worker_id} sending with MAIL_BACKEND={current_app.config['MAIL_BACKEND']}.")
        sent = run_worker(current_app._get_current_object(), stop=stop, worker_id=worker_id)
        click.echo(f"Mail worker stopped after sending {sent} mails.")

    @group.command("send-pending")
    @click.option("--once", is_flag=True, help="Send one batch (MAIL_BATCH_SIZE) only.")
    def send_pending_command(once):
        """Send the mail that is due now, then exit (mail waiting for a retry stays queued)."""
        from .worker import new_worker_id, run_once, run_worker

        app_object = current_app._get_current_object()
        if once:
            result = run_once(app_object, new_worker_id())
            sent, waiting = result.sent, result.retrying + result.released
        else:
            sent, waiting = run_worker(app_object, until_idle=True), None
        click.echo(f"Sent {sent} mails." + (f" {waiting} wait for a retry." if waiting else ""))

    app.cli.add_command(group)
