"""A member's copy of everything the club stores about them (GDPR art. 15 and 20).

What is in it: their account, membership, profile and directory choices, their own
application answers, endorsements and invitations they gave, bookings, requests with the
whole thread, their conversations with the club, payments, and each version of the rules they accepted. What is not: other
people's private words about them (curators' notes, scores and review comments), and anything
about other members beyond the names of the staff who answered them.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from club.applications import export as applications_export
from club.billing.export import payments_for_export
from club.core import settings
from club.events.export import bookings_for_export
from club.extensions import db
from club.members import club_feedback, privacy, request_states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import RulesAcceptance
from club.models.membership import MemberProfile
from club.models.user import User
from club.models.members import CuratorChangeRequest, CuratorRequest, RequestMessage

FORMAT_VERSION = 1


def export_for(user: User) -> dict[str, Any]:
    membership = membership_of(user)
    profile = db.session.get(MemberProfile, user.id)
    return _jsonable({
        "format_version": FORMAT_VERSION,
        "club": settings.get("club_name"),
        "exported_at": utcnow(),
        "account": {
            "id": user.id, "email": user.email, "full_name": user.full_name, "created_at": user.created_at,
            "last_login_at": user.last_login_at, "roles": sorted(user.role_names),
        },
        "membership": _membership(membership),
        "profile": _profile(profile),
        "applications": applications_export.applications_of(user),
        "endorsements_given": applications_export.endorsements_given_by(user),
        "invitations_sent": applications_export.invitations_sent_by(user),
        "bookings": _bookings(user),
        "requests_to_curator": _requests(user),
        "curator_change_requests": _curator_changes(user),
        "feedback_to_club": club_feedback.export_threads(user),
        "payments": _payments(membership),
        "rules_accepted": _rules(user),
    })


def filename_for(user: User) -> str:
    return f"club-data-{user.id}-{utcnow():%Y%m%d}.json"


def _membership(membership) -> dict | None:
    if membership is None:
        return None
    return {
        "state": membership.state, "kind": membership.kind, "plan": membership.plan,
        "approved_at": membership.approved_at, "joined_at": membership.joined_at,
        "current_period_end": membership.current_period_end, "grace_until": membership.grace_until,
        "initiation_paid": membership.initiation_paid,
        # Only the name: the curator's contact details are on the member's home page already.
        "curator": membership.curator.full_name if membership.curator else None,
    }


def _profile(profile: MemberProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "city": profile.city, "occupation": profile.occupation, "company": profile.company, "bio": profile.bio,
        "interests": list(profile.interests or []), "languages": list(profile.languages or []),
        "links": list(profile.links or []), "has_photo": bool(profile.photo_filename),
        "directory": {"listed": profile.directory_listed,
                      "fields_shown": privacy.clean_choice(profile.directory_fields),
                      "chosen_at": profile.directory_chosen_at},
        "updated_at": profile.updated_at,
    }


def _bookings(user: User) -> list[dict]:
    return bookings_for_export(user)


def _requests(user: User) -> list[dict]:
    rows = db.session.scalars(
        db.select(CuratorRequest).where(CuratorRequest.member_id == user.id)
        .options(selectinload(CuratorRequest.messages).selectinload(RequestMessage.author))
        .order_by(CuratorRequest.id)
    )
    you, the_club = _("you"), _("the club")  # the keys stay English; what a person reads is in their language
    return [{
        "topic": str(request_states.TOPIC_LABELS.get(r.topic, r.topic)), "state": r.state,
        "created_at": r.created_at, "closed_at": r.closed_at,
        "messages": [{"from": you if m.author_id == user.id else (m.author.full_name if m.author else the_club),
                      "at": m.created_at, "text": m.body} for m in r.messages],
    } for r in rows]


def _curator_changes(user: User) -> list[dict]:
    rows = db.session.scalars(db.select(CuratorChangeRequest).where(CuratorChangeRequest.member_id == user.id)
                              .order_by(CuratorChangeRequest.id))
    return [{"reason": c.reason, "state": c.state, "created_at": c.created_at, "resolved_at": c.resolved_at}
            for c in rows]


def _payments(membership) -> list[dict]:
    if membership is None:
        return []
    return payments_for_export(membership.id)


def _rules(user: User) -> list[dict]:
    rows = db.session.scalars(db.select(RulesAcceptance).where(RulesAcceptance.user_id == user.id)
                              .order_by(RulesAcceptance.accepted_at))
    return [{"rules_version": r.rules_version_id, "accepted_at": r.accepted_at} for r in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
