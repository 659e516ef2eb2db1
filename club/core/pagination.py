"""One pagination for every list: a page of rows cut in SQL, with what the page links need."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from club.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(statement: Select[Any], *, page: int, per_page: int, scalars: bool = True,
             total: int | None = None) -> Page[Any]:
    """Count the rows of ``statement`` and load one page of them: two queries, whatever the total.

    ``scalars=False`` keeps whole rows (for statements that select several columns). A page past
    the end shows the last page, so a stale link never lands on an empty list. ``total``: the
    number of rows when the caller has counted them already (e.g. with the counts of every tab),
    which saves the count query.
    """
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    cut = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(cut)
    items = list(result.scalars() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)


def paginate_list(items: list[T], *, page: int, per_page: int) -> Page[T]:
    """The same page for a list already in memory (only where a rule cannot yet be put in SQL)."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(1, page), pages)
    return Page(items=items[(page - 1) * per_page: page * per_page], page=page, per_page=per_page, total=len(items))
