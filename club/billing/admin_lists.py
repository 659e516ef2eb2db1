"""What the admin's billing pages show: every membership, those needing attention first, and one membership's payments."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from club.core.pagination import Page, paginate
from club.extensions import db
from club.membership import states
from club.models.billing import Payment
from club.models.membership import Membership

PER_PAGE = 500
ATTENTION_STATES = (states.PENDING_PAYMENT, states.PAST_DUE, states.LAPSED)


@dataclass(frozen=True)
class AdminList:
    """One page of memberships, most recently changed first, split into needing attention and the rest."""
    attention: list[Membership]
    others: list[Membership]
    page: Page[Membership]
    state: str = ""  # "": every state; else only the memberships in it (the overview's tiles lead here)


def memberships_for_admin(page: int = 1, state: str = "") -> AdminList:
    """(needing attention, everyone else) on this page, each with its person loaded in the same query;
    only those in ``state`` when it is a known state."""
    query = db.select(Membership).options(joinedload(Membership.user)).order_by(Membership.updated_at.desc())
    state = state if state in states.ALL_STATES else ""
    if state:
        query = query.where(Membership.state == state)
    listing = paginate(query, page=page, per_page=PER_PAGE)
    rows = listing.items
    return AdminList(attention=[m for m in rows if m.state in ATTENTION_STATES],
                     others=[m for m in rows if m.state not in ATTENTION_STATES], page=listing, state=state)


def membership_detail(membership_id: int) -> tuple[Membership, list[Payment]] | None:
    """One membership with its person and every payment, newest first (recorded-by loaded)."""
    membership = db.session.scalars(db.select(Membership).options(joinedload(Membership.user))
                                    .where(Membership.id == membership_id)).first()
    if membership is None:
        return None
    payments = list(db.session.scalars(db.select(Payment).options(joinedload(Payment.recorded_by))
                                       .where(Payment.membership_id == membership_id)
                                       .order_by(Payment.paid_on.desc(), Payment.id.desc())))
    return membership, payments
