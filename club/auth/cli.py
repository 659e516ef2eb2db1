"""`flask --app wsgi create-admin`: the first admin of a real club.

Prompts and answers follow the shell's language (``LANG=ru_RU.UTF-8`` for Russian)."""
from __future__ import annotations

import click
from flask_babel import gettext as _, lazy_gettext as _l

from club.auth.service import AccountError, create_account
from club.core.passwords import password_weakness
from club.extensions import db
from club.models.user import ROLE_ADMIN


@click.command("create-admin")
@click.option("--email", prompt=_l("Email of the first admin"))
@click.option("--name", "full_name", prompt=_l("Full name"))
@click.password_option("--password", prompt=_l("Password (not shown)"), confirmation_prompt=_l("Repeat the password"))
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
    click.echo(_("Admin %(email)s created. Sign in at /login.", email=user.email))


@click.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Remove a person's second factor (e.g. the last admin lost their phone and recovery codes)."""
    from club.auth import second_factor
    from club.auth.service import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(_("No account with the email %(email)s.", email=email))
    if not second_factor.reset_from_command_line(user):
        raise click.ClickException(_("%(email)s has no second factor.", email=user.email))
    click.echo(_("The second factor of %(email)s is removed and their sessions have ended. "
                 "They sign in with their password and set up the app again.", email=user.email))


commands = [create_admin, reset_second_factor]
