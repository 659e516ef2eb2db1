"""What the way in holds about a person, as their copy of their data shows it (GDPR art. 15 and 20).

Their own application answers and outcome, the endorsements they gave and the invitations they
sent; never the curators' words, the applicant's name in an endorsement, or an invitee's address.
"""
from __future__ import annotations

from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation
from club.models.user import User


def applications_of(user: User) -> list[dict]:
    # The applicant's own answers and the outcome; reviews, scores and decision reasons are the
    # curators' words and stay out.
    rows = db.session.scalars(db.select(Application).where(Application.user_id == user.id).order_by(Application.id))
    return [{
        "state": a.state, "full_name": a.full_name, "email": a.email, "city": a.city, "occupation": a.occupation,
        "company": a.company, "links": list(a.links or []), "interests": list(a.interests or []),
        "languages": list(a.languages or []), "motivation": a.motivation, "contribution": a.contribution,
        "rules_version_id": a.rules_version_id, "submitted_at": a.submitted_at, "decided_at": a.decided_at,
        "withdrawn_at": a.withdrawn_at,
    } for a in rows]


def endorsements_given_by(user: User) -> list[dict]:
    # Their own statements; the applicant's name is someone else's data.
    rows = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == user.id)
                              .order_by(Endorsement.id))
    return [{"state": e.state, "statement": e.statement, "requested_at": e.requested_at,
             "answered_at": e.answered_at} for e in rows]


def invitations_sent_by(user: User) -> list[dict]:
    # When and with what outcome; the invitee's address is theirs, not the member's.
    rows = db.session.scalars(db.select(Invitation).where(Invitation.inviter_id == user.id).order_by(Invitation.id))
    return [{"created_at": i.created_at, "expires_at": i.expires_at, "used_at": i.used_at,
             "revoked_at": i.revoked_at, "note": i.note} for i in rows]
