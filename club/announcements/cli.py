"""Cron-friendly command: the monthly programme. Safe to run every day (or every few minutes): each
member's month is claimed in the database before the mail goes, so none goes twice."""
from __future__ import annotations

import click
from flask_babel import ngettext

from club.announcements import programme


@click.command("send-programmes")
def send_programmes() -> None:
    """From the programme day on, mail each member the coming month's evenings (once a month)."""
    sent = programme.send_programmes()
    click.echo(ngettext("%(num)d programme sent.", "%(num)d programmes sent.", sent))


commands = [send_programmes]
