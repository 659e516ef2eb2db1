"""The one place that erases a person, and the one that erases an application.

Like pretix's shredder: each feature knows its own tables, so each registers the eraser of its
tables here (in its ``erasure.py``, discovered at start-up like views and commands), naming the
tables it erases. A table that is deliberately kept (the books: payments, the audit log) is
declared kept, with the reason. tests/core/test_erasure.py fails when a table of the metadata is
neither erased nor kept, so a new table cannot be forgotten.

Erasers run inside the caller's transaction and do not commit: the caller (account deletion, the
retention purge) commits once, so a person is erased whole or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from club.extensions import db
from club.models.base import utcnow
from club.models.user import User


@dataclass(frozen=True)
class Erasure:
    """What every eraser is told: when, why, and the name that stands in for the person's."""

    now: datetime
    # "deleted" when the person deleted their account, "erased" when the retention purge did it;
    # it shows in the placeholder addresses (deleted-12@deleted.invalid).
    why: str = "deleted"
    name: str = "Former member"
    # The person's own addresses, read before any eraser runs (the account's is replaced early):
    # erasers look for them in other people's rows (an applicant's list of endorsers asked).
    emails: tuple[str, ...] = ()

    def placeholder_email(self, user_id: int) -> str:
        return f"{self.why}-{user_id}@{self.why}.invalid"


# An eraser gets the id of the person (or application) and the erasure it is part of.
Eraser = Callable[[int, Erasure], None]

PERSON = "person"
APPLICATION = "application"


@dataclass(frozen=True)
class _Registered:
    name: str
    tables: tuple[str, ...]
    erase: Eraser


_erasers: dict[str, dict[str, _Registered]] = {PERSON: {}, APPLICATION: {}}
_kept: dict[str, str] = {}


def _register(kind: str, tables: tuple[str, ...]) -> Callable[[Eraser], Eraser]:
    def decorator(erase: Eraser) -> Eraser:
        name = f"{erase.__module__}.{erase.__qualname__}"
        # Keyed by name: importing a module twice (tests build several apps) registers once.
        _erasers[kind][name] = _Registered(name, tables, erase)
        return erase

    return decorator


def person_eraser(*tables: str) -> Callable[[Eraser], Eraser]:
    """Register ``erase(user_id, erasure)``: what ``tables`` hold about a person goes."""
    return _register(PERSON, tables)


def application_eraser(*tables: str) -> Callable[[Eraser], Eraser]:
    """Register ``erase(application_id, erasure)``: what ``tables`` hold about an application goes."""
    return _register(APPLICATION, tables)


def keep(table: str, why: str) -> None:
    """Declare that ``table`` is kept when a person is erased (it holds ids and books, no words)."""
    _kept[table] = why


def erase_person(user_id: int, erasure: Erasure | None = None) -> None:
    """Erase everything the club holds about a person, in every feature. No commit."""
    erasure = erasure or Erasure(now=utcnow())
    user = db.session.get(User, user_id)
    if user is not None and user.email and user.email not in erasure.emails:
        erasure = replace(erasure, emails=(*erasure.emails, user.email))
    for registered in _erasers[PERSON].values():
        registered.erase(user_id, erasure)


def erase_application(application_id: int, erasure: Erasure | None = None) -> None:
    """Erase what an application says about its applicant, in every feature. No commit."""
    erasure = erasure or Erasure(now=utcnow())
    for registered in _erasers[APPLICATION].values():
        registered.erase(application_id, erasure)


def erased_tables() -> set[str]:
    return {t for kind in _erasers.values() for r in kind.values() for t in r.tables}


def kept_tables() -> dict[str, str]:
    return dict(_kept)
