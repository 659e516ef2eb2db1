"""Suspension: an admin suspends a membership (the member is signed out) and reinstates it."""
from datetime import timedelta

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import AuditEntry
from tests.factories import login, make_admin, make_member


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_suspend_and_reinstate(ctx, client):
    admin, user = make_admin(), make_member(kind="offline")
    membership_of(user).current_period_end = utcnow() + timedelta(days=30)
    db.session.commit()
    version = user.session_version
    login(client, admin)
    mid = membership_of(user).id
    assert client.post(f"/admin/billing/{mid}/suspension", data={"action": "suspend", "suspend-reason": ""}).status_code == 400
    client.post(f"/admin/billing/{mid}/suspension", data={"action": "suspend", "suspend-reason": "Conduct"})
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.suspended_from) == (states.SUSPENDED, states.ACTIVE)
    assert m.user.session_version == version + 1
    client.post(f"/admin/billing/{mid}/suspension", data={"action": "reinstate", "suspend-reason": "Apologised"})
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.suspended_from) == (states.ACTIVE, None)
    # The admin's words are on the membership's reason records; the audit log names them by id only.
    assert [(r.change, r.reason, r.written_by_id) for r in m.reasons] == [
        ("suspended", "Conduct", admin.id), ("reinstated", "Apologised", admin.id)]
    entries = _audit("membership.state_changed")
    assert [e.details["reason_id"] for e in entries] == [r.id for r in m.reasons]
    assert not any(word in str(e.details) for e in entries for word in ("Conduct", "Apologised"))


def test_suspending_twice_or_reinstating_an_unsuspended_membership_is_refused(ctx):
    import pytest

    from club.membership.suspension import SuspensionError, reinstate, suspend

    admin, user = make_admin(), make_member()
    mid = membership_of(user).id
    with pytest.raises(SuspensionError, match="This membership is not suspended."):
        reinstate(mid, reason="x", actor=admin)
    db.session.rollback()
    suspend(mid, reason="Conduct", actor=admin)
    with pytest.raises(SuspensionError, match="This membership is already suspended."):
        suspend(mid, reason="Again", actor=admin)


def test_the_admin_sees_why_a_suspension_was_refused(ctx, client):
    admin, user = make_admin(), make_member()
    mid = membership_of(user).id
    login(client, admin)
    r = client.post(f"/admin/billing/{mid}/suspension", data={"action": "reinstate", "suspend-reason": "Why not"})
    assert r.status_code == 400 and "This membership is not suspended." in r.get_data(as_text=True)
