"""Billing keeps the books when a person is erased (see ``club.core.erasure``)."""
from __future__ import annotations

from club.core import erasure

erasure.keep("payments", "the books: amounts, dates and references stay")
erasure.keep("stripe_events", "which Stripe events were processed: ids only")
erasure.keep("billing_reminders", "which dunning and renewal mails went out: ids and dates only")
erasure.keep("plans", "the club's plans and prices: no personal data")
