"""Requests to the curator: topics, states and the moves between them. Pure rules.

open → in_progress → done. A curator's first answer takes an open request in hand; a member
writing again on a done request opens it again, so nothing they say is lost in a closed thread.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l, lazy_pgettext

OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
STATES = (OPEN, IN_PROGRESS, DONE)
# Shown to people (badges, the state menu, mail); the codes stay English in the database.
LABELS = {OPEN: lazy_pgettext("request state", "Open"), IN_PROGRESS: lazy_pgettext("request state", "In progress"),
          DONE: lazy_pgettext("request state", "Done")}
# The mail to a member when a curator moves their request, and the curator's note after moving it.
STATE_SUBJECTS = {OPEN: _l("Your request is open"), IN_PROGRESS: _l("Your request is in progress"),
                  DONE: _l("Your request is done")}
MARKED = {OPEN: _l("Marked open."), IN_PROGRESS: _l("Marked in progress."), DONE: _l("Marked done.")}
LIVE = frozenset({OPEN, IN_PROGRESS})

# What a member can ask for. "hello" is the onboarding greeting, not offered in the list.
TOPICS = {
    "introduction": _l("An introduction to another member"),
    "event_idea": _l("An idea for an event"),
    "help": _l("Help with something"),
    "other": _l("Something else"),
}
HELLO = "hello"
TOPIC_LABELS = {**TOPICS, HELLO: lazy_pgettext("request topic", "Hello")}

ALLOWED = {
    OPEN: {IN_PROGRESS, DONE},
    IN_PROGRESS: {OPEN, DONE},
    DONE: {OPEN, IN_PROGRESS},
}


class InvalidRequestMove(ValueError):
    pass


def check_move(current: str, new: str) -> None:
    if current != new and new not in ALLOWED.get(current, set()):
        raise InvalidRequestMove(_("a request cannot go from %(current)s to %(new)s", current=current, new=new))


def after_member_message(state: str) -> str:
    return OPEN if state == DONE else state


def after_staff_message(state: str) -> str:
    return IN_PROGRESS if state == OPEN else state
