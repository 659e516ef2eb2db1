"""Time running out: offline and complimentary periods end, grace ends, lazily or nightly."""
from datetime import timedelta

from club.billing.reconcile import sync_billing
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import AuditEntry
from tests.factories import login, make_admin, make_member


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_expiry_offline_lapses_comp_ends_and_open_ended_comp_stays(ctx):
    offline, comp, forever = make_member(kind="offline"), make_member(kind="complimentary"), make_member()
    past = utcnow() - timedelta(minutes=1)
    membership_of(offline).current_period_end = past
    membership_of(comp).current_period_end = past
    db.session.commit()
    lines = sync_billing()
    assert len(lines) == 2
    db.session.expire_all()
    assert membership_of(offline).state == states.LAPSED
    assert membership_of(comp).state == states.ENDED
    assert membership_of(forever).state == states.ACTIVE


def test_past_due_members_lapse_when_grace_ends_lazily_on_billing_page(ctx, client):
    user = make_member(state=states.PAST_DUE, kind="offline")
    membership_of(user).grace_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    login(client, user)
    body = client.get("/billing").get_data(as_text=True)
    assert "Lapsed" in body
    db.session.expire_all()
    assert membership_of(user).state == states.LAPSED
    assert _audit("membership.state_changed")[0].details["reason"] == "grace period ended"


def test_reinstating_after_the_offline_period_ran_out_lapses_at_once(ctx):
    from club.membership.suspension import reinstate, suspend

    admin, user = make_admin(), make_member(kind="offline")
    membership = membership_of(user)
    membership.current_period_end = utcnow() + timedelta(days=1)
    db.session.commit()
    suspend(membership.id, reason="Conduct", actor=admin)
    membership_of(user).current_period_end = utcnow() - timedelta(minutes=1)  # ran out while suspended
    db.session.commit()
    reinstate(membership.id, reason="Apologised", actor=admin)
    db.session.expire_all()
    assert membership_of(user).state == states.LAPSED
    moves = [(e.details["old"], e.details["new"], e.details["reason"]) for e in _audit("membership.state_changed")]
    # the admin's words are on the reason record (club.membership.reasons); the audit log has the code
    assert moves[-2:] == [("suspended", "active", "reinstated by an admin"), ("active", "lapsed", "offline period ended")]
