"""What a member sees: the /billing page (state, plan, action, payments) and the home page's summary."""
from datetime import date, timedelta

from club.billing import reconcile
from club.billing.offline import record_offline_payment
from club.billing.summary import billing_summary
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from tests.billing.factories import make_applicant, make_stripe_member
from tests.factories import login, make_admin, make_user


def test_the_billing_page_shows_state_plan_and_action(ctx, app, client, priced):
    user, _m, _sub = make_stripe_member(priced)
    login(client, user)
    body = client.get("/billing").get_data(as_text=True)
    assert "Active" in body and "Monthly" in body and "Manage card, invoices and renewal" in body
    client = app.test_client()
    login(client, make_applicant())
    body = client.get("/billing").get_data(as_text=True)
    assert "Choose your plan" in body and 'name="plan"' in body and "initiation fee" in body


def test_people_without_a_membership_get_404_and_visitors_sign_in(ctx, client):
    assert client.get("/billing").status_code == 302
    login(client, make_user())
    assert client.get("/billing").status_code == 404


def test_billing_summary_for_the_home_page(ctx, priced):
    user, _m, sub = make_stripe_member(priced)
    reconcile.sync_billing()
    summary = billing_summary(user)
    assert summary.state == states.ACTIVE and summary.kind == "stripe" and summary.plan == "monthly"
    assert summary.renews_on is not None and summary.ends_on is None
    assert (summary.action_label, summary.action_url) == ("Manage payment", "/billing")


def test_the_billing_page_runs_a_bounded_number_of_queries(ctx, client, app):
    from sqlalchemy import event

    admin, user = make_admin(), make_applicant()
    today = date.today()
    for n in range(12):
        record_offline_payment(membership_of(user).id, amount_cents=15000 + n, paid_on=today,
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
