"""Commands of the whole app: `flask --app wsgi seed-demo`, plus every feature's own commands.

Features offer theirs in ``club/<feature>/cli.py`` as a ``commands`` list; they are found here.
"""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import gettext as _

from club.core import jobs_cli
from club.core.demo import DEMO_PASSWORD
from club.demo import DEMO_ACCOUNTS, seed
from club.extensions import db
from club.features import feature_modules
from club.models.user import User


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    for command in jobs_cli.commands:
        app.cli.add_command(command)
    for module in feature_modules("cli"):
        for command in module.commands:
            app.cli.add_command(command)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no accounts at all.")
def seed_demo(if_empty: bool) -> None:
    """Fill the database with the demo club (does nothing if the demo is already there)."""
    if if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        if db.session.scalar(db.select(User.id).where(User.email == "admin@demo.club")) is None:
            click.echo(_("The database already has accounts; not adding the demo club."))
            return

    created = seed()
    if created:
        click.echo(_("Demo club created. Accounts (password: %(password)s):", password=DEMO_PASSWORD))
    else:
        click.echo(_("The demo club is already there; nothing changed. Accounts (password: %(password)s):",
                     password=DEMO_PASSWORD))
    for email, description in DEMO_ACCOUNTS:
        click.echo(f"  {email:<24} {description}")  # a table: the address padded, then who it is
