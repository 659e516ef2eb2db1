"""Curators' loads: only memberships that take a curator's time count."""
import pytest

from club.curation.loads import curator_loads
from club.membership import states
from tests.factories import make_curator, make_member


@pytest.mark.parametrize("state, counts", [(states.ACTIVE, True), (states.PENDING_PAYMENT, True),
                                           (states.PAST_DUE, True), (states.CANCELLING, True),
                                           (states.ENDED, False), (states.LAPSED, False), (states.SUSPENDED, False)])
def test_curator_load_counts_live_memberships_only(ctx, state, counts):
    curator = make_curator()
    make_member(curator=curator, state=state)
    assert curator_loads().get(curator.id, 0) == (1 if counts else 0)
