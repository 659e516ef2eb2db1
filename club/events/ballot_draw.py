"""The ballot's draw and weights, as plain functions: no database, no request, no clock.

The draw is a weighted random order without replacement (Efraimidis and Spirakis: each entry
gets the key ``u ** (1 / weight)`` for ``u`` uniform in (0, 1], and the entries are taken in
descending key order), from ``random.Random(seed)``. Parties are then seated in that order while
they fit: a party that does not fit is passed over (it is never split) and a smaller one after it
may still fit. Everyone not seated goes to the waitlist in the drawn order.

The same entries, seats and seed always give the same result, so a draw can be re-checked.
"""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    id: int
    party_size: int
    weight: float


@dataclass(frozen=True)
class DrawResult:
    order: list[int]  # every entry id, in drawn order
    seated: list[int]  # ids seated, in drawn order
    waitlist: list[int]  # ids not seated, in drawn order


def drawn_order(entries: list[Entry], seed: str) -> list[int]:
    """The entry ids in weighted random order. Entries are keyed in id order, so the order in which
    they are given does not change the result."""
    rng = random.Random(seed)
    keyed = []
    for entry in sorted(entries, key=lambda e: e.id):
        if entry.weight <= 0:
            raise ValueError("a weight is positive")
        u = 1.0 - rng.random()  # (0, 1]: a zero would give every weight the same key
        keyed.append((u ** (1.0 / entry.weight), entry.id))
    keyed.sort(key=lambda pair: (-pair[0], pair[1]))
    return [entry_id for _key, entry_id in keyed]


def draw(entries: list[Entry], seats: int, seed: str) -> DrawResult:
    """Who is seated and the waitlist's order, for ``seats`` free seats."""
    if any(e.party_size < 1 for e in entries):
        raise ValueError("a party has at least one person")
    sizes = {e.id: e.party_size for e in entries}
    order = drawn_order(entries, seed)
    seated, waitlist, free = [], [], max(seats, 0)
    for entry_id in order:
        if sizes[entry_id] <= free:
            seated.append(entry_id)
            free -= sizes[entry_id]
        else:
            waitlist.append(entry_id)
    return DrawResult(order=order, seated=seated, waitlist=waitlist)


@dataclass(frozen=True)
class Weights:
    """The club's settings for weights (``club.core.settings``: the ``ballot_*`` keys)."""

    new_member_bonus: float = 1.0
    per_loss_bonus: float = 0.5
    max_losses_counted: int = 2
    ambassador_bonus: float = 0.0


def entry_weight(weights: Weights, *, is_new_member: bool, recent_losses: int, is_ambassador: bool) -> float:
    """Every entry starts at 1; a member in their first days, each recent lost ballot (up to a cap)
    and an ambassador add their bonus. Never below 1: a bonus set negative by mistake takes
    nothing away."""
    weight = 1.0
    if is_new_member:
        weight += max(weights.new_member_bonus, 0.0)
    weight += max(weights.per_loss_bonus, 0.0) * min(max(recent_losses, 0), max(weights.max_losses_counted, 0))
    if is_ambassador:
        weight += max(weights.ambassador_bonus, 0.0)
    return weight


def matches(result: DrawResult, *, seated: list[int], waitlist: list[int]) -> bool:
    """Whether a recorded outcome is the draw's: the same seated parties, the same waitlist order."""
    return sorted(result.seated) == sorted(seated) and result.waitlist == waitlist
