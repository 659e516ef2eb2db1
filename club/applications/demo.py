"""Demo data for the way in: one application waiting in the curators' queue.

Iris Calloway was invited by the demo member and has asked the second demo member to endorse
her, so signing in as second@demo.club shows an endorsement request, and the curator has an
application to look at. The demo member keeps invites for the walkthrough.
"""
from __future__ import annotations

from datetime import timedelta

from club.applications.applying import INVITER_STATEMENT
from club.auth.service import create_account
from club.core import settings
from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.club import RulesAcceptance

APPLICANT_EMAIL = "iris.calloway@example.com"


def seed_demo(people: dict) -> None:
    from club.core.demo import DEMO_PASSWORD

    member, second = people["member"], people["second"]
    now = utcnow()
    invited_at = now - timedelta(days=3)
    note = "Iris restores old boats in Deptford and ran the river lecture series I keep talking about."
    invitation = Invitation(inviter_id=member.id, email=APPLICANT_EMAIL, note=note, created_at=invited_at,
                            expires_at=invited_at + timedelta(days=settings.get("invite_ttl_days")),
                            opened_at=invited_at + timedelta(hours=2), used_at=now - timedelta(days=2))
    db.session.add(invitation)
    applicant = create_account(APPLICANT_EMAIL, "Iris Calloway", DEMO_PASSWORD)
    db.session.flush()
    rules = settings.current_rules()
    application = Application(
        invitation_id=invitation.id, user_id=applicant.id, state="submitted", full_name="Iris Calloway",
        email=APPLICANT_EMAIL, city="London", occupation="Boat restorer", company="Calloway & Daughters",
        links=["https://example.com/calloway-boats"], interests=["sailing", "design", "books"],
        languages=["English", "Italian"],
        motivation=("I have spent ten years on the river among people who make things by hand, and I miss the "
                    "conversations that happen when those people sit at one table."),
        contribution=("A winter evening on wooden boats and how they are saved, and a standing offer to take "
                      "members out on the Thames in summer."),
        rules_version_id=rules.id if rules is not None else None, endorsement_count=1,
        endorsers_asked=[second.email], submitted_at=now - timedelta(days=2))
    db.session.add(application)
    db.session.flush()
    db.session.add_all([
        Endorsement(application_id=application.id, endorser_id=member.id, state="endorsed",
                    statement=note or INVITER_STATEMENT, requested_at=application.submitted_at,
                    answered_at=application.submitted_at),
        Endorsement(application_id=application.id, endorser_id=second.id, state="requested",
                    requested_at=now - timedelta(days=1)),
    ])
    if rules is not None:
        db.session.add(RulesAcceptance(user_id=applicant.id, rules_version_id=rules.id,
                                       accepted_at=application.submitted_at))
    db.session.flush()
