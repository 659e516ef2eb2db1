"""Signals let one feature react to another's changes without importing it.

``membership_changed(sender=app, membership=…, old_state=…, new_state=…)`` fires inside the
transaction that changed the state (before commit), so receivers' changes commit with it.
Events uses it to release a member's future bookings when they lose access.
"""
from blinker import Namespace

_signals = Namespace()
membership_changed = _signals.signal("membership-changed")
