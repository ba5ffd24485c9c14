"""flask --app app notifications run | notifications fan-out | notifications skip-to-now"""
from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup


def register_notifications_cli(app: Flask) -> None:
    group = AppGroup("notifications", help="Fan committed events out to notifications and digests.")

    @group.command("run")
    def run_command():
        """Run the notifier until stopped (for NOTIFIER_ENABLED=false on the servers; several may run)."""
        from .notifier import events_committed, run_notifier

        stop = threading.Event()

        def _stop(*_):
            stop.set()
            events_committed.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        click.echo("Notifier running.")
        written = run_notifier(current_app._get_current_object(), stop=stop)
        click.echo(f"Notifier stopped after writing {written} notifications.")

    @group.command("fan-out")
    def fan_out_command():
        """Fan out every committed event not yet done, send due digests, then exit."""
        from .notifier import run_notifier

        written = run_notifier(current_app._get_current_object(), until_idle=True)
        click.echo(f"Wrote {written} notifications.")

    @group.command("skip-to-now")
    def skip_to_now_command():
        """Start notifying from the log's present: events so far are never announced (after
        loading demo or imported history)."""
        from .notifier import skip_to_now

        click.echo(f"Notifications start after event {skip_to_now()}.")

    app.cli.add_command(group)
