"""The interest vocabulary: the list applicants choose from, kept by admins."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from club.applications.errors import ApplicationError, NotYours
from club.core import audit
from club.core.database import begin_write
from club.extensions import db
from club.models.club import InterestTag
from club.models.user import User


def interest_names() -> list[str]:
    return list(db.session.scalars(db.select(InterestTag.name).order_by(InterestTag.name)))


def interest_tags() -> list[InterestTag]:
    return list(db.session.scalars(db.select(InterestTag).order_by(InterestTag.name)))


def add_interest(name: str, actor: User) -> InterestTag:
    # Kept as the club wrote it ("Books", "wine"), and shown so everywhere; the same word in
    # another case is the same interest.
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(_("Give the interest a name."), field="name")
    begin_write()  # two admins adding the same interest at once: one row, and the other is told
    if db.session.scalar(db.select(InterestTag.id).where(func.lower(InterestTag.name) == name.lower())) is not None:
        db.session.rollback()
        raise ApplicationError(_("“%(name)s” is on the list already.", name=name), field="name")
    tag = InterestTag(name=name)
    db.session.add(tag)
    try:
        db.session.flush()
    except IntegrityError as exc:  # PostgreSQL: the other admin's row committed first
        db.session.rollback()
        raise ApplicationError(_("“%(name)s” is on the list already.", name=name), field="name") from exc
    audit.record("interest.added", actor=actor, subject=tag, name=name)
    db.session.commit()
    return tag


def remove_interest(tag_id: int, actor: User) -> str:
    """Remove an interest from the list; people who chose it keep it on their record."""
    tag = db.session.get(InterestTag, tag_id)
    if tag is None:
        raise NotYours()
    name = tag.name
    db.session.delete(tag)
    audit.record("interest.removed", actor=actor, name=name)
    db.session.commit()
    return name
