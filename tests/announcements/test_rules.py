"""The club's voice as plain rules: who posts and changes announcements, when the programme is due,
interest-matching evenings first."""
from datetime import date
from types import SimpleNamespace

import pytest

from club.announcements import rules


@pytest.mark.parametrize("is_admin, is_curator, allowed", [
    (True, False, True),
    (False, True, True),
    (True, True, True),
    (False, False, False),  # a member (or anyone else) does not speak for the club
])
def test_who_may_post(is_admin, is_curator, allowed):
    assert rules.may_post(is_admin=is_admin, is_curator=is_curator) is allowed


@pytest.mark.parametrize("is_admin, is_curator, actor_id, author_id, allowed", [
    (True, False, 1, 2, True),     # admins change any announcement
    (True, False, 1, None, True),  # ... also one whose author is gone
    (False, True, 1, 1, True),     # curators their own
    (False, True, 1, 2, False),    # ... not another's
    (False, True, 1, None, False),
    (False, False, 1, 1, False),   # a former curator (role taken away) no longer changes what they wrote
])
def test_who_may_change(is_admin, is_curator, actor_id, author_id, allowed):
    assert rules.may_change(is_admin=is_admin, is_curator=is_curator, actor_id=actor_id,
                            author_id=author_id) is allowed


@pytest.mark.parametrize("today, send_day, due", [
    (date(2030, 3, 24), 25, None),
    (date(2030, 3, 25), 25, date(2030, 4, 1)),
    (date(2030, 3, 31), 25, date(2030, 4, 1)),   # a missed day catches up until the month ends
    (date(2030, 12, 25), 25, date(2031, 1, 1)),  # over the year's end
    (date(2030, 2, 28), 31, date(2030, 3, 1)),   # a short month sends on its last day
    (date(2030, 2, 27), 31, None),
    (date(2030, 6, 1), 1, date(2030, 7, 1)),
    (date(2030, 6, 1), 0, date(2030, 7, 1)),     # a nonsense day counts as the first
])
def test_programme_month_due(today, send_day, due):
    assert rules.programme_month_due(today, send_day) == due


def _event(name, *tags):
    return SimpleNamespace(name=name, tags=[SimpleNamespace(name=t) for t in tags])


@pytest.mark.parametrize("interests, matching, others", [
    (["sailing"], ["regatta"], ["supper", "talk"]),
    (["Wine", "SAILING"], ["supper", "regatta"], ["talk"]),  # case does not matter; order kept
    ([], [], ["supper", "regatta", "talk"]),
    (None, [], ["supper", "regatta", "talk"]),
])
def test_interests_first(interests, matching, others):
    events = [_event("supper", "wine"), _event("regatta", "sailing", "sea"), _event("talk")]
    got = rules.interests_first(events, interests)
    assert ([e.name for e in got[0]], [e.name for e in got[1]]) == (matching, others)
