"""A member leaving: Stripe stops renewing at the period's end, or an offline/complimentary membership ends."""
from __future__ import annotations

from flask_babel import gettext as _

from club.billing.dates import club_date
from club.billing.errors import BillingError
from club.billing.gateway import GatewayError
from club.billing.setup import require_gateway
from club.billing.subscriptions import apply_subscription, locked_membership
from club.core import audit
from club.core.database import begin_write
from club.core.templating import format_local
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.user import User


def cancel_membership(user: User, *, actor: User | None, reason: str = "") -> str:
    """The member leaves. Returns a sentence saying what happens next. Commits.

    Stripe: cancel at period end (access until then; the webhook confirms). Offline or
    complimentary: ends now, or at the end of the paid period / end date if one is set.
    """
    membership = membership_of(user)
    if membership is None or membership.state in (states.ENDED, states.SUSPENDED):
        raise BillingError(_("There is no membership to cancel."))
    if membership.state == states.CANCELLING:
        day = club_date(membership.current_period_end)
        return (_("Your membership already ends on %(day)s.", day=format_local(day, "long_date")) if day
                else _("Your membership is already ending."))
    if membership.kind == "stripe" and membership.stripe_subscription_id and membership.state != states.LAPSED:
        gw = require_gateway()
        try:
            sub = gw.set_cancel_at_period_end(membership.stripe_subscription_id, True,
                                              idempotency_key=f"cancel-{membership.stripe_subscription_id}")
        except GatewayError as exc:
            raise BillingError(exc.user_message) from exc
        begin_write()
        membership = locked_membership(membership.id)
        audit.record("billing.cancel_requested", actor=actor, subject=membership, subscription=sub.id, reason=reason)
        apply_subscription(membership, sub, actor=actor, reason=reason or "member cancelled")
        db.session.commit()
        day = club_date(membership.current_period_end)
        if membership.state == states.CANCELLING and day:
            return _("Your membership ends on %(day)s; you keep full access until then.",
                     day=format_local(day, "long_date"))
        # Past due: Stripe stops renewing, and the membership ends with the unpaid period.
        return (_("Your membership will not renew and ends on %(day)s.", day=format_local(day, "long_date")) if day
                else _("Your membership will not renew."))
    begin_write()
    membership = locked_membership(membership.id)
    now = utcnow()
    if (membership.state == states.ACTIVE and membership.current_period_end is not None
            and membership.current_period_end > now):
        change_membership_state(membership, states.CANCELLING, actor=actor, reason=reason or "member cancelled")
        sentence = _("Your membership ends on %(day)s; you keep full access until then.",
                     day=format_local(club_date(membership.current_period_end), "long_date"))
    else:
        change_membership_state(membership, states.ENDED, actor=actor, reason=reason or "member cancelled")
        sentence = _("Your membership has ended.")
    db.session.commit()
    return sentence


def undo_cancellation(user: User, *, actor: User | None) -> str:
    """A member paying offline (or complimentary) who cancelled changes their mind before the end:
    the membership is active again until the same paid-until date. Commits.

    A member paying by card undoes it in Stripe's portal (Stripe then tells us by webhook).
    """
    begin_write()
    found = membership_of(user)
    membership = locked_membership(found.id) if found is not None else None
    if membership is None or membership.state != states.CANCELLING:
        db.session.rollback()
        raise BillingError(_("Your membership is not set to end, so there is nothing to undo."))
    if membership.kind == "stripe":
        db.session.rollback()
        raise BillingError(_("Your membership is paid by card: renew it in the card portal."))
    if membership.current_period_end is not None and membership.current_period_end <= utcnow():
        db.session.rollback()
        raise BillingError(_("Your membership has already ended."))
    change_membership_state(membership, states.ACTIVE, actor=actor, reason="member undid cancellation")
    db.session.commit()
    day = club_date(membership.current_period_end)
    return (_("Your membership continues; it is paid until %(day)s.", day=format_local(day, "long_date")) if day
            else _("Your membership continues."))


def close_at_stripe(user: User) -> None:
    """Before an account is deleted: Stripe forgets the member and stops collecting, at once.

    Any open Checkout Session is expired, then the Stripe Customer is deleted, which cancels
    its subscriptions immediately (no renewal, no retries of a failed payment) and erases the
    name and email Stripe held. Raises BillingError when Stripe cannot be reached, so the
    account is not erased while Stripe could still charge the card. No commit.
    """
    membership = membership_of(user)
    if membership is None or not membership.stripe_customer_id:
        return
    gw = require_gateway()
    customer_id = membership.stripe_customer_id
    try:
        for session in gw.recent_checkouts(customer_id):
            if session.status == "open":
                gw.expire_checkout(session.id)
        gw.delete_customer(customer_id)
    except GatewayError as exc:
        raise BillingError(exc.user_message) from exc
    audit.record("billing.stripe_customer_deleted", actor=user, subject=membership, customer=customer_id,
                 subscription=membership.stripe_subscription_id)
