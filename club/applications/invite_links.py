"""Invitation links: the signed token that names an invitation, and why a link cannot be used."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from club.auth.service import normalize_email
from club.core import settings
from club.core.tokens import Signer, TokenExpired, TokenInvalid, keyed_hash
from club.extensions import db
from club.models.applications import Invitation
from club.models.base import utcnow

_invite_signer = Signer(salt="club-invitation")
INVITE_EMAIL_PURPOSE = "invitation-email"


class InviteLinkError(Exception):
    """An invitation link that cannot be used. ``title`` and ``message`` are shown to the visitor."""

    title = _l("This invitation link is not valid")
    status_code = 404
    message = _l("The link may have been cut short when it was copied. Open it again from the email, "
                 "or ask the member who invited you for a new invitation.")


class InviteLinkInvalid(InviteLinkError):
    pass


class _Gone(InviteLinkError):
    status_code = 410


class InviteLinkExpired(_Gone):
    title = _l("This invitation has expired")
    message = _l("Invitations last a limited time. Ask the member who invited you to send you a new one; "
                 "it takes them a minute.")


class InviteLinkRevoked(_Gone):
    title = _l("This invitation was withdrawn")
    message = _l("The member who invited you has withdrawn this invitation. If you believe that was a mistake, "
                 "ask them for a new one.")


class InviteLinkUsed(_Gone):
    title = _l("This invitation has already been used")
    message = _l("An application has already been made with this invitation; each one can be used once. If it "
                 "was you, sign in to follow your application. Otherwise, ask your member for a new invitation.")


class InviteLinkAccountExists(InviteLinkError):
    status_code = 409
    title = _l("You already have an account")
    message = _l("This email already has an account with the club, so it cannot apply again with this invitation. "
                 "Sign in instead, or speak to the member who invited you.")


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invite link; it names the invitation and is bound to its email."""
    return _invite_signer.dumps({"i": invitation.id, "e": _email_tag(invitation.email)})


def _email_tag(email: str) -> str:
    return keyed_hash(normalize_email(email), INVITE_EMAIL_PURPOSE)[:24]


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names, with its inviter; an ``InviteLinkError`` when it cannot be used."""
    try:
        payload = _invite_signer.loads(token, max_age=settings.get("invite_ttl_days") * 86400)
    except TokenExpired as exc:
        raise InviteLinkExpired() from exc
    except TokenInvalid as exc:
        raise InviteLinkInvalid() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InviteLinkInvalid()
    invitation = db.session.get(Invitation, payload["i"], options=[joinedload(Invitation.inviter)])
    if invitation is None or payload.get("e") != _email_tag(invitation.email):
        raise InviteLinkInvalid()
    if invitation.used_at is not None:
        raise InviteLinkUsed()
    if invitation.revoked_at is not None:
        raise InviteLinkRevoked()
    if utcnow() >= invitation.expires_at:
        raise InviteLinkExpired()
    return invitation
