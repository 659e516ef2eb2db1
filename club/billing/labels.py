"""What a person reads for billing's stored codes: a membership's state, how it is paid and how
often, where a payment came from, and the admins' changes. The codes stay English where stored;
these lazy labels are translated when shown, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l, lazy_pgettext

from club.membership import states
from club.membership.reasons import COMPLIMENTARY, REINSTATED, SUSPENDED

STATES = {
    states.PENDING_PAYMENT: lazy_pgettext("membership state", "Awaiting payment"),
    states.ACTIVE: lazy_pgettext("membership state", "Active"),
    states.PAST_DUE: lazy_pgettext("membership state", "Payment failed"),
    states.LAPSED: lazy_pgettext("membership state", "Lapsed"),
    states.CANCELLING: lazy_pgettext("membership state", "Ends at period end"),
    states.ENDED: lazy_pgettext("membership state", "Ended"),
    states.SUSPENDED: lazy_pgettext("membership state", "Suspended"),
}

# How a membership is paid (Membership.kind): in a sentence on /billing, and short in the admin's tables.
KINDS = {"stripe": _l("By card, through Stripe"), "offline": _l("Paid to the club directly"),
         "complimentary": _l("Complimentary")}
KINDS_SHORT = {"stripe": _l("Card"), "offline": _l("Offline"), "complimentary": _l("Complimentary")}

# How often (Membership.plan, PlanForm's choices).
PLANS = {"monthly": _l("Monthly"), "annual": _l("Annual")}

# Where a payment came from (Payment.source).
SOURCES = {"stripe": "Stripe", "offline": _l("Offline")}

# An admin's change with a written reason (MembershipReason.change).
CHANGES = {SUSPENDED: lazy_pgettext("membership change", "Suspended"),
           REINSTATED: lazy_pgettext("membership change", "Reinstated"),
           COMPLIMENTARY: lazy_pgettext("membership change", "Complimentary")}


def state_label(state: str | None) -> str:
    return str(STATES.get(state or "", state or ""))
