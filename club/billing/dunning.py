"""Dunning and renewal mails: a payment failed, halfway through the grace period, the day before
access closes, and an annual member's renewal 14 days ahead.

The first comes from the ``invoice.payment_failed`` webhook, the others from the nightly
``sync-billing``. Each mail is claimed in ``billing_reminders`` (unique per membership, kind and
occasion) inside the transaction that queues it, so it goes out once even when runs overlap.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from club.billing import rules
from club.billing.dates import club_date
from club.core import settings
from club.core.database import begin_write
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.billing import BillingReminder
from club.models.membership import Membership
from club.models.user import User

SUBJECTS = {
    "payment_failed": _l("Your membership payment did not go through"),
    "grace_halfway": _l("A reminder: your membership payment is still outstanding"),
    "grace_last_day": _l("Your access closes tomorrow unless the payment goes through"),
    "renewal": _l("Your annual membership renews in two weeks"),
}


def _claim(membership: Membership, kind: str, occasion: str) -> bool:
    """Record the mail as sent unless it already was; only the winner sends it."""
    try:
        with db.session.begin_nested():
            db.session.add(BillingReminder(membership_id=membership.id, kind=kind, occasion=occasion))
    except IntegrityError:
        return False
    return True


def _mail(membership: Membership, kind: str) -> None:
    user = membership.user
    send_mail(user.email, SUBJECTS[kind], f"billing_{kind}", language=user.language, name=user.full_name,
              grace_until=membership.grace_until, renews_on=club_date(membership.current_period_end),
              link=public_url_for("billing.billing"))


def mail_payment_failed(membership: Membership) -> bool:
    """The webhook's first dunning mail, once per grace period. Inside the caller's transaction."""
    occasion = membership.grace_until.date().isoformat() if membership.grace_until else "none"
    if membership.user.deleted_at is not None or not _claim(membership, "payment_failed", occasion):
        return False
    _mail(membership, "payment_failed")
    return True


def send_due(now: datetime | None = None) -> list[str]:
    """Mail every membership whose dunning or renewal mail is due, once each. For the nightly run."""
    now = now or utcnow()
    grace_days = int(settings.get("grace_days"))
    candidates = list(db.session.scalars(
        db.select(Membership.id).join(User, User.id == Membership.user_id).where(
            User.deleted_at.is_(None),
            db.or_(Membership.state == states.PAST_DUE,
                   db.and_(Membership.state == states.ACTIVE, Membership.kind == "stripe",
                           Membership.plan == "annual", Membership.current_period_end > now,
                           Membership.current_period_end <= now + rules.RENEWAL_NOTICE)))
        .order_by(Membership.id)))
    db.session.rollback()
    lines = []
    for membership_id in candidates:
        begin_write()
        membership = db.session.scalars(db.select(Membership).options(joinedload(Membership.user))
                                        .where(Membership.id == membership_id)).one()
        due = rules.due_reminder(state=membership.state, kind=membership.kind, plan=membership.plan,
                                 grace_until=membership.grace_until, grace_days=grace_days,
                                 period_end=membership.current_period_end, now=now)
        if due is not None and _claim(membership, *due):
            _mail(membership, due[0])
            lines.append(f"membership {membership.id} ({membership.user.email}): mailed {due[0]}")
        db.session.commit()
    return lines
