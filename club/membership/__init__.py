"""The membership kernel: states and the moves between them, who has access, state changes.

Every feature imports this package; it imports no feature. The member portal (``club.members``)
is built on top of it and nothing imports the portal.
"""
