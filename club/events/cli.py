"""Cron-friendly commands: reminders a day before, feedback requests after. Both are safe to run
every few minutes: each mail is claimed in the database before it is sent, so none goes twice."""
from __future__ import annotations

import click
from flask_babel import ngettext

from club.events import mailings


@click.command("send-reminders")
def send_reminders() -> None:
    """Mail each booked member once, about a day before their event."""
    sent = mailings.send_reminders()
    click.echo(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent))


@click.command("send-feedback-requests")
def send_feedback_requests() -> None:
    """After an event, ask those who attended to rate it (once each)."""
    sent = mailings.send_feedback_requests()
    click.echo(ngettext("%(num)d feedback request sent.", "%(num)d feedback requests sent.", sent))


from club.events.ballot_cli import commands as ballot_commands  # noqa: E402

commands = [send_reminders, send_feedback_requests, *ballot_commands]
