"""Commands for ballots: draw the ballots whose window has ended (what the periodic job runs),
re-check a draw from its recorded seed, and expire offers of seats that ran out of time."""
from __future__ import annotations

import click
from flask_babel import gettext as _, ngettext

from club.events import ballot_close, offers


@click.command("draw-ballots")
def draw_ballots() -> None:
    """Draw every ballot whose window has ended (each once, however often this runs)."""
    drawn = ballot_close.draw_due()
    click.echo(ngettext("%(num)d ballot drawn.", "%(num)d ballots drawn.", drawn))


@click.command("check-ballot")
@click.argument("event_id", type=int)
def check_ballot(event_id: int) -> None:
    """Recompute an evening's draw from its seed and entries, and compare with the recorded result."""
    ballot_id = ballot_close.ballot_id_for(event_id)
    if ballot_id is not None and ballot_close.recheck(ballot_id):
        click.echo(_("The draw matches its seed."))
        return
    click.echo(_("The draw does not match, or the evening has no drawn ballot."))
    raise SystemExit(1)


@click.command("expire-waitlist-offers")
def expire_waitlist_offers() -> None:
    """Close offers of seats whose time ran out, and offer the seats to the next party."""
    expired = offers.expire_offers()
    click.echo(ngettext("%(num)d offer expired.", "%(num)d offers expired.", expired))


commands = [draw_ballots, check_ballot, expire_waitlist_offers]
