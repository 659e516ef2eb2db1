"""The portal's figures for the metrics: requests per curator, first answers, and the members at
risk per curator, which must be the very members the curators' at-risk lists show."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from club.extensions import db
from club.members import at_risk, stats
from club.membership import states
from club.models.base import utcnow
from club.models.billing import BillingReminder
from club.models.events import ATTENDED, EventFeedback
from club.models.members import AtRiskFollowUp
from club.models.membership import Membership
from tests.factories import count_queries, make_admin, make_curator
from tests.metrics.factories import booking, member, past_event, request

D = timedelta(days=1)


def _handle(person, signal, fired_at):
    db.session.add(AtRiskFollowUp(member_id=person.id, signal=signal, fired_at=fired_at, handled_at=utcnow()))


def _joined(person):
    return db.session.scalar(select(Membership.joined_at).where(Membership.user_id == person.id))


def _varied_club(prefix: str = "") -> None:
    """Every sign, handled and not, and the near misses, over two curators and nobody's members."""
    clara, oscar = make_curator(email=f"{prefix}clara@example.org"), make_curator(email=f"{prefix}oscar@example.org")
    evening, long_ago = past_event(10, capacity=50, seats_taken=5), past_event(90, capacity=50, seats_taken=5)
    now = utcnow()

    def person(name, curator=None, days=300, **kwargs):
        return member(days, curator=curator, email=f"{prefix}{name}@example.org", **kwargs)

    regular = person("regular", clara)
    booking(evening, regular, ATTENDED)
    person("new", clara, days=20)  # not yet past their first 30 days
    person("quiet", clara)  # never came: fires at day 30
    handled_quiet = person("handled-quiet", oscar)
    _handle(handled_quiet, "no_evenings", _joined(handled_quiet) + 30 * D)
    again = person("quiet-again", oscar)  # the old occurrence was handled; it fired again since
    booking(long_ago, again, ATTENDED)
    _handle(again, "no_evenings", _joined(again) + 30 * D)
    came_then_quiet = person("quiet-handled-now", oscar)
    booking(long_ago, came_then_quiet, ATTENDED)
    _handle(came_then_quiet, "no_evenings", long_ago.starts_at + 60 * D)
    failed = person("failed", clara)
    booking(evening, failed, ATTENDED)
    membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == failed.id))
    db.session.add(BillingReminder(membership_id=membership_id, kind="payment_failed", occasion="x",
                                   sent_at=now - 5 * D))
    unhappy = person("unhappy")
    booking(evening, unhappy, ATTENDED)
    db.session.add(EventFeedback(event_id=evening.id, user_id=unhappy.id, rating=2, created_at=now - 3 * D))
    waiting = person("waiting", oscar)
    booking(evening, waiting, ATTENDED)
    request(waiting, 9)
    leaving = person("leaving", clara, state=states.CANCELLING)
    booking(evening, leaving, ATTENDED)
    handled_leaving = person("leaving-handled", clara, state=states.CANCELLING)
    booking(evening, handled_leaving, ATTENDED)
    db.session.commit()
    _handle(handled_leaving, "cancelled",
            db.session.scalar(select(Membership.updated_at).where(Membership.user_id == handled_leaving.id)))
    person("gone", clara, state=states.ENDED, ended_days_ago=3)  # not a member: never counted
    db.session.commit()


def test_the_counts_per_curator_are_the_members_on_the_at_risk_lists(ctx):
    _varied_club()
    now = utcnow()
    expected = Counter(found.curator_id for found in at_risk.members_at_risk(make_admin(), now=now))
    counted = {r["curator_id"]: r["at_risk"] for r in stats.at_risk_by_curator(now)}
    assert counted == dict(expected)
    # by hand: Clara's quiet, failed, leaving; Oscar's quiet-again, waiting; nobody's unhappy
    assert sorted(counted.values()) == [1, 2, 3]


def test_counting_the_members_at_risk_costs_the_same_for_a_bigger_club(ctx):
    _varied_club()
    with count_queries() as small:
        stats.at_risk_by_curator(utcnow())
    for i in range(4):
        _varied_club(prefix=f"more{i}-")
    with count_queries() as big:
        stats.at_risk_by_curator(utcnow())
    assert big["n"] == small["n"] <= 9  # eight, and SQLite's BEGIN


def test_open_requests_and_first_answers_per_curator(ctx):
    clara = make_curator()
    mine, nobodys = member(100, curator=clara), member(100)
    request(mine, 3)  # waiting
    request(mine, 4, answered_by=clara, hours_to_answer=5, state="in_progress")
    request(mine, 6, answered_by=clara, hours_to_answer=1, member_again_days_ago=1)  # waiting again
    request(mine, 8, answered_by=clara, hours_to_answer=2, state="done")
    request(nobodys, 2)
    db.session.commit()
    assert sorted(stats.open_requests_by_curator(), key=lambda r: r["curator_id"] or 0) == [
        {"curator_id": None, "open": 1, "waiting": 1}, {"curator_id": clara.id, "open": 3, "waiting": 2}]
    now = utcnow()
    rows = stats.requests_opened(now - 7 * D, now)
    assert [(r["curator_id"], r["answered_at"] is not None) for r in rows] == [
        (clara.id, False), (clara.id, True), (clara.id, True), (None, False)]
    hours = [(r["answered_at"] - r["opened_at"]).total_seconds() / 3600 for r in rows if r["answered_at"]]
    assert hours == [pytest.approx(5), pytest.approx(1)]  # the first answer, not the last word
