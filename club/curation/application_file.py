"""One application on file: the answers, who vouches, the inviter's track record, the scores,
the decisions and the history, with what the viewing curator may do next (and, when they
invited or endorsed the applicant, why they may not)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from club.applications import review, rules
from club.curation import conflicts
from club.curation.decisions import REOPENED
from club.curation.errors import NotFound, require_staff
from club.curation.scoring import score_refusal
from club.extensions import db
from club.models.curation import ApplicationDecision, Review
from club.models.user import User


@dataclass
class HistoryItem:
    at: datetime
    text: str
    detail: str | None = None
    kind: str = "done"


@dataclass
class ApplicationFile:
    application: review.ApplicationRecord
    inviter: User
    endorsements: list[review.EndorsementRecord]
    reviews: list[Review]
    decisions: list[ApplicationDecision]
    track_record: list[review.TrackRecordEntry]
    history: list[HistoryItem]
    required: int
    my_review: Review | None
    can_score: bool
    score_refusal: str | None
    can_decide: bool
    can_reopen: bool
    member_id: int | None = None
    track_summary: dict[str, int] = field(default_factory=dict)
    # How the viewer vouched for the applicant (conflicts.INVITED / ENDORSED), or None.
    conflict: str | None = None
    # Why the viewer may not decide or reopen (a curator who vouched), or None.
    decide_refusal: str | None = None
    # An admin who vouched may decide, saying why: what the page tells them.
    conflict_notice: str | None = None

    @property
    def endorsed(self) -> list[review.EndorsementRecord]:
        return [e for e in self.endorsements if e.state == "endorsed"]

    @property
    def average_score(self) -> float | None:
        return sum(r.score for r in self.reviews) / len(self.reviews) if self.reviews else None


def application_file(application_id: int, viewer: User) -> ApplicationFile:
    """Everything a curator needs to decide, in a fixed number of queries."""
    require_staff(viewer)
    application = review.application_on_file(application_id)
    if application is None:
        raise NotFound(_("There is no such application."))
    inviter = application.invitation.inviter
    reviews = list(db.session.scalars(
        select(Review).where(Review.application_id == application.id)
        .options(joinedload(Review.curator)).order_by(Review.created_at, Review.id)))
    decisions = list(db.session.scalars(
        select(ApplicationDecision).where(ApplicationDecision.application_id == application.id)
        .options(joinedload(ApplicationDecision.decided_by)).order_by(ApplicationDecision.id)))
    track = review.track_record(inviter.id, application.id)
    summary: dict[str, int] = {}
    for entry in track:
        summary[entry.state] = summary.get(entry.state, 0) + 1
    my_review = next((r for r in reviews if r.curator_id == viewer.id), None)
    vouchers = conflicts.Vouchers.of(application.inviter_id,
                                     [e.endorser_id for e in application.endorsements if e.state == "endorsed"])
    conflict = conflicts.conflict_of(viewer.id, vouchers)
    may_decide = conflict is None or viewer.is_admin
    open_to_decide = application.state in (rules.SUBMITTED, rules.WAITLISTED)
    refusal = score_refusal(application, viewer, vouchers)
    member_id = None
    if application.state == rules.APPROVED and application.user_id:
        member_id = application.user_id
    return ApplicationFile(
        application=application, inviter=inviter, endorsements=list(application.endorsements), reviews=reviews,
        decisions=decisions, track_record=track, history=_history(application, inviter, decisions),
        required=review.required_endorsements(), my_review=my_review, can_score=refusal is None,
        score_refusal=refusal, can_decide=application.state == rules.SUBMITTED and may_decide,
        can_reopen=application.state == rules.WAITLISTED and may_decide, member_id=member_id, track_summary=summary,
        conflict=conflict,
        decide_refusal=conflicts.DECIDE_REFUSALS[conflict] if conflict and not may_decide and open_to_decide else None,
        conflict_notice=conflicts.ADMIN_NOTICES[conflict] if conflict and may_decide and open_to_decide else None,
    )


def _history(application: review.ApplicationRecord, inviter: User,
             decisions: list[ApplicationDecision]) -> list[HistoryItem]:
    items = [HistoryItem(application.invitation.created_at, _("Invited by %(name)s", name=inviter.full_name))]
    items.append(HistoryItem(application.submitted_at, _("Application submitted")))
    for e in application.endorsements:
        if e.state == "endorsed" and e.answered_at:
            items.append(HistoryItem(e.answered_at, _("Endorsed by %(name)s", name=e.endorser.full_name)))
        elif e.state == "declined" and e.answered_at:
            items.append(HistoryItem(e.answered_at, _("%(name)s declined to endorse", name=e.endorser.full_name)))
    for d in decisions:
        who = d.decided_by.full_name if d.decided_by else _("a former curator")
        parts = [d.reason]
        if d.override_reason:
            parts.append(_("Override: %(reason)s", reason=d.override_reason))
        if d.conflict_reason:
            parts.append(_("Decided despite vouching for the applicant: %(reason)s", reason=d.conflict_reason))
        items.append(HistoryItem(d.decided_at, _decided_by(d.outcome, who), " — ".join(parts)))
    if application.withdrawn_at:
        items.append(HistoryItem(application.withdrawn_at, _("Withdrawn by the applicant")))
    items.sort(key=lambda i: i.at)
    if application.state in (rules.SUBMITTED,) and items:
        items[-1].kind = "current"
    return items


def _decided_by(outcome: str, who: str) -> str:
    """A decision in the history: "Approved by Anna Curator"."""
    if outcome == rules.APPROVED:
        return _("Approved by %(name)s", name=who)
    if outcome == rules.WAITLISTED:
        return _("Waitlisted by %(name)s", name=who)
    if outcome == rules.REJECTED:
        return _("Rejected by %(name)s", name=who)
    if outcome == REOPENED:
        return _("Reopened by %(name)s", name=who)
    return f"{outcome} · {who}"
