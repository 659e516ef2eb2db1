"""Billing's periodic job (``club.core.jobs``): the nightly repair that `flask sync-billing` runs by hand."""
from club.core.jobs import periodic

periodic("sync-billing", every=24 * 60 * 60, target="club.billing.reconcile:sync_billing")
