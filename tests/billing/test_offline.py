"""Without Stripe keys: offline payments, complimentary memberships, suspensions, expiry, leaving."""
from datetime import date, timedelta

import pytest

from club.billing import service
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.billing import Payment
from tests.billing.factories import make_applicant
from tests.factories import login, make_admin, make_curator, make_member


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def _payment_form(**overrides):
    today = date.today()
    data = {"pay-amount": "1500.00", "pay-paid_on": today.isoformat(), "pay-reference": "TRANSFER 42",
            "pay-period_start": today.isoformat(), "pay-period_end": (today + timedelta(days=364)).isoformat()}
    data.update(overrides)
    return data


def test_without_keys_the_applicant_is_told_the_club_arranges_payment(ctx, client):
    login(client, make_applicant())
    body = client.get("/billing").get_data(as_text=True)
    assert "The club arranges payment with you" in body
    assert 'name="plan"' not in body  # no pretend checkout
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "not set up" in r.get_data(as_text=True)


def test_an_admin_records_an_offline_payment_and_the_membership_becomes_active(ctx, client):
    admin, user = make_admin(), make_applicant()
    membership = membership_of(user)
    login(client, admin)
    r = client.post(f"/admin/billing/{membership.id}/payment", data=_payment_form(**{"pay-includes_initiation": "y"}))
    assert r.status_code == 303
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.kind, m.initiation_paid) == (states.ACTIVE, "offline", True)
    assert service._club_date(m.current_period_end) == date.today() + timedelta(days=364)
    payment, = db.session.scalars(db.select(Payment)).all()
    assert (payment.amount_cents, payment.reference, payment.recorded_by_id) == (150000, "TRANSFER 42", admin.id)
    money, = _audit("billing.payment_received")
    assert money.actor_id == admin.id and money.details["amount_cents"] == 150000
    change, = _audit("membership.state_changed")
    assert (change.details["old"], change.details["new"]) == ("pending_payment", "active")
    # The member now sees their payment and end date.
    login(client := client.application.test_client(), user)
    body = client.get("/billing").get_data(as_text=True)
    assert "Paid to the club directly" in body and "TRANSFER 42" in body and "Ends on" in body


def test_a_double_submit_records_one_payment(ctx, client):
    admin, user = make_admin(), make_applicant()
    login(client, admin)
    for _ in range(2):
        client.post(f"/admin/billing/{membership_of(user).id}/payment", data=_payment_form())
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1


def test_bad_payment_input_is_shown_next_to_the_fields_with_values_kept(ctx, client):
    admin, user = make_admin(), make_applicant()
    login(client, admin)
    today = date.today()
    r = client.post(f"/admin/billing/{membership_of(user).id}/payment",
                    data=_payment_form(**{"pay-amount": "0", "pay-period_end": (today - timedelta(days=1)).isoformat()}))
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'id="pay-amount-error"' in body and 'id="pay-period_end-error"' in body
    assert 'value="TRANSFER 42"' in body
    assert membership_of(user).state == states.PENDING_PAYMENT


def test_a_complimentary_membership_with_and_without_an_end_date(ctx, client):
    admin, user, other = make_admin(), make_applicant(), make_applicant()
    login(client, admin)
    ends = date.today() + timedelta(days=90)
    client.post(f"/admin/billing/{membership_of(user).id}/complimentary",
                data={"comp-ends_on": ends.isoformat(), "comp-reason": "Founding patron"})
    client.post(f"/admin/billing/{membership_of(other).id}/complimentary", data={"comp-reason": "Honorary"})
    db.session.expire_all()
    m, o = membership_of(user), membership_of(other)
    assert (m.state, m.kind, service._club_date(m.current_period_end)) == (states.ACTIVE, "complimentary", ends)
    assert (o.state, o.kind, o.current_period_end) == (states.ACTIVE, "complimentary", None)
    assert len(_audit("billing.complimentary_granted")) == 2
    r = client.post(f"/admin/billing/{membership_of(other).id}/complimentary", data={"comp-reason": ""})
    assert r.status_code == 400 and 'id="comp-reason-error"' in r.get_data(as_text=True)


def test_expiry_offline_lapses_comp_ends_and_open_ended_comp_stays(ctx):
    offline, comp, forever = make_member(kind="offline"), make_member(kind="complimentary"), make_member()
    past = utcnow() - timedelta(minutes=1)
    membership_of(offline).current_period_end = past
    membership_of(comp).current_period_end = past
    db.session.commit()
    lines = service.sync_billing()
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
    reasons = [e.details["reason"] for e in _audit("membership.state_changed")]
    assert reasons == ["Conduct", "Apologised"]


def test_an_offline_payment_while_suspended_changes_what_reinstating_returns_to(ctx):
    admin, user = make_admin(), make_member(state=states.SUSPENDED, kind="offline")
    m = membership_of(user)
    m.suspended_from = states.LAPSED
    db.session.commit()
    today = date.today()
    service.record_offline_payment(m.id, amount_cents=15000, paid_on=today, reference="", period_start=today,
                                   period_end=today + timedelta(days=30), includes_initiation=False, actor=admin)
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.suspended_from) == (states.SUSPENDED, states.ACTIVE)


@pytest.mark.parametrize("period_days, expected_state, sentence", [
    (30, states.CANCELLING, "Your membership ends on"),
    (None, states.ENDED, "Your membership has ended."),
])
def test_cancel_membership_offline_and_comp(ctx, period_days, expected_state, sentence):
    user = make_member(kind="offline" if period_days else "complimentary")
    if period_days:
        membership_of(user).current_period_end = utcnow() + timedelta(days=period_days)
        db.session.commit()
    assert service.cancel_membership(user, actor=user, reason="leaving").startswith(sentence)
    db.session.expire_all()
    assert membership_of(user).state == expected_state


def test_admin_pages_are_for_admins_only(ctx, client):
    user = make_member()
    mid = membership_of(user).id
    login(client, make_curator())
    assert client.get("/admin/billing").status_code == 403
    assert client.get(f"/admin/billing/{mid}").status_code == 403
    assert client.post(f"/admin/billing/{mid}/payment", data=_payment_form()).status_code == 403


def test_admin_list_shows_who_needs_attention_in_bounded_queries(ctx, client, app):
    from sqlalchemy import event

    admin = make_admin()
    for _ in range(6):
        make_applicant()
        make_member(state=states.PAST_DUE, kind="offline")
    login(client, admin)
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = client.get("/admin/billing").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert body.count("Awaiting payment") >= 6 and body.count("Payment failed") >= 6
    assert len(statements) <= 8


def test_the_billing_page_runs_a_bounded_number_of_queries(ctx, client, app):
    from sqlalchemy import event

    admin, user = make_admin(), make_applicant()
    today = date.today()
    for n in range(12):
        service.record_offline_payment(membership_of(user).id, amount_cents=15000 + n, paid_on=today,
                                       reference=f"T{n}", period_start=today, period_end=today + timedelta(days=30),
                                       includes_initiation=False, actor=admin)
    login(client, user)
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        body = client.get("/billing").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert body.count("<td class=\"muted\">T") == 12
    assert len(statements) <= 10, len(statements)
