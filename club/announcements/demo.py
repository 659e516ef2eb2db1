"""What the demo club says to its members: a pinned welcome from the owner and a curator's note."""
from __future__ import annotations

from datetime import timedelta

from club.extensions import db
from club.models.announcements import Announcement
from club.models.base import utcnow
from club.models.user import User


def seed_demo(people: dict[str, User]) -> None:
    now = utcnow()
    db.session.add_all([
        Announcement(title="The library room reopens", pinned=True, author_id=people["admin"].id,
                     created_at=now - timedelta(days=6),
                     body="The library on the first floor is open again after its new shelves went in.\n\n"
                          "Members may book it for small suppers of up to eight; ask your curator."),
        Announcement(title="Ideas for next season", author_id=people["curator"].id, created_at=now - timedelta(days=2),
                     body="We are planning the autumn evenings. If there is a talk, a walk or a tasting you would "
                          "like, write to your curator. The reading list from the last salon is at "
                          "https://example.com/salon-reading."),
    ])
