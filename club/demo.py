"""The demo club that `make run` shows: staff, members, and whatever each feature adds.

Each feature that has demo data offers ``seed_demo(people)`` in ``club/<feature>/demo.py``; the
``people`` dict names the demo accounts by role.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from club.auth.service import create_account, find_user_by_email
from club.core import settings
from club.core.demo import DEMO_PASSWORD
from club.extensions import db
from club.features import feature_modules
from club.membership import states
from club.models.base import utcnow
from club.models.club import InterestTag, RulesVersion
from club.models.membership import MemberProfile, Membership
from club.models.user import ROLE_ADMIN, ROLE_CURATOR

DEMO_ACCOUNTS = [  # the address, and who it is (printed by `seed-demo`, in the shell's language)
    ("admin@demo.club", _l("admin (owner)")),
    ("curator@demo.club", _l("curator")),
    ("member@demo.club", _l("member")),
    ("second@demo.club", _l("member (endorses applications in the demo)")),
]
INTERESTS = ["architecture", "art", "books", "cooking", "design", "film", "music", "philosophy",
             "sailing", "science", "technology", "wine"]


def seed() -> bool:
    """Create the demo club. Returns False (and changes nothing) when it exists already."""
    if find_user_by_email("admin@demo.club") is not None:
        return False
    for name in INTERESTS:
        db.session.add(InterestTag(name=name))
    admin = create_account("admin@demo.club", "Alexandra Whitcombe", DEMO_PASSWORD, roles=(ROLE_ADMIN,))
    db.session.add(RulesVersion(body=settings.DEFAULT_RULES, published_by_id=admin.id))
    curator = create_account("curator@demo.club", "Julian Marsh", DEMO_PASSWORD, roles=(ROLE_CURATOR,))
    people = {"admin": admin, "curator": curator}
    for key, email, name, city, interests in [
        ("member", "member@demo.club", "Margot Ellery", "London", ["books", "wine", "design"]),
        ("second", "second@demo.club", "Theo Lindqvist", "London", ["sailing", "technology", "music"]),
    ]:
        user = create_account(email, name, DEMO_PASSWORD)
        now = utcnow()
        db.session.add(Membership(user_id=user.id, state=states.ACTIVE, kind="complimentary",
                                  curator_id=curator.id, approved_at=now - timedelta(days=400),
                                  joined_at=now - timedelta(days=400)))
        db.session.add(MemberProfile(user_id=user.id, city=city, interests=interests, languages=["English"]))
        people[key] = user
    db.session.flush()
    for module in feature_modules("demo"):
        module.seed_demo(people)
    db.session.commit()
    return True
