"""Demo data for curation: the curators' profiles (with a second curator, so matching has a real
choice), a private note, the history of who looks after the demo members, and a colleague's score
on a waiting application."""
from __future__ import annotations

from datetime import timedelta

from club.applications.review import oldest_submitted_application_id
from club.auth.service import create_account
from club.core.demo import DEMO_PASSWORD
from club.extensions import db
from club.models.base import utcnow
from club.models.curation import CuratorAssignment, CuratorProfile, MemberNote, Review
from club.models.user import ROLE_CURATOR


def seed_demo(people: dict) -> None:
    curator, admin = people["curator"], people["admin"]
    db.session.add(CuratorProfile(user_id=curator.id, bio="Fifteen years of salons and supper clubs.",
                                  contact="Write through the club, or call +44 20 7946 0000",
                                  city="London", interests=["books", "wine", "architecture", "music"],
                                  languages=["English", "French"], capacity=25))
    second_curator = create_account("curator2@demo.club", "Inès Moreau", DEMO_PASSWORD, roles=(ROLE_CURATOR,),
                                    actor=admin)
    db.session.add(CuratorProfile(
        user_id=second_curator.id, bio="Once ran a film society in Lyon; now keeps the club's screening room busy.",
        contact="Write through the club, or call +33 1 70 36 00 00", city="Paris",
        interests=["art", "film", "cooking", "wine"], languages=["French", "Spanish"], capacity=20))
    people["second_curator"] = second_curator
    now = utcnow()
    for key in ("member", "second"):
        db.session.add(CuratorAssignment(member_id=people[key].id, curator_id=curator.id, reason="Matched at approval",
                                         assigned_by_id=admin.id, assigned_at=now - timedelta(days=400)))
    db.session.add(MemberNote(
        member_id=people["member"].id, author_id=curator.id, created_at=now - timedelta(days=12),
        body="Met Margot at the wine evening. Would like to host a reading from the book she is finishing; "
             "follow up in the spring."))
    db.session.add(MemberNote(
        member_id=people["member"].id, author_id=curator.id, created_at=now - timedelta(days=60),
        body="Prefers to be written to rather than called."))
    waiting_id = oldest_submitted_application_id(not_invited_by=second_curator.id)
    if waiting_id is not None:
        db.session.add(Review(application_id=waiting_id, curator_id=second_curator.id, score=4,
                              comment="A thoughtful application; the endorsements speak for them."))
    db.session.flush()
