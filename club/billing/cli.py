"""Commands: `flask --app wsgi stripe-sync` (the plans' Stripe catalogue) and
`flask --app wsgi sync-billing` (nightly: repair drift by customer, expire what is due, dunning mails)."""
from __future__ import annotations

import click
from flask_babel import gettext as _, ngettext

from club.billing import catalogue, reconcile
from club.billing.errors import BillingError
from club.billing.gateway import GatewayError
from club.billing.setup import stripe_enabled


@click.command("stripe-sync")
def stripe_sync() -> None:
    """Create or update every plan's Stripe product and prices (safe to run again)."""
    try:
        lines = catalogue.stripe_sync()
    except BillingError as exc:
        raise click.ClickException(_("STRIPE_SECRET_KEY is not set; there is nothing to sync.")) from exc
    except GatewayError as exc:
        raise click.ClickException(_("Stripe could not be reached or refused the request: %(error)s", error=exc)) from exc
    for line in lines:
        click.echo(line)


@click.command("sync-billing")
def sync_billing() -> None:
    """Re-read every Stripe customer, repair drift, expire ended grace and offline periods, send dunning mails."""
    if not stripe_enabled():
        click.echo(_("Stripe is not configured: checking offline and complimentary memberships only."))
    lines = reconcile.sync_billing()
    for line in lines:
        click.echo(line)
    click.echo(ngettext("%(num)d change(s).", "%(num)d change(s).", len(lines)) if lines else _("Nothing to change."))


commands = [stripe_sync, sync_billing]
