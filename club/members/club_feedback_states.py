"""Feedback to the club: a thread's states and the moves between them. Pure rules.

open (the club's turn) → answered (the member's turn) → closed. An admin's answer makes it
answered, or closed if they close it with the answer; a member writing again opens it again,
closed or not, so nothing a member says waits unseen in a closed thread.
"""
from __future__ import annotations

from flask_babel import lazy_pgettext

OPEN = "open"
ANSWERED = "answered"
CLOSED = "closed"
STATES = (OPEN, ANSWERED, CLOSED)
# Shown to people (badges); the codes stay English in the database.
LABELS = {OPEN: lazy_pgettext("club feedback state", "Waiting for the club"),
          ANSWERED: lazy_pgettext("club feedback state", "Answered"),
          CLOSED: lazy_pgettext("club feedback state", "Closed")}
# The admins' list: open threads first, then answered, then closed.
RANK = {OPEN: 0, ANSWERED: 1, CLOSED: 2}


def after_member_message(state: str) -> str:
    return OPEN


def after_answer(state: str, *, close: bool) -> str:
    return CLOSED if close else ANSWERED


def may_close(state: str) -> bool:
    return state != CLOSED
