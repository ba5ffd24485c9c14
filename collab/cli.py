"""Command line: flask --app app users create | demo (db upgrade comes from Flask-Migrate)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .errors import ServiceError


def register_cli(app: Flask) -> None:
    users = AppGroup("users", help="Manage accounts.")

    @users.command("create")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--password", required=True, prompt=True, hide_input=True)
    @click.option("--role", required=True, type=click.Choice(["admin", "facilitator", "participant", "observer"]))
    @click.option("--group", required=True, help="A group's slug, e.g. district or families.")
    def create_user_command(email, name, password, role, group):
        """Create an account (the first administrator comes from here)."""
        from .services.users import create_user

        try:
            user = create_user(None, email=email, name=name, password=password, role=role, group=group)
        except ServiceError as error:
            raise click.ClickException(error.message)
        click.echo(f"Created {user.role} {user.email} (id {user.id}) in group {group}.")

    app.cli.add_command(users)

    @app.cli.command("demo")
    @click.option("--password", default="common-ground-demo",
                  help="Password for every demo account.")
    def demo_command(password):
        """Load the sample SRO agreement, one account per group, an open comment period and comments."""
        from .demo import load_demo

        try:
            summary = load_demo(password)
        except ServiceError as error:
            raise click.ClickException(error.message)
        click.echo(summary)
