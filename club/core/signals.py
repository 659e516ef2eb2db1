"""Signals let one feature react to another's changes without importing it.

``membership_changed(sender=app, membership=…, old_state=…, new_state=…)`` fires inside the
transaction that changed the state (before commit), so receivers' changes commit with it.
Events uses it to release a member's future bookings when they lose access.

``account_deleted(sender=app, user_id=…)`` fires inside the transaction that deletes a member's
account, before commit; each feature that keeps personal data of its own about the person
(curators' notes, for instance) erases it there, and its changes commit with the deletion.
"""
from blinker import Namespace

_signals = Namespace()
membership_changed = _signals.signal("membership-changed")
account_deleted = _signals.signal("account-deleted")
