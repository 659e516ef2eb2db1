"""Signals let one feature react to another's changes without importing it.

``membership_changed(sender=app, membership=…, old_state=…, new_state=…)`` fires inside the
transaction that changed the state (before commit), so receivers' changes commit with it.
Events uses it to release a member's future bookings when they lose access.

``account_deleted(sender=app, user_id=…)`` fires inside the transaction that deletes a member's
account, after every feature's eraser has run (``club.core.erasure``) and before commit.
"""
from blinker import Namespace

_signals = Namespace()
membership_changed = _signals.signal("membership-changed")
account_deleted = _signals.signal("account-deleted")
