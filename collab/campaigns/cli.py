"""flask --app app campaigns group [--document ID]"""
from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup


def register_campaigns_cli(app: Flask) -> None:
    group = AppGroup("campaigns", help="Group copies of one text into campaigns.")

    @group.command("group")
    @click.option("--document", "document_id", type=int, default=None,
                  help="Only this document's comments (default: every document's).")
    def group_command(document_id):
        """Group every comment not grouped yet, then exit (the servers do it as comments arrive)."""
        from ..services.campaign_grouping import group_all

        started = time.perf_counter()
        result = group_all(document_id)
        if result.busy:
            raise click.ClickException("Another process is grouping right now; try again when it is done.")
        click.echo(f"Grouped {result.signed} comments in {time.perf_counter() - started:.1f} s: "
                   f"{result.campaigns} new campaigns, {result.joined} copies joined one.")

    app.cli.add_command(group)
