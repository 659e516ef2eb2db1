"""Conflict of interest as a table: who vouched, and what that leaves them (pure)."""
import pytest

from club.curation.conflicts import (DECIDE_REFUSALS, ENDORSED, INVITED, REASON_NEEDED, Vouchers, conflict_of,
                                     decision_check)

V = Vouchers.of(inviter_id=1, endorser_ids=[1, 2, 3])


@pytest.mark.parametrize("person, expected", [
    (1, INVITED),     # the inviter is also the first endorser: inviting is what is said
    (2, ENDORSED),
    (3, ENDORSED),
    (4, None),        # a curator who did not vouch
])
def test_conflict_of(person, expected):
    assert conflict_of(person, V) == expected


def test_everyone_who_vouched_is_excluded_and_no_inviter_is_no_one():
    assert V.ids == {1, 2, 3}
    assert Vouchers.of(None, [5]).ids == {5}
    assert conflict_of(7, Vouchers.of(None)) is None


@pytest.mark.parametrize("conflict, is_admin, reason, refusal, reason_needed", [
    (None, False, None, None, None),                     # no conflict: anyone on staff decides
    (None, True, None, None, None),
    (INVITED, False, "I know them best", DECIDE_REFUSALS[INVITED], None),   # a curator may not, reason or not
    (ENDORSED, False, None, DECIDE_REFUSALS[ENDORSED], None),
    (INVITED, True, None, None, REASON_NEEDED),          # an admin may, saying why
    (ENDORSED, True, "   ", None, REASON_NEEDED),
    (ENDORSED, True, "The other curators are away all month.", None, None),
])
def test_decision_check(conflict, is_admin, reason, refusal, reason_needed):
    check = decision_check(conflict, is_admin=is_admin, reason=reason)
    assert (check.refusal, check.reason_needed) == (refusal, reason_needed)
