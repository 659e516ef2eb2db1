"""What a person reads for billing's stored codes: how a membership is paid and how often, and
where a payment came from. The codes stay English where stored; these lazy labels are translated
when shown, in the reader's language. (A membership's state: ``club.membership.states.LABELS``.)"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from club.membership import states

# How a membership is paid (Membership.kind): in a sentence on /billing, and short in the admin's tables.
KINDS = {"stripe": _l("By card, through Stripe"), "offline": _l("Paid to the club directly"),
         "complimentary": _l("Complimentary")}
KINDS_SHORT = {"stripe": _l("Card"), "offline": _l("Offline"), "complimentary": _l("Complimentary")}

# How often (Membership.plan, PlanForm's choices).
PLANS = {"monthly": _l("Monthly"), "annual": _l("Annual")}

# Where a payment came from (Payment.source).
SOURCES = {"stripe": "Stripe", "offline": _l("Offline")}


def state_label(state: str | None) -> str:
    """A membership state as the reader reads it (an unknown code as it is)."""
    return str(states.LABELS.get(state or "", state or ""))
