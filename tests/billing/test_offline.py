"""Without Stripe: offline payments and complimentary memberships recorded by an admin."""
from datetime import date, timedelta

from club.billing.dates import club_date
from club.billing.offline import record_offline_payment
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.club import AuditEntry
from club.models.billing import Payment
from tests.billing.factories import make_applicant, payment_form as _payment_form
from tests.factories import login, make_admin, make_member


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_an_admin_records_an_offline_payment_and_the_membership_becomes_active(ctx, client):
    admin, user = make_admin(), make_applicant()
    membership = membership_of(user)
    login(client, admin)
    r = client.post(f"/admin/billing/{membership.id}/payment", data=_payment_form(**{"pay-includes_initiation": "y"}))
    assert r.status_code == 303
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.kind, m.initiation_paid) == (states.ACTIVE, "offline", True)
    assert club_date(m.current_period_end) == date.today() + timedelta(days=364)
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
    assert (m.state, m.kind, club_date(m.current_period_end)) == (states.ACTIVE, "complimentary", ends)
    assert (o.state, o.kind, o.current_period_end) == (states.ACTIVE, "complimentary", None)
    assert len(_audit("billing.complimentary_granted")) == 2
    r = client.post(f"/admin/billing/{membership_of(other).id}/complimentary", data={"comp-reason": ""})
    assert r.status_code == 400 and 'id="comp-reason-error"' in r.get_data(as_text=True)


def test_an_offline_payment_while_suspended_changes_what_reinstating_returns_to(ctx):
    admin, user = make_admin(), make_member(state=states.SUSPENDED, kind="offline")
    m = membership_of(user)
    m.suspended_from = states.LAPSED
    db.session.commit()
    today = date.today()
    record_offline_payment(m.id, amount_cents=15000, paid_on=today, reference="", period_start=today,
                           period_end=today + timedelta(days=30), includes_initiation=False, actor=admin)
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.suspended_from) == (states.SUSPENDED, states.ACTIVE)
