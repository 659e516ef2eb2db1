"""Plain factory functions for tests. Each commits, so the objects are real rows."""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event as sa_event

from club.auth.service import create_account
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.club import RulesVersion
from club.models.curation import CuratorProfile
from club.models.membership import MemberProfile, Membership
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, User

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(email: str | None = None, name: str | None = None, roles=(), password: str = PASSWORD) -> User:
    n = next(_seq)
    user = create_account(email or f"person{n}@example.org", name or f"Person {n}", password, roles=tuple(roles))
    db.session.commit()
    return user


def make_admin(**kwargs) -> User:
    return make_user(roles=(ROLE_ADMIN,), **kwargs)


def make_curator(capacity: int = 25, city: str | None = None, interests=(), languages=(), **kwargs) -> User:
    user = make_user(roles=(ROLE_CURATOR,), **kwargs)
    db.session.add(CuratorProfile(user_id=user.id, capacity=capacity, city=city,
                                  interests=list(interests), languages=list(languages)))
    db.session.commit()
    return user


def make_member(state: str = states.ACTIVE, curator: User | None = None, kind: str = "complimentary",
                city: str | None = None, interests=(), languages=(), **kwargs) -> User:
    user = make_user(**kwargs)
    now = utcnow()
    db.session.add(Membership(user_id=user.id, state=state, kind=kind, curator_id=curator.id if curator else None,
                              approved_at=now - timedelta(days=30),
                              joined_at=None if state == states.PENDING_PAYMENT else now - timedelta(days=30)))
    db.session.add(MemberProfile(user_id=user.id, city=city, interests=list(interests), languages=list(languages)))
    db.session.commit()
    return user


def make_rules(body: str = "Be kind. Keep confidences.") -> RulesVersion:
    version = RulesVersion(body=body)
    db.session.add(version)
    db.session.commit()
    return version


def login(client, user_or_email, password: str = PASSWORD):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"login failed for {email}: {response.status_code}"
    return response


@contextmanager
def count_queries():
    """Count the SQL statements the block sends: ``with count_queries() as c: …; c["n"]``."""
    counter = {"n": 0}

    def _count(*_args, **_kw):
        counter["n"] += 1

    sa_event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", _count)


@contextmanager
def count_loads(model):
    """Count the rows of ``model`` the block hydrates: ``with count_loads(Event) as loaded: …; len(loaded)``."""
    loaded: list = []

    def _loaded(target, _context):
        loaded.append(target)

    sa_event.listen(model, "load", _loaded)
    try:
        yield loaded
    finally:
        sa_event.remove(model, "load", _loaded)
