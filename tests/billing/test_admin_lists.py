"""The admin's billing pages: for admins only, who needs attention first, in bounded queries."""

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from tests.billing.factories import make_applicant, payment_form as _payment_form
from tests.factories import login, make_admin, make_curator, make_member


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


def test_admin_list_pages_past_the_first_page(ctx, client, monkeypatch):
    from club.billing import admin_lists

    monkeypatch.setattr(admin_lists, "PER_PAGE", 3)
    admin = make_admin()
    people = [make_member() for _ in range(4)]
    login(client, admin)
    first = client.get("/admin/billing").get_data(as_text=True)
    assert "Older →" in first and "← Newer" not in first and 'href="/admin/billing?page=2"' in first
    second = client.get("/admin/billing?page=2").get_data(as_text=True)
    assert "← Newer" in second and "Older →" not in second
    shown = [p for p in people if p.email in first] + [p for p in people if p.email in second]
    assert sorted(p.id for p in shown) == sorted(p.id for p in people)
