"""Curators' scores: one per curator and application, changeable until the decision, never on
an applicant the curator invited."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from club.applications import review, rules
from club.core import audit
from club.core.database import begin_write
from club.curation.errors import CurationError, NotAllowed, NotFound, require_staff
from club.extensions import db
from club.models.curation import Review
from club.models.user import User


def score_refusal(application: review.ApplicationRecord, curator: User) -> str | None:
    """Why ``curator`` may not score the application now, or None when they may."""
    if not curator.is_staff:
        return "Only curators score applications."
    if application.state != rules.SUBMITTED:
        return "Scores are closed: this application has been decided."
    if application.inviter_id == curator.id:
        return "You invited this applicant, so you do not score them."
    return None


def locked_application(application_id: int) -> review.ApplicationRecord:
    """The application, locked for a score or a decision; NotFound (after a rollback) if there is none."""
    application = review.lock_for_decision(application_id)
    if application is None:
        db.session.rollback()
        raise NotFound("There is no such application.")
    return application


def score_application(application_id: int, curator: User, score: int, comment: str | None) -> Review:
    """Record or change this curator's one score and comment, until the application is decided."""
    require_staff(curator)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise CurationError("Choose a score from 1 to 5.", field="score")
    comment = (comment or "").strip() or None
    for attempt in (1, 2):
        begin_write()
        application = locked_application(application_id)
        refusal = score_refusal(application, curator)
        if refusal:
            db.session.rollback()
            if application.inviter_id == curator.id:
                raise NotAllowed(refusal)
            raise CurationError(refusal)
        mine = db.session.scalars(select(Review).where(
            Review.application_id == application.id, Review.curator_id == curator.id)).first()
        created = mine is None
        if created:
            mine = Review(application_id=application.id, curator_id=curator.id, score=score, comment=comment)
            db.session.add(mine)
        else:
            mine.score, mine.comment = score, comment
        try:
            db.session.flush()
        except IntegrityError:
            # Two submits raced past the check on PostgreSQL; the second becomes an update.
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        audit.record("application.scored" if created else "application.score_changed", actor=curator,
                     subject=application, score=score)
        db.session.commit()
        return mine
    raise AssertionError("unreachable")
