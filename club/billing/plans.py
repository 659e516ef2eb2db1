"""The owner's plans: create, edit and retire them, see who is on each, move a member to another
plan, and the club's billing settings (currency, promotion codes, how to pay directly).

Saving a plan runs the Stripe sync for it (``catalogue.sync_plan``): a changed price becomes a
new Stripe Price and the old one is archived; existing subscribers keep theirs until the admin
moves them, when Stripe prorates as the Stripe account is configured to.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from babel.numbers import get_currency_precision
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from club.billing import catalogue
from club.billing.errors import BillingError
from club.billing.gateway import GatewayError
from club.billing.setup import gateway
from club.billing.subscriptions import apply_subscription, locked_membership
from club.core import audit, settings
from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.models.billing import Plan
from club.models.membership import Membership
from club.models.user import User

log = logging.getLogger("club.billing")


@dataclass(frozen=True)
class PlanAmounts:
    name: str
    description: str
    monthly_cents: int
    annual_cents: int
    initiation_cents: int


def precision() -> int:
    """Digits after the decimal point in the club's currency (2 for EUR, 0 for JPY)."""
    return get_currency_precision(str(settings.get("currency")).upper())


def sync_to_stripe(plans: list[Plan]) -> str | None:
    """Mirror plans in Stripe now; a sentence for the admin when Stripe could not be updated."""
    gw = gateway()
    if gw is None:
        return None
    try:
        for plan in plans:
            catalogue.sync_plan(gw, plan)
        db.session.commit()
    except GatewayError as exc:
        db.session.rollback()
        log.warning("stripe sync of plans %s failed: %s", [plan.id for plan in plans], exc)
        return _("Saved, but Stripe could not be updated just now, so members are still offered the old "
                 "prices. Save again in a moment, or run `flask --app wsgi stripe-sync`.")
    return None


def save_plan(plan_id: int | None, amounts: PlanAmounts, *, actor: User) -> tuple[Plan, str | None]:
    """Create (plan_id None) or change a plan, then mirror it in Stripe. Returns the plan and a warning."""
    name = amounts.name.strip()
    begin_write()
    plan = Plan() if plan_id is None else db.session.get(Plan, plan_id)
    if plan is None:
        db.session.rollback()
        raise BillingError(_("That plan does not exist."))
    before = {k: getattr(plan, k, None) for k in ("name", "monthly_cents", "annual_cents", "initiation_cents")}
    plan.name, plan.description = name, amounts.description.strip()
    plan.monthly_cents, plan.annual_cents = amounts.monthly_cents, amounts.annual_cents
    plan.initiation_cents = amounts.initiation_cents
    if plan_id is None:
        plan.active = True
        db.session.add(plan)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        twin = db.session.scalars(db.select(Plan).where(Plan.name == name)).first()
        if plan_id is None and twin is not None and (twin.monthly_cents, twin.annual_cents, twin.initiation_cents) \
                == (amounts.monthly_cents, amounts.annual_cents, amounts.initiation_cents):
            return twin, None  # the same form sent twice at once: one plan
        raise BillingError(_("There is already a plan with that name.")) from None
    after = {k: getattr(plan, k) for k in before}
    audit.record("billing.plan_saved", actor=actor, subject=plan, created=plan_id is None,
                 changed=sorted(k for k in after if before[k] != after[k]), **after)
    db.session.commit()
    return plan, sync_to_stripe([plan])


def set_active(plan_id: int, active: bool, *, actor: User) -> tuple[Plan, str | None]:
    """Retire a plan (offered to nobody new; its members keep it) or offer it again."""
    begin_write()
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        db.session.rollback()
        raise BillingError(_("That plan does not exist."))
    if plan.active != active:
        plan.active = active
        audit.record("billing.plan_retired" if not active else "billing.plan_offered", actor=actor, subject=plan)
    db.session.commit()
    return plan, sync_to_stripe([plan])


def members_on(plan_id: int) -> list[Membership]:
    """Who is on a plan (every state but ended), by name."""
    return list(db.session.scalars(
        db.select(Membership).options(joinedload(Membership.user))
        .where(Membership.plan_id == plan_id, Membership.state != states.ENDED)
        .order_by(Membership.state, Membership.id)))


def member_counts() -> dict[int, int]:
    rows = db.session.execute(db.select(Membership.plan_id, db.func.count()).where(
        Membership.plan_id.is_not(None), Membership.state != states.ENDED).group_by(Membership.plan_id))
    return {plan_id: count for plan_id, count in rows}


def move_member(membership_id: int, plan_id: int, *, actor: User) -> str:
    """Put a member on another plan (or on their plan's current price). A live Stripe subscription
    is moved to the new plan's price for the same interval; Stripe prorates as configured."""
    target = db.session.get(Plan, plan_id)
    membership = db.session.get(Membership, membership_id)
    if target is None or membership is None:
        raise BillingError(_("That plan or membership does not exist."))
    gw = gateway()
    sub_id = membership.stripe_subscription_id
    if gw is not None and membership.kind == "stripe" and sub_id and states.has_access(membership.state):
        warning = sync_to_stripe([target])
        if warning:
            raise BillingError(_("Stripe could not be reached; nothing was changed. Please try again shortly."))
        try:
            sub = gw.subscription(sub_id)
            price_id = target.stripe_annual_price_id if sub.interval == "year" else target.stripe_monthly_price_id
            if not price_id:
                raise BillingError(_("That plan has no price in Stripe yet."))
            moved = gw.move_subscription(sub, price_id=price_id, plan_id=target.id,
                                         idempotency_key=f"move-{sub.id}-{price_id}")
        except GatewayError as exc:
            raise BillingError(exc.user_message) from exc
        begin_write()
        locked = locked_membership(membership_id)
        apply_subscription(locked, moved, actor=actor, reason="moved to another plan")
        locked.plan_id = target.id
        audit.record("billing.plan_moved", actor=actor, subject=locked, plan_id=target.id, price=price_id,
                     subscription=sub.id)
        db.session.commit()
        return _("Moved to %(plan)s; Stripe charges the new price from now on, prorated.", plan=target.name)
    begin_write()
    locked = locked_membership(membership_id)
    locked.plan_id = target.id
    audit.record("billing.plan_moved", actor=actor, subject=locked, plan_id=target.id)
    db.session.commit()
    return _("Moved to %(plan)s.", plan=target.name)


def save_settings(*, currency: str, promotion_codes: bool, payment_instructions: str, actor: User) -> str | None:
    """The club's billing settings. A new currency re-prices every plan in Stripe."""
    changed = settings.update({"currency": currency.lower(), "promotion_codes": bool(promotion_codes),
                               "payment_instructions": payment_instructions.strip()})
    if changed:
        audit.record("billing.settings_changed", actor=actor, keys=sorted(changed))
    db.session.commit()
    if "currency" in changed:
        return sync_to_stripe(catalogue.all_plans())
    return None
