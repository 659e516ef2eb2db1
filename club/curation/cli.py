"""`flask --app wsgi purge-applicants`: the retention purge (cron: daily). Erases old applicants'
personal data after ``retention_days`` and former members' after ``former_member_retention_days``."""
from __future__ import annotations

import click

from club.core import settings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.command("purge-applicants")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Applicants' retention period in days (default: the club setting retention_days, 180 unless changed).")
@click.option("--former-member-days", type=click.IntRange(min=1), default=None,
              help="Former members' retention period in days, counted from the end of the membership "
                   "(default: the club setting former_member_retention_days, 365 unless changed).")
def purge_applicants(days: int | None, former_member_days: int | None) -> None:
    """The retention purge: erase personal data of rejected and withdrawn applications older than
    the retention period, and of former members whose membership ended longer ago than theirs."""
    from club.curation.purge import purge_applicants as purge, purge_former_members

    retention = days if days is not None else int(settings.get("retention_days"))
    erased = purge(retention_days=retention)
    if not erased:
        click.echo(f"Nothing to erase: no rejected or withdrawn application older than {retention} days "
                   "still holds personal data.")
    else:
        for item in erased:
            account = f" and applicant account #{item.account_id}" if item.account_id else ""
            click.echo(f"Erased application #{item.application_id} ({item.state} {item.closed_at:%Y-%m-%d}){account}.")
        accounts = sum(1 for item in erased if item.account_id)
        click.echo(f"Erased {_plural(len(erased), 'application')} and {_plural(accounts, 'account')}; kept their "
                   "states, dates, inviters, endorsement counts, scores and re-invite cool-downs.")

    member_retention = former_member_days if former_member_days is not None else \
        int(settings.get("former_member_retention_days"))
    members = purge_former_members(retention_days=member_retention)
    if not members:
        click.echo(f"Nothing to erase: no membership that ended more than {member_retention} days ago "
                   "still names its former member.")
        return
    for member in members:
        click.echo(f"Erased former member account #{member.user_id} (membership #{member.membership_id} "
                   f"ended {member.ended_at:%Y-%m-%d}).")
    click.echo(f"Erased {_plural(len(members), 'former member')}; kept their memberships' states and dates, "
               "their payments and the audit log.")


commands = [purge_applicants]
