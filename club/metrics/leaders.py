"""Leaders and ambassadors (``/admin/leaders``): members ranked by what they gave the club in the
last six months, with the reasons behind each score, and ambassadors whose activity has dropped.

A score is the sum over signals of count × weight; the weights are club settings
(``leader_weight_<signal>``). The signals: evenings attended (checked in at the door), evenings
hosted, invitees approved in the window who are still members, feedback given. An ambassador's
activity has dropped when the points of the last three months are under half of the three
months before (or none at all). Ten grouped statements whatever the club's size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from club.applications import stats as application_stats
from club.core import audit, settings
from club.events import stats as event_stats
from club.extensions import db
from club.membership import states
from club.membership.ambassadors import current_ambassadors
from club.models.membership import Membership
from club.models.user import User

SIGNALS = ("attended", "hosted", "referrals", "feedback")
LABELS = {"attended": _l("Evenings attended"), "hosted": _l("Evenings hosted"),
          "referrals": _l("Invitees approved, still members"), "feedback": _l("Ratings left after an evening")}
WINDOW = timedelta(days=182)
HALF = timedelta(days=91)
SHOWN = 50


@dataclass(frozen=True)
class Reason:
    signal: str
    count: int
    points: int

    @property
    def label(self):
        return LABELS[self.signal]


@dataclass
class Leader:
    user_id: int
    name: str
    score: int
    reasons: list[Reason] = field(default_factory=list)
    ambassador_since: datetime | None = None
    dropped: bool = False
    recent: int = 0
    earlier: int = 0


def score(counts: dict[str, int], weights: dict[str, int]) -> tuple[int, list[Reason]]:
    """The score of one member's counts, and the reasons behind it (signals that counted, biggest first)."""
    reasons = [Reason(s, counts.get(s, 0), counts.get(s, 0) * weights.get(s, 0)) for s in SIGNALS if counts.get(s)]
    reasons.sort(key=lambda r: (-r.points, SIGNALS.index(r.signal)))
    return sum(r.points for r in reasons), reasons


def has_dropped(recent: int, earlier: int) -> bool:
    """The last three months brought under half the points of the three before, or none at all."""
    return recent == 0 or recent * 2 < earlier


def weights() -> dict[str, int]:
    return {s: int(settings.get(f"leader_weight_{s}")) for s in SIGNALS}


def save_weights(values: dict[str, int], actor: User) -> bool:
    """The admin's weights, audited like any settings change; True when something changed (the caller commits)."""
    changed = settings.update({f"leader_weight_{s}": int(values[s]) for s in SIGNALS})
    if changed:
        audit.record("settings.changed", actor=actor, changes={k: {"old": o, "new": n} for k, (o, n) in changed.items()})
    return bool(changed)


def _counts(start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    per_signal = {**event_stats.per_member(start, end), "referrals": application_stats.approved_referrals(start, end)}
    by_member: dict[int, dict[str, int]] = {}
    for signal, counts in per_signal.items():
        for user_id, n in counts.items():
            by_member.setdefault(user_id, {})[signal] = n
    return by_member


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {s: a.get(s, 0) + b.get(s, 0) for s in SIGNALS}


def board(now: datetime, shown: int = SHOWN) -> list[Leader]:
    """The current members with the highest scores (at most ``shown``), and every ambassador."""
    w = weights()
    earlier, recent = _counts(now - WINDOW, now - HALF), _counts(now - HALF, now)
    ambassadors = current_ambassadors()
    members = dict(db.session.execute(
        select(User.id, User.full_name).join(Membership, Membership.user_id == User.id)
        .where(Membership.state.in_(tuple(states.ACCESS_STATES)),
               User.id.in_(set(earlier) | set(recent) | set(ambassadors)))).all())
    # Rank on the points alone, then build the shown rows only: a big club has thousands of scorers.
    totals = {uid: _points(_add(earlier.get(uid, {}), recent.get(uid, {})), w) for uid in members}
    ranked = sorted(members, key=lambda uid: (-totals[uid], members[uid], uid))
    top = [uid for uid in ranked if totals[uid] > 0][:shown]
    in_top = set(top)
    shown_ids = top + [uid for uid in ranked if uid in ambassadors and uid not in in_top]
    leaders = []
    for user_id in shown_ids:
        total, reasons = score(_add(earlier.get(user_id, {}), recent.get(user_id, {})), w)
        leader = Leader(user_id, members[user_id], total, reasons, ambassadors.get(user_id))
        leader.recent, leader.earlier = _points(recent.get(user_id, {}), w), _points(earlier.get(user_id, {}), w)
        leader.dropped = leader.ambassador_since is not None and has_dropped(leader.recent, leader.earlier)
        leaders.append(leader)
    return leaders


def _points(counts: dict[str, int], weights: dict[str, int]) -> int:
    """The score alone (what ``score`` sums), without its reasons."""
    return sum(counts.get(s, 0) * weights.get(s, 0) for s in SIGNALS)
