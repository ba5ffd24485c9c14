"""Command line: flask --app app users create | demo (db upgrade comes from Flask-Migrate)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .errors import ServiceError


class ServiceCommand(click.Command):
    """A command that changes state through the services: a refusal is printed as its
    message (no traceback) and the command exits 1. The one place the CLI maps ServiceError."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ServiceError as error:
            raise click.ClickException(error.message) from None


def register_cli(app: Flask) -> None:
    users = AppGroup("users", help="Manage accounts.")

    @users.command("create", cls=ServiceCommand)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--password", required=True, prompt=True, hide_input=True)
    @click.option("--role", required=True, type=click.Choice(["admin", "facilitator", "participant", "observer"]))
    @click.option("--group", required=True, help="A group's slug, e.g. district or families.")
    def create_user_command(email, name, password, role, group):
        """Create an account (the first administrator comes from here)."""
        from .services.users import create_user

        user = create_user(None, email=email, name=name, password=password, role=role, group=group)
        click.echo(f"Created {user.role} {user.email} (id {user.id}) in group {group}.")

    app.cli.add_command(users)

    @app.cli.command("demo", cls=ServiceCommand)
    @click.option("--password", default="common-ground-demo",
                  help="Password for every demo account.")
    @click.option("--scale", "scale", type=click.IntRange(min=10), default=None,
                  help="Instead: a large period of this many comments (issue 13), with co-signatures, "
                       "comments entered by staff, answers and campaigns; 2,000 accounts unless --accounts.")
    @click.option("--accounts", type=click.IntRange(min=2), default=2_000, help="With --scale: how many accounts.")
    @click.option("--no-grouping", is_flag=True, help="With --scale: leave `flask campaigns group` to be run.")
    def demo_command(password, scale, accounts, no_grouping):
        """Load the sample SRO agreement, one account per group, an open comment period and comments."""
        if scale is None:
            from .demo import load_demo

            click.echo(load_demo(password))
            return
        from .demo.scale import ScalePlan, build_period

        figures = build_period(ScalePlan(scale, accounts=accounts, password=password,
                                         group_campaigns=not no_grouping), progress=click.echo)
        click.echo(f"Document {figures.document_id}: {scale:,} comments ({figures.comments_per_s:,.0f}/s), "
                   f"{figures.entered_on_behalf:,} entered by staff, {figures.cosignatures:,} co-signatures "
                   f"(most on one comment: {figures.most_cosigned}), {figures.campaigns} campaigns.")
        for note in figures.notes:
            click.echo(note)
        click.echo(f"Sign in as admin@scale.example (or personN@scale.example) with the password: {password}")

    register_audit_cli(app)
    from .mail.cli import register_mail_cli

    register_mail_cli(app)
    from .notifications.cli import register_notifications_cli

    register_notifications_cli(app)
    from .campaigns.cli import register_campaigns_cli

    register_campaigns_cli(app)


def register_audit_cli(app: Flask) -> None:
    """flask --app app events verify [--checkpoint FILE] | events export DIR"""
    events = AppGroup("events", help="Check and export the hash-chained event log.")

    @events.command("verify")
    @click.option("--checkpoint", "checkpoint_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                  help="A checkpoint file you kept (GET /api/v1/events/checkpoints, or one checkpoint).")
    def verify_command(checkpoint_files):
        """Exit 0 when the chain holds; 1 naming the first bad seq when not."""
        from .audit import verify_database
        from .verify import load_checkpoints

        try:
            kept = [c for path in checkpoint_files for c in load_checkpoints(path)]
        except ValueError as error:
            raise click.UsageError(f"cannot read the checkpoint file: {error}")
        report = verify_database(kept)
        click.echo(report.summary())
        for note in report.notes:
            click.echo("  " + note)
        if not report.ok:
            raise SystemExit(1)

    @events.command("export")
    @click.argument("directory", type=click.Path(file_okay=False))
    def export_command(directory):
        """Write the log, the texts, the checkpoints and verify.py into DIRECTORY."""
        from .audit import export_log

        summary = export_log(directory)
        click.echo(f"Exported {summary['events']} events, {summary['texts']} texts and "
                   f"{summary['checkpoints']} checkpoints to {directory}. "
                   f"Check it offline: python3 {directory}/verify.py {directory}")

    app.cli.add_command(events)
