"""Commands: `flask --app wsgi create-admin`, `flask --app wsgi seed-demo`.

Feature packages add their own commands in their ``cli.py`` (registered here when present).
"""
from __future__ import annotations

import click
from flask import Flask

from club.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    from club.features import feature_modules

    for module in feature_modules("cli"):
        for command in module.commands:
            app.cli.add_command(command)


@click.command("create-admin")
@click.option("--email", prompt="Email of the first admin")
@click.option("--name", "full_name", prompt="Full name")
@click.password_option("--password", prompt="Password (not shown)", confirmation_prompt="Repeat the password")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an admin account for a real club (asks for the password without echoing it)."""
    from club.auth.service import AccountError, create_account
    from club.core.passwords import MIN_PASSWORD_LENGTH
    from club.models.user import ROLE_ADMIN

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        user = create_account(email, full_name, password, roles=(ROLE_ADMIN,))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Admin {user.email} created. Sign in at /login.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no accounts at all.")
def seed_demo(if_empty: bool) -> None:
    """Fill the database with the demo club (does nothing if the demo is already there)."""
    from club.demo import DEMO_PASSWORD, seed
    from club.models.user import User

    if if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        if db.session.scalar(db.select(User.id).where(User.email == "admin@demo.club")) is None:
            click.echo("The database already has accounts; not adding the demo club.")
            return

    created = seed()
    if created:
        click.echo("Demo club created. Accounts (password: %s):" % DEMO_PASSWORD)
    else:
        click.echo("The demo club is already there; nothing changed. Accounts (password: %s):" % DEMO_PASSWORD)
    from club.demo import DEMO_ACCOUNTS

    for email, description in DEMO_ACCOUNTS:
        click.echo(f"  {email:<24} {description}")
