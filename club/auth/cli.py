"""`flask --app wsgi create-admin`: the first admin of a real club."""
from __future__ import annotations

import click

from club.auth.service import AccountError, create_account
from club.core.passwords import password_weakness
from club.extensions import db
from club.models.user import ROLE_ADMIN


@click.command("create-admin")
@click.option("--email", prompt="Email of the first admin")
@click.option("--name", "full_name", prompt="Full name")
@click.password_option("--password", prompt="Password (not shown)", confirmation_prompt="Repeat the password")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an admin account for a real club (asks for the password without echoing it)."""
    problem = password_weakness(password, (email, full_name))
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_account(email, full_name, password, roles=(ROLE_ADMIN,))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Admin {user.email} created. Sign in at /login.")


@click.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Remove a person's second factor (e.g. the last admin lost their phone and recovery codes)."""
    from club.auth import second_factor
    from club.auth.service import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    if not second_factor.reset_from_command_line(user):
        raise click.ClickException(f"{user.email} has no second factor.")
    click.echo(f"The second factor of {user.email} is removed and their sessions have ended. "
               "They sign in with their password and set up the app again.")


commands = [create_admin, reset_second_factor]
