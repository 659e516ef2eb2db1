"""The review queue: applications by tab (ready, awaiting endorsements, waitlisted, decided,
withdrawn) with their scores, one page at a time, and the count of every tab."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l, lazy_pgettext

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from club.applications import review
from club.core.pagination import paginate
from club.curation.errors import require_staff
from club.models.base import utcnow
from club.models.curation import Review
from club.models.user import User

QUEUE_FILTERS = {
    review.READY: _l("Ready for decision"),
    review.AWAITING: _l("Awaiting endorsements"),
    review.WAITLISTED: lazy_pgettext("queue tab", "Waitlisted"),
    review.DECIDED: lazy_pgettext("queue tab", "Decided"),
    review.WITHDRAWN: lazy_pgettext("queue tab", "Withdrawn"),
}
QUEUE_SORTS = {"oldest": lazy_pgettext("queue order", "Oldest first"), "newest": lazy_pgettext("queue order", "Newest first")}
QUEUE_PAGE_SIZE = 50


@dataclass
class QueueRow:
    application: review.QueuedApplication
    inviter_name: str
    review_count: int
    average_score: float | None
    my_score: int | None
    bucket: str
    age_days: int


@dataclass
class Queue:
    filter: str
    sort: str
    counts: dict[str, int]
    rows: list[QueueRow]
    page: int
    has_next: bool
    required: int
    pages: int = 1


def review_queue(viewer: User, filter_: str = "ready", sort: str = "oldest", page: int = 1) -> Queue:
    """One page of the queue with the counts per tab: two queries whatever the queue's length."""
    require_staff(viewer)
    filter_ = filter_ if filter_ in QUEUE_FILTERS else review.READY
    sort = sort if sort in QUEUE_SORTS else "oldest"
    required = review.required_endorsements()
    counts = review.queue_counts(required)

    statement = review.queue_select(filter_, required=required, newest_first=sort == "newest")
    application_id = statement.selected_columns.id
    stats = (select(Review.application_id, func.count().label("n"), func.avg(Review.score).label("average"))
             .group_by(Review.application_id).subquery())
    mine = aliased(Review)
    statement = (
        statement.add_columns(stats.c.n.label("review_count"), stats.c.average.label("average_score"),
                              mine.score.label("my_score"))
        .outerjoin(stats, stats.c.application_id == application_id)
        .outerjoin(mine, and_(mine.application_id == application_id, mine.curator_id == viewer.id))
    )
    # The tab's count is known already, so the page needs no count query of its own.
    found = paginate(statement, page=page, per_page=QUEUE_PAGE_SIZE, scalars=False, total=counts[filter_])
    now = utcnow()
    rows = []
    for row in found.items:
        application = review.queued_application(row)
        rows.append(QueueRow(
            application, row.inviter_name, row.review_count or 0,
            float(row.average_score) if row.average_score is not None else None, row.my_score,
            review.queue_tab(application.state, application.endorsement_count, required),
            max((now - application.submitted_at).days, 0)))
    return Queue(filter_, sort, counts, rows, found.page, found.has_next, required, found.pages)
