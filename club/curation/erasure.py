"""What curation holds about a person or an application, and how it is erased."""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.curation import ApplicationDecision, CuratorAssignment, MemberNote, Review


@erasure.application_eraser("application_reviews")
def erase_reviews(application_id: int, how: Erasure) -> None:
    """Curators' comments quote the applicant; their scores stay for the statistics."""
    db.session.execute(db.update(Review).where(Review.application_id == application_id).values(comment=None))


@erasure.application_eraser("application_decisions")
def erase_decision_reasons(application_id: int, how: Erasure) -> None:
    """Why curators decided: their words go; who decided, when and which outcome stay.

    Decisions cannot be changed through the ORM (``DecisionsAreFinal``); erasure is the one
    exception, done as a bulk UPDATE of the words only.
    """
    db.session.execute(db.update(ApplicationDecision).where(ApplicationDecision.application_id == application_id)
                       .values(reason="", override_reason=None, conflict_reason=None))


@erasure.person_eraser("member_notes", "curator_assignments")
def erase_person(user_id: int, how: Erasure) -> None:
    """Curators' notes about the person go with them, and the admin's words on why they got another
    curator. The audit log keeps only that notes and reassignments existed; who looked after whom stays."""
    db.session.execute(db.delete(MemberNote).where(MemberNote.member_id == user_id))
    db.session.execute(db.update(CuratorAssignment).where(CuratorAssignment.member_id == user_id).values(reason=""))


erasure.keep("curator_profiles", "staff profiles; a staff account is closed by the admin, not erased")
