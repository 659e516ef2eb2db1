"""Choosing a new member's personal curator. Pure: no database, no request.

The best curator shares the most interests and languages with the member; being in the same
city breaks a tie, then the lighter load, then the lower id (so the answer never depends on
the order curators are listed in). A curator at capacity is never chosen while another has
room; when every curator is full, the least loaded one is chosen and the caller tells the admin.
A curator who invited or endorsed the newcomer (``excluded``) is never chosen, full or not.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Iterable, Sequence


def _normalized(values: Iterable[str] | None) -> frozenset[str]:
    return frozenset(v.strip().casefold() for v in (values or ()) if v and v.strip())


def _same_city(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


@dataclass(frozen=True)
class Newcomer:
    interests: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    city: str | None = None

    @classmethod
    def of(cls, interests=(), languages=(), city: str | None = None) -> Newcomer:
        return cls(_normalized(interests), _normalized(languages), city)


@dataclass(frozen=True)
class Candidate:
    curator_id: int
    capacity: int
    load: int
    interests: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    city: str | None = None

    @classmethod
    def of(cls, curator_id: int, capacity: int, load: int, interests=(), languages=(),
           city: str | None = None) -> Candidate:
        return cls(curator_id, capacity, load, _normalized(interests), _normalized(languages), city)

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


@dataclass(frozen=True)
class Match:
    curator_id: int
    shared_interests: frozenset[str]
    shared_languages: frozenset[str]
    same_city: bool
    # True when every curator was at capacity: the admin must be told.
    all_full: bool


def fit(newcomer: Newcomer, candidate: Candidate) -> int:
    return len(newcomer.interests & candidate.interests) + len(newcomer.languages & candidate.languages)


def _rank(newcomer: Newcomer, candidate: Candidate) -> tuple:
    # Sorted ascending: best fit first, then same city, then lightest load, then lowest id.
    return (-fit(newcomer, candidate), not _same_city(newcomer.city, candidate.city),
            candidate.load, candidate.curator_id)


def _overflow_rank(newcomer: Newcomer, candidate: Candidate) -> tuple:
    # Everyone is full: spread the overflow, the fit only decides between equal loads.
    return (candidate.load, -fit(newcomer, candidate), not _same_city(newcomer.city, candidate.city),
            candidate.curator_id)


def choose_curator(newcomer: Newcomer, candidates: Sequence[Candidate],
                   excluded: AbstractSet[int] = frozenset()) -> Match | None:
    """The curator for ``newcomer`` among ``candidates`` other than the ``excluded`` ids (those who
    vouched for them); None only when no candidate is left."""
    candidates = [c for c in candidates if c.curator_id not in excluded]
    if not candidates:
        return None
    with_room = [c for c in candidates if c.has_room]
    if with_room:
        best = min(with_room, key=lambda c: _rank(newcomer, c))
    else:
        best = min(candidates, key=lambda c: _overflow_rank(newcomer, c))
    return Match(
        curator_id=best.curator_id,
        shared_interests=newcomer.interests & best.interests,
        shared_languages=newcomer.languages & best.languages,
        same_city=_same_city(newcomer.city, best.city),
        all_full=not with_room,
    )
