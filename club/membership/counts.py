"""How many memberships are in each state: the owner's first figure."""
from __future__ import annotations

from sqlalchemy import func

from club.extensions import db
from club.models.membership import Membership


def counts_by_state() -> dict[str, int]:
    rows = db.session.execute(db.select(Membership.state, func.count()).group_by(Membership.state)).all()
    return {state: count for state, count in rows}
