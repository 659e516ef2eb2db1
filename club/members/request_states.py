"""Requests to the curator: topics, states and the moves between them. Pure rules.

open → in_progress → done. A curator's first answer takes an open request in hand; a member
writing again on a done request opens it again, so nothing they say is lost in a closed thread.
"""
from __future__ import annotations

OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
STATES = (OPEN, IN_PROGRESS, DONE)
LABELS = {OPEN: "Open", IN_PROGRESS: "In progress", DONE: "Done"}
LIVE = frozenset({OPEN, IN_PROGRESS})

# What a member can ask for. "hello" is the onboarding greeting, not offered in the list.
TOPICS = {
    "introduction": "An introduction to another member",
    "event_idea": "An idea for an event",
    "help": "Help with something",
    "other": "Something else",
}
HELLO = "hello"
TOPIC_LABELS = {**TOPICS, HELLO: "Hello"}

ALLOWED = {
    OPEN: {IN_PROGRESS, DONE},
    IN_PROGRESS: {OPEN, DONE},
    DONE: {OPEN, IN_PROGRESS},
}


class InvalidRequestMove(ValueError):
    pass


def check_move(current: str, new: str) -> None:
    if current != new and new not in ALLOWED.get(current, set()):
        raise InvalidRequestMove(f"a request cannot go from {current} to {new}")


def after_member_message(state: str) -> str:
    return OPEN if state == DONE else state


def after_staff_message(state: str) -> str:
    return IN_PROGRESS if state == OPEN else state
