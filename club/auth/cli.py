"""`flask --app wsgi create-admin`: the first admin of a real club."""
from __future__ import annotations

import click

from club.auth.service import AccountError, create_account
from club.core.passwords import MIN_PASSWORD_LENGTH
from club.extensions import db
from club.models.user import ROLE_ADMIN


@click.command("create-admin")
@click.option("--email", prompt="Email of the first admin")
@click.option("--name", "full_name", prompt="Full name")
@click.password_option("--password", prompt="Password (not shown)", confirmation_prompt="Repeat the password")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an admin account for a real club (asks for the password without echoing it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        user = create_account(email, full_name, password, roles=(ROLE_ADMIN,))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Admin {user.email} created. Sign in at /login.")


commands = [create_admin]
