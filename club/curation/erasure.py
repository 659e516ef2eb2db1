"""What curation holds about a person or an application, and how it is erased."""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.curation import MemberNote, Review


@erasure.application_eraser("application_reviews")
def erase_reviews(application_id: int, how: Erasure) -> None:
    """Curators' comments quote the applicant; their scores stay for the statistics."""
    db.session.execute(db.update(Review).where(Review.application_id == application_id).values(comment=None))


@erasure.person_eraser("member_notes")
def erase_person(user_id: int, how: Erasure) -> None:
    """Curators' notes about the person go with them. The audit log keeps only that notes existed."""
    db.session.execute(db.delete(MemberNote).where(MemberNote.member_id == user_id))


erasure.keep("application_decisions", "the decision record: who, when, which outcome")
erasure.keep("curator_assignments", "who looked after whom: ids and dates")
erasure.keep("curator_profiles", "staff profiles; a staff account is closed by the admin, not erased")
