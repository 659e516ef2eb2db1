"""Invitation links: the token names the invitation without carrying the email."""
from club.applications.invite_links import invitation_token
from tests.applications.factories import make_invitation


def test_the_link_names_the_invitation_without_carrying_the_email(ctx):
    from itsdangerous import URLSafeTimedSerializer
    from flask import current_app

    invitation = make_invitation(email="private.person@example.net")
    token = invitation_token(invitation)
    _ok, payload = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="club-invitation").loads_unsafe(token)
    assert payload["i"] == invitation.id and set(payload) == {"i", "e"}
    assert "private.person" not in token and "private.person" not in str(payload)
