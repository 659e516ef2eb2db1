"""What the member portal holds about a person, and how it is erased (see ``club.core.erasure``)."""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.members import photos
from club.models.members import (AtRiskFollowUp, ClubFeedback, ClubFeedbackMessage, CuratorChangeRequest,
                                 CuratorRequest, RequestMessage)
from club.models.members import Introduction
from club.models.membership import MemberProfile

ERASED_TEXT = ""


@erasure.person_eraser("member_profiles", "member_photos")
def erase_profile(user_id: int, how: Erasure) -> None:
    """Everything the member told the club about themselves, the photo too; hidden from the directory."""
    photos.delete_all_of(user_id)
    profile = db.session.get(MemberProfile, user_id)
    if profile is None:
        return
    for column in ("city", "occupation", "company", "bio", "photo_filename"):
        setattr(profile, column, None)
    profile.interests, profile.languages, profile.links = [], [], []
    profile.directory_listed, profile.directory_fields = False, []


@erasure.person_eraser("curator_requests", "request_messages", "curator_change_requests")
def erase_requests(user_id: int, how: Erasure) -> None:
    """The member's threads are about the member: both sides' words go, the rows (and their dates,
    for the curators' workload figures) stay."""
    now = how.now
    thread_ids = db.select(CuratorRequest.id).where(CuratorRequest.member_id == user_id).scalar_subquery()
    db.session.execute(db.update(RequestMessage).where(RequestMessage.request_id.in_(thread_ids))
                       .values(body=ERASED_TEXT, erased_at=now))
    db.session.execute(db.update(CuratorRequest).where(CuratorRequest.member_id == user_id,
                                                       CuratorRequest.state != "done")
                       .values(state="done", closed_at=now, updated_at=now))
    db.session.execute(db.update(CuratorChangeRequest).where(CuratorChangeRequest.member_id == user_id)
                       .values(reason=ERASED_TEXT, state="done", resolved_at=now))


@erasure.person_eraser("at_risk_follow_ups")
def erase_follow_up_notes(user_id: int, how: Erasure) -> None:
    """What curators noted about following the member up: the words go, the dates stay (workload)."""
    db.session.execute(db.update(AtRiskFollowUp).where(AtRiskFollowUp.member_id == user_id).values(note=None))


@erasure.person_eraser("club_feedback", "club_feedback_messages")
def erase_club_feedback(user_id: int, how: Erasure) -> None:
    """The member's words to the club and the admins' answers go (the subject too); the rows and
    their dates stay, closed."""
    now = how.now
    thread_ids = db.select(ClubFeedback.id).where(ClubFeedback.member_id == user_id).scalar_subquery()
    db.session.execute(db.update(ClubFeedbackMessage).where(ClubFeedbackMessage.thread_id.in_(thread_ids))
                       .values(body=ERASED_TEXT, erased_at=now))
    db.session.execute(db.update(ClubFeedback).where(ClubFeedback.member_id == user_id,
                                                     ClubFeedback.state != "closed")
                       .values(state="closed", closed_at=now))
    db.session.execute(db.update(ClubFeedback).where(ClubFeedback.member_id == user_id)
                       .values(subject=ERASED_TEXT, updated_at=now))


@erasure.person_eraser("introductions")
def erase_introductions(user_id: int, how: Erasure) -> None:
    """Introductions the person was a side of go whole (the other side no longer sees their name,
    words or contact); those they proposed as staff stay, without their words."""
    db.session.execute(db.delete(Introduction).where(
        db.or_(Introduction.member_a_id == user_id, Introduction.member_b_id == user_id)))
    db.session.execute(db.update(Introduction).where(Introduction.asked_by_id == user_id).values(note=None))
