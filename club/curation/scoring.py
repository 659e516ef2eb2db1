"""Curators' scores: one per curator and application, changeable until the decision, never on
an applicant the curator invited or endorsed (see ``conflicts``)."""
from __future__ import annotations

from flask_babel import gettext as _

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from club.applications import review, rules
from club.core import audit
from club.core.database import begin_write
from club.curation import conflicts
from club.curation.errors import CurationError, NotAllowed, NotFound, require_staff
from club.extensions import db
from club.models.curation import Review
from club.models.user import User


def vouchers_of(application: review.ApplicationRecord) -> conflicts.Vouchers:
    """Who invited and who endorsed the application (the endorsements are read unless on the record)."""
    if application.endorsements:
        endorsers = [e.endorser_id for e in application.endorsements if e.state == "endorsed"]
    else:
        endorsers = review.endorser_ids(application.id)
    return conflicts.Vouchers.of(application.inviter_id, endorsers)


def score_refusal(application: review.ApplicationRecord, curator: User,
                  vouchers: conflicts.Vouchers | None = None) -> str | None:
    """Why ``curator`` may not score the application now, or None when they may.

    Nobody who vouched for the applicant scores them, admins included: a score is advice to the
    other curators, and a voucher's would only count their word twice.
    """
    if not curator.is_staff:
        return _("Only curators score applications.")
    if application.state != rules.SUBMITTED:
        return _("Scores are closed: this application has been decided.")
    conflict = conflicts.conflict_of(curator.id, vouchers or vouchers_of(application))
    if conflict is not None:
        return str(conflicts.SCORE_REFUSALS[conflict])
    return None


def locked_application(application_id: int) -> review.ApplicationRecord:
    """The application, locked for a score or a decision; NotFound (after a rollback) if there is none."""
    application = review.lock_for_decision(application_id)
    if application is None:
        db.session.rollback()
        raise NotFound(_("There is no such application."))
    return application


def score_application(application_id: int, curator: User, score: int, comment: str | None) -> Review:
    """Record or change this curator's one score and comment, until the application is decided."""
    require_staff(curator)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise CurationError(_("Choose a score from 1 to 5."), field="score")
    comment = (comment or "").strip() or None
    for attempt in (1, 2):
        begin_write()
        application = locked_application(application_id)
        vouchers = vouchers_of(application)
        refusal = score_refusal(application, curator, vouchers)
        if refusal:
            db.session.rollback()
            if conflicts.conflict_of(curator.id, vouchers) is not None:
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
