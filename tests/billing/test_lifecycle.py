"""The billing lifecycle as a table: each row a sequence of events and sync runs, and what must follow.

Every step goes through the real paths: the member's pages (checkout, leaving, deleting), Stripe's
signed webhooks and ``sync-billing``, with the official SDK talking to the fake Stripe. Each row
says the membership's state at the end, every request that changed something at Stripe (ids
written as ``{sub1}``, ``{sub2}``, ``{cus}``, ``{cs1}`` …) and the subjects of the mails the member got.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.membership import Membership
from tests.billing.conftest import deliver, event
from tests.billing.factories import make_applicant
from tests.factories import PASSWORD, login


@dataclass
class World:
    app: object
    client: object
    fake: object
    outbox: object
    user: object
    email: str
    subs: list[str] = field(default_factory=list)  # every subscription of the member, oldest first

    @property
    def membership(self) -> Membership:
        db.session.expire_all()
        return db.session.scalars(db.select(Membership).where(Membership.user_id == self.user.id)).one()

    @property
    def sub(self) -> str:
        return self.subs[-1]

    def webhook(self, type_: str, obj: dict) -> None:
        r = deliver(self.client, event(type_, obj))
        assert r.status_code == 200, (type_, r.get_json())

    def invoice(self, type_: str, sub_id: str, **kwargs) -> None:
        customer = self.fake.objects[sub_id]["customer"]
        self.webhook(type_, self.fake.add_invoice(customer=customer, subscription=sub_id, **kwargs))

    def sync(self) -> None:
        result = self.app.test_cli_runner().invoke(args=["sync-billing"])
        assert result.exit_code == 0, result.output


# Steps -----------------------------------------------------------------------------------------
def checkout(w: World) -> None:
    """Choose the monthly plan, pay on Stripe's page; Stripe tells us."""
    login(w.client, w.user)
    r = w.client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 303, r.get_data(as_text=True)
    session_id = r.headers["Location"].rsplit("/", 1)[1]
    w.subs.append(w.fake.complete_checkout(session_id)["id"])
    w.webhook("checkout.session.completed", w.fake.objects[session_id])


def renewal_paid(w: World) -> None:
    w.fake.set_subscription(w.sub, status="active")
    w.invoice("invoice.paid", w.sub, amount_paid=15000)


def renewal_fails(w: World) -> None:
    w.fake.set_subscription(w.sub, status="past_due")
    w.invoice("invoice.payment_failed", w.sub, status="open", amount_due=15000)


def needs_3d_secure(w: World) -> None:
    w.invoice("invoice.payment_action_required", w.sub, status="open", amount_due=15000)


def halfway_through_grace(w: World) -> None:
    m = w.membership
    m.grace_until = utcnow() + timedelta(days=2)  # 5 of 7 days gone
    db.session.commit()
    w.sync()


def grace_runs_out(w: World) -> None:
    m = w.membership
    m.grace_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    w.sync()


def old_subscription_retry_fails(w: World) -> None:
    """Stripe's late news about the subscription before the current one."""
    old = w.subs[-2]
    w.fake.set_subscription(old, status="past_due")
    w.invoice("invoice.payment_failed", old, status="open")
    w.fake.set_subscription(old, status="canceled")
    w.webhook("customer.subscription.deleted", w.fake.objects[old])


def stripe_gives_up(w: World) -> None:
    w.fake.set_subscription(w.sub, status="canceled")
    w.webhook("customer.subscription.deleted", w.fake.objects[w.sub])


def cancel(w: World) -> None:
    login(w.client, w.user)
    r = w.client.post("/me/leave", data={"reason": "", "confirm": "y"})
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    w.webhook("customer.subscription.updated", w.fake.objects[w.sub])


def undo_cancel(w: World) -> None:
    """The member changes their mind in Stripe's portal."""
    w.fake.set_subscription(w.sub, cancel_at_period_end=False)
    w.webhook("customer.subscription.updated", w.fake.objects[w.sub])


def period_ends(w: World) -> None:
    w.fake.set_subscription(w.sub, status="canceled", period_end=int(utcnow().timestamp()) - 60)
    w.webhook("customer.subscription.deleted", w.fake.objects[w.sub])


def delete_account(w: World) -> None:
    login(w.client, w.user)
    r = w.client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert r.status_code == 302, r.get_data(as_text=True)


def stripe_still_talks(w: World) -> None:
    """An update still in flight after the deletion, then a charge: neither may revive anything."""
    w.fake.set_subscription(w.sub, status="active", cancel_at_period_end=True)
    w.webhook("customer.subscription.updated", w.fake.objects[w.sub])


SYNC = World.sync


# The table -------------------------------------------------------------------------------------
JOIN = ["POST /v1/customers", "POST /v1/checkout/sessions"]
REJOIN = ["POST /v1/checkout/sessions"]
FAILED = "did not go through"

ROWS = [
    ("joins", [checkout], states.ACTIVE, JOIN, []),
    ("joins, the nightly sync agrees", [checkout, SYNC], states.ACTIVE, JOIN, []),
    ("renews", [checkout, renewal_paid, SYNC], states.ACTIVE, JOIN, []),
    ("renewal fails", [checkout, renewal_fails], states.PAST_DUE, JOIN, [FAILED]),
    ("renewal fails twice: one mail", [checkout, renewal_fails, renewal_fails], states.PAST_DUE, JOIN, [FAILED]),
    ("a retry succeeds", [checkout, renewal_fails, renewal_paid], states.ACTIVE, JOIN, [FAILED]),
    ("halfway through grace", [checkout, renewal_fails, halfway_through_grace, SYNC], states.PAST_DUE, JOIN,
     [FAILED, "still outstanding"]),
    ("grace runs out", [checkout, renewal_fails, grace_runs_out], states.LAPSED, JOIN, [FAILED]),
    ("lapsed, pays after all", [checkout, renewal_fails, grace_runs_out, renewal_paid], states.ACTIVE, JOIN,
     [FAILED]),
    ("Stripe gives up", [checkout, renewal_fails, stripe_gives_up], states.LAPSED, JOIN, [FAILED]),
    ("lapsed, rejoins; the old subscription is cancelled and its late news ignored",
     [checkout, renewal_fails, grace_runs_out, checkout, old_subscription_retry_fails, SYNC], states.ACTIVE,
     JOIN + REJOIN + ["DELETE /v1/subscriptions/{sub1}"], [FAILED]),
    ("3-D Secure at renewal", [checkout, needs_3d_secure], states.ACTIVE, JOIN, ["Please confirm"]),
    ("3-D Secure left undone", [checkout, needs_3d_secure, renewal_fails], states.PAST_DUE, JOIN,
     ["Please confirm", FAILED]),
    ("cancels", [checkout, cancel], states.CANCELLING, JOIN + ["POST /v1/subscriptions/{sub1}"], []),
    ("cancels, then changes their mind", [checkout, cancel, undo_cancel, SYNC], states.ACTIVE,
     JOIN + ["POST /v1/subscriptions/{sub1}"], []),
    ("cancels, the period ends", [checkout, cancel, period_ends, SYNC], states.ENDED,
     JOIN + ["POST /v1/subscriptions/{sub1}"], []),
    ("ended, rejoins", [checkout, cancel, period_ends, checkout], states.ACTIVE,
     JOIN + ["POST /v1/subscriptions/{sub1}"] + REJOIN, []),
    ("deletes while active; Stripe still talks; nightly sync", [checkout, delete_account, stripe_still_talks, SYNC],
     states.ENDED, JOIN + ["DELETE /v1/customers/{cus}"], ["Your account is deleted"]),
    ("deletes while lapsed and Stripe still retries", [checkout, renewal_fails, grace_runs_out, delete_account, SYNC],
     states.ENDED, JOIN + ["DELETE /v1/customers/{cus}"], [FAILED, "Your account is deleted"]),
    ("deletes while cancelling", [checkout, cancel, delete_account], states.ENDED,
     JOIN + ["POST /v1/subscriptions/{sub1}", "DELETE /v1/customers/{cus}"], ["Your account is deleted"]),
]


def _writes(w: World) -> list[str]:
    names = {sub_id: f"{{sub{i}}}" for i, sub_id in enumerate(w.subs, 1)}
    customer = w.fake.objects[w.subs[0]]["customer"] if w.subs else None
    names[customer] = "{cus}"
    out = []
    for r in w.fake.requests:
        if r.method == "GET" or r.path.endswith("/expire"):
            continue
        out.append(re.sub(r"(?<=/)[a-z_]+_[A-Za-z0-9]+$", lambda m: names.get(m.group(0), m.group(0)),
                          f"{r.method} {r.path}"))
    return out


@pytest.mark.parametrize("name, steps, state, writes, mails", ROWS, ids=[row[0] for row in ROWS])
def test_lifecycle(app, ctx, client, priced, outbox, name, steps, state, writes, mails):
    user = make_applicant()
    w = World(app=app, client=client, fake=priced, outbox=outbox, user=user, email=user.email)
    for step in steps:
        step(w)
    assert w.membership.state == state
    assert _writes(w) == writes
    subjects = [m["Subject"] for m in outbox.to(w.email)]
    assert len(subjects) == len(mails) and all(want in got for want, got in zip(mails, subjects)), subjects
