"""Evenings two members were at together (both checked in at the door), for the member portal's
"members you may like to meet". A subquery the caller joins into its own statement, and one
lookup of titles, so a home page costs the same whatever the number of evenings or members."""
from __future__ import annotations

from sqlalchemy import Select, Subquery, and_, func, select
from sqlalchemy.orm import aliased

from club.extensions import db
from club.models.events import ATTENDED, EVENT_PUBLISHED, Booking, Event


def _together(user_id: int, other_ids: list[int] | None = None) -> Select:
    """(other member, event, title, start) for every published evening both were checked in at."""
    mine, theirs = aliased(Booking), aliased(Booking)
    statement = (select(theirs.user_id.label("user_id"), Event.id.label("event_id"), Event.title.label("title"),
                        Event.starts_at.label("starts_at"))
                 .select_from(theirs)
                 .join(mine, and_(mine.event_id == theirs.event_id, mine.user_id == user_id,
                                  mine.attendance == ATTENDED))
                 .join(Event, Event.id == theirs.event_id)
                 .where(theirs.attendance == ATTENDED, theirs.user_id != user_id, Event.state == EVENT_PUBLISHED))
    if other_ids is not None:
        statement = statement.where(theirs.user_id.in_(other_ids))
    return statement


def evenings_shared_with(user_id: int) -> Subquery:
    """A subquery of (``user_id``, ``evenings``): per other member, how many published evenings
    they and ``user_id`` were both checked in at. Members never there together have no row."""
    pairs = _together(user_id).subquery()
    return (select(pairs.c.user_id, func.count(func.distinct(pairs.c.event_id)).label("evenings"))
            .group_by(pairs.c.user_id).subquery("evenings_together"))


def last_evening_together(user_id: int, other_ids: list[int]) -> dict[int, str]:
    """The title of the latest evening ``user_id`` shared with each of ``other_ids``. One statement."""
    if not other_ids:
        return {}
    titles: dict[int, str] = {}
    for other_id, _event_id, title, _starts_at in db.session.execute(
            _together(user_id, other_ids).order_by(Event.starts_at.desc(), Event.id.desc())):
        titles.setdefault(other_id, title)
    return titles
