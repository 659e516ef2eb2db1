"""The one error billing raises to the person who asked: its message is meant to be shown to them."""
from __future__ import annotations


class BillingError(Exception):
    """A billing request that cannot be done; the message is meant for the person who asked."""
