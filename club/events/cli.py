"""Cron-friendly commands: reminders a day before, feedback requests after. Both are safe to run
every few minutes: each mail is claimed in the database before it is sent, so none goes twice."""
from __future__ import annotations

import click

from club.events import mailings


@click.command("send-reminders")
def send_reminders() -> None:
    """Mail each booked member once, about a day before their event."""
    sent = mailings.send_reminders()
    click.echo(f"{sent} reminder{'s' if sent != 1 else ''} sent.")


@click.command("send-feedback-requests")
def send_feedback_requests() -> None:
    """After an event, ask those who attended to rate it (once each)."""
    sent = mailings.send_feedback_requests()
    click.echo(f"{sent} feedback request{'s' if sent != 1 else ''} sent.")


commands = [send_reminders, send_feedback_requests]
