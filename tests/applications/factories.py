"""Factories for the way in: invitations, applications and endorsement requests (each commits)."""
from __future__ import annotations

from datetime import timedelta

from club.applications.applying import Answers, submit_application
from club.applications.invite_links import invitation_token
from club.applications.status import application_of
from club.extensions import db
from club.core import settings
from club.models.applications import Invitation
from club.models.base import utcnow
from club.models.club import InterestTag, RulesAcceptance, RulesVersion
from club.models.user import User
from tests.factories import make_member, make_rules

INTERESTS = ("books", "sailing", "wine")
APPLICANT_PASSWORD = "a long applicant password"


def current_rules() -> RulesVersion:
    return settings.current_rules() or make_rules()


def make_club_member(**kwargs) -> User:
    """An active member who has accepted the current rules (members are asked to before anything else)."""
    rules = current_rules()
    user = make_member(**kwargs)
    db.session.add(RulesAcceptance(user_id=user.id, rules_version_id=rules.id))
    db.session.commit()
    return user


def make_interests(*names: str) -> list[InterestTag]:
    tags = [InterestTag(name=n) for n in (names or INTERESTS)]
    db.session.add_all(tags)
    db.session.commit()
    return tags


def make_invitation(inviter: User | None = None, email: str = "invitee@example.net", note: str | None = None,
                    created_at=None, **fields) -> Invitation:
    inviter = inviter or make_club_member()
    created = created_at or utcnow()
    invitation = Invitation(inviter_id=inviter.id, email=email, note=note, created_at=created,
                            expires_at=fields.pop("expires_at", created + timedelta(days=14)), **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def token_for(invitation: Invitation) -> str:
    return invitation_token(invitation)


def application_form(rules_version_id: int | str, **overrides) -> dict:
    data = {
        "full_name": "Ada Quill",
        "city": "Bristol",
        "occupation": "Bookbinder",
        "company": "Quill Bindery",
        "links": "https://example.com/ada\nhttps://quill.example.org/work",
        "interests": ["books", "sailing"],
        "languages": "English, french",
        "motivation": "I have bound books for twenty years and would love a room of people who read them slowly and well.",
        "contribution": "An evening on the craft of binding, a small press library, and good company at the long table.",
        "rules_version": str(rules_version_id),
        "accept_rules": "y",
        "password": APPLICANT_PASSWORD,
        "confirm": APPLICANT_PASSWORD,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, invitation: Invitation, rules_version_id: int | None = None, **overrides):
    """Apply through the form. Needs the rules and interests to exist."""
    return client.post(f"/apply/{token_for(invitation)}", data=application_form(rules_version_id, **overrides))


def make_application(inviter: User | None = None, email: str = "invitee@example.net", note: str | None = None):
    """An application submitted through the service, as the applicant would (returns the account)."""
    rules = current_rules()
    existing = {t for t in db.session.scalars(db.select(InterestTag.name))}
    if "books" not in existing:
        make_interests()
    invitation = make_invitation(inviter, email=email, note=note)
    answers = Answers(full_name="Ada Quill", city="Bristol", occupation="Bookbinder", company=None,
                      links=["https://example.com/ada"], interests=["books"], languages=["English"],
                      motivation="m" * 100, contribution="c" * 100, rules_version_id=rules.id,
                      password=APPLICANT_PASSWORD)
    user = submit_application(token_for(invitation), answers)
    return user, application_of(user), invitation
