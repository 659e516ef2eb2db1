"""The pure rules, as tables."""
from datetime import datetime, timedelta, timezone

import pytest

from club.events import rules
from club.events.rules import CONFIRMED, WAITLISTED, Viewer

STAFF = Viewer(is_staff=True)
MEMBER = Viewer(has_access=True)
INVITED = Viewer(has_access=True, invited=True)
NO_ACCESS = Viewer(has_access=False)
NO_ACCESS_INVITED = Viewer(has_access=False, invited=True)


@pytest.mark.parametrize("viewer, state, invite_only, expected", [
    (STAFF, "draft", False, True),
    (STAFF, "published", True, True),
    (STAFF, "cancelled", True, True),
    (MEMBER, "published", False, True),
    (MEMBER, "cancelled", False, True),
    (MEMBER, "draft", False, False),
    (MEMBER, "published", True, False),
    (INVITED, "published", True, True),
    (INVITED, "draft", True, False),
    (NO_ACCESS, "published", False, False),
    (NO_ACCESS_INVITED, "published", True, False),
    (Viewer(), "published", False, False),
])
def test_who_may_see_an_event(viewer, state, invite_only, expected):
    assert rules.may_see(viewer, state=state, invite_only=invite_only) is expected


@pytest.mark.parametrize("capacity, taken, party, expected", [
    (10, 0, 1, CONFIRMED),
    (10, 9, 1, CONFIRMED),
    (10, 9, 2, WAITLISTED),  # a party is never split
    (10, 8, 2, CONFIRMED),
    (10, 10, 1, WAITLISTED),
    (1, 0, 1, CONFIRMED),
    (3, 0, 4, WAITLISTED),
])
def test_placement(capacity, taken, party, expected):
    assert rules.placement(capacity, taken, party) == expected


def test_a_party_has_at_least_one_person():
    with pytest.raises(ValueError):
        rules.placement(10, 0, 0)


@pytest.mark.parametrize("free, waiting, expected", [
    (0, [(1, 1)], []),
    (1, [(1, 1), (2, 1)], [1]),
    (2, [(1, 1), (2, 1), (3, 1)], [1, 2]),
    (2, [(1, 3), (2, 2)], [2]),  # the party of three waits for three seats; the pair behind it fits
    (3, [(1, 3), (2, 2)], [1]),  # first come first served when the first fits
    (4, [(1, 3), (2, 2), (3, 1)], [1, 3]),
    (5, [(1, 2), (2, 3), (3, 1)], [1, 2]),
    (3, [], []),
])
def test_freed_seats_go_to_the_first_waiting_parties_that_fit(free, waiting, expected):
    assert rules.parties_to_promote(free, waiting) == expected


START = datetime(2026, 12, 1, 19, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("state, hours_before_start, cutoff, expected", [
    (CONFIRMED, 48, 24, True),
    (CONFIRMED, 24.01, 24, True),
    (CONFIRMED, 24, 24, False),  # the cut-off itself is closed
    (CONFIRMED, 2, 24, False),
    (CONFIRMED, 1, 0, True),  # no cut-off: until the start
    (WAITLISTED, 2, 24, True),  # a waitlist place holds no seat
    (WAITLISTED, 0, 24, False),
    ("cancelled", 48, 24, False),
])
def test_cancellation_cut_off(state, hours_before_start, cutoff, expected):
    now = START - timedelta(hours=hours_before_start)
    assert rules.may_cancel(state=state, starts_at=START, cutoff_hours=cutoff, now=now) is expected


@pytest.mark.parametrize("booking_state, attendance, check_in_used, ended, given, expected", [
    (CONFIRMED, None, False, True, False, True),  # no door list kept: every confirmed booking counts
    (CONFIRMED, "attended", True, True, False, True),
    (CONFIRMED, "no_show", True, True, False, False),
    (CONFIRMED, None, True, True, False, False),  # door list kept and they are not on it
    (CONFIRMED, "attended", True, False, False, False),  # not over yet
    (CONFIRMED, "attended", True, True, True, False),  # once
    (WAITLISTED, None, False, True, False, False),
    (None, None, False, True, False, False),
])
def test_who_may_give_feedback(booking_state, attendance, check_in_used, ended, given, expected):
    assert rules.may_give_feedback(booking_state=booking_state, attendance=attendance, check_in_used=check_in_used,
                                   ended=ended, already_given=given) is expected


@pytest.mark.parametrize("guests, max_guests, expected", [(0, 0, True), (1, 0, False), (2, 2, True), (3, 2, False),
                                                          (-1, 2, False)])
def test_guests_allowed(guests, max_guests, expected):
    assert rules.guests_allowed(guests, max_guests) is expected
