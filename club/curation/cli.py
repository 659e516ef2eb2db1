"""`flask --app wsgi purge-applicants`: the retention purge (cron: daily). Erases old applicants'
personal data after ``retention_days`` and former members' after ``former_member_retention_days``."""
from __future__ import annotations

import click
from flask_babel import gettext as _, ngettext

from club.core import settings
from club.core.templating import format_local


def _erased_line(item) -> str:
    """One erased application, its state said in words: "Erased application #3 (rejected 2 Dec 2026)."."""
    date = format_local(item.closed_at, "date")
    if item.state == "rejected":
        if item.account_id:
            return _("Erased application #%(id)s (rejected %(date)s) and applicant account #%(account)s.",
                     id=item.application_id, date=date, account=item.account_id)
        return _("Erased application #%(id)s (rejected %(date)s).", id=item.application_id, date=date)
    if item.account_id:
        return _("Erased application #%(id)s (withdrawn %(date)s) and applicant account #%(account)s.",
                 id=item.application_id, date=date, account=item.account_id)
    return _("Erased application #%(id)s (withdrawn %(date)s).", id=item.application_id, date=date)


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
        click.echo(ngettext("Nothing to erase: no rejected or withdrawn application older than %(num)d day "
                            "still holds personal data.",
                            "Nothing to erase: no rejected or withdrawn application older than %(num)d days "
                            "still holds personal data.", retention))
    else:
        for item in erased:
            click.echo(_erased_line(item))
        accounts = sum(1 for item in erased if item.account_id)
        click.echo(_("Erased %(applications)s and %(accounts)s; kept their states, dates, inviters, endorsement "
                     "counts, scores and re-invite cool-downs.",
                     applications=ngettext("%(num)d application", "%(num)d applications", len(erased)),
                     accounts=ngettext("%(num)d account", "%(num)d accounts", accounts)))

    member_retention = former_member_days if former_member_days is not None else \
        int(settings.get("former_member_retention_days"))
    members = purge_former_members(retention_days=member_retention)
    if not members:
        click.echo(ngettext("Nothing to erase: no membership that ended more than %(num)d day ago "
                            "still names its former member.",
                            "Nothing to erase: no membership that ended more than %(num)d days ago "
                            "still names its former member.", member_retention))
        return
    for member in members:
        click.echo(_("Erased former member account #%(id)s (membership #%(membership)s ended %(date)s).",
                     id=member.user_id, membership=member.membership_id, date=format_local(member.ended_at, "date")))
    click.echo(ngettext("Erased %(num)d former member; kept their memberships' states and dates, "
                        "their payments and the audit log.",
                        "Erased %(num)d former members; kept their memberships' states and dates, "
                        "their payments and the audit log.", len(members)))


commands = [purge_applicants]
