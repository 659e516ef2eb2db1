"""Signals of the member's side, for features that keep personal data of their own.

``account_deleted(sender=app, user_id=…)`` fires inside the deleting transaction, before commit,
after the membership has ended; a receiver erases what its feature holds about the person
(curators' notes, for instance) and its changes commit with the deletion.
"""
from blinker import Namespace

_signals = Namespace()
account_deleted = _signals.signal("account-deleted")
