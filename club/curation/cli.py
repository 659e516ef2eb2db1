"""`flask --app wsgi purge-applicants`: erase old applicants' personal data after the retention period."""
from __future__ import annotations

import click

from club.core import settings


@click.command("purge-applicants")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Retention period in days (default: the club setting retention_days, 180 unless changed).")
def purge_applicants(days: int | None) -> None:
    """Erase personal data of rejected and withdrawn applications older than the retention period."""
    from club.curation.purge import purge_applicants as purge

    retention = days if days is not None else int(settings.get("retention_days"))
    erased = purge(retention_days=retention)
    if not erased:
        click.echo(f"Nothing to erase: no rejected or withdrawn application older than {retention} days "
                   "still holds personal data.")
        return
    for item in erased:
        account = f" and applicant account #{item.account_id}" if item.account_id else ""
        click.echo(f"Erased application #{item.application_id} ({item.state} {item.closed_at:%Y-%m-%d}){account}.")
    accounts = sum(1 for item in erased if item.account_id)
    click.echo(f"Erased {len(erased)} application{'s' if len(erased) != 1 else ''} and {accounts} "
               f"account{'s' if accounts != 1 else ''}; kept their states, dates, inviters, endorsement counts, "
               "scores and re-invite cool-downs.")


commands = [purge_applicants]
