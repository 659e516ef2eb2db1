"""Decisions: approve, waitlist or reject an application with a reason (final once made), and
reopen a waitlisted one. Approval welcomes the new member (see ``welcome``). Whoever invited or
endorsed the applicant does not decide, unless an admin who says why (see ``conflicts``)."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from club.applications import review, rules
from club.applications.invites import start_reinvite_cooldown
from club.core import audit
from club.core.database import begin_write
from club.core.mail import send_mail
from club.curation import conflicts
from club.curation.errors import CurationError, NotAllowed, require_staff
from club.curation.scoring import locked_application, vouchers_of
from club.curation.welcome import welcome_new_member
from club.extensions import db
from club.models.curation import ApplicationDecision
from club.models.user import User

OUTCOMES = {rules.APPROVED: _l("Approve"), rules.WAITLISTED: _l("Waitlist"), rules.REJECTED: _l("Reject")}
# Recorded beside the outcomes when a waitlisted application is put back for a new decision.
REOPENED = "reopened"


def decide(application_id: int, outcome: str, reason: str, actor: User, override_reason: str | None = None,
           conflict_reason: str | None = None) -> ApplicationDecision:
    """Approve, waitlist or reject an application, with a reason; mail the applicant. Final once made.

    ``conflict_reason``: an admin who invited or endorsed the applicant says why they decide it
    themselves; it is kept on the decision, the audit entry says only that there was an override.
    """
    require_staff(actor)
    if outcome not in OUTCOMES:
        raise CurationError(_("Choose approve, waitlist or reject."), field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise CurationError(_("Say why: every decision is recorded with its reason."), field="reason")
    override_reason = (override_reason or "").strip() or None
    conflict_reason = (conflict_reason or "").strip() or None

    begin_write()
    application = locked_application(application_id)
    vouchers = vouchers_of(application)
    conflict = _check_conflict(actor, vouchers, conflict_reason)
    if application.state != rules.SUBMITTED:
        db.session.rollback()
        if application.state == rules.WAITLISTED:
            raise CurationError(_("This application is waitlisted. Reopen it first to decide again."))
        raise CurationError(_("This application has already been decided; decisions cannot be changed."))
    required = review.required_endorsements()
    short = application.endorsement_count < required
    if outcome == rules.APPROVED and short:
        if not actor.is_admin:
            db.session.rollback()
            raise CurationError(_(
                "Approval needs %(required)s endorsements; this application has %(count)s. "
                "Only an admin can approve with fewer.", required=required, count=application.endorsement_count),
                field="outcome")
        if not override_reason:
            db.session.rollback()
            raise CurationError(_(
                "This application has %(count)s of %(required)s endorsements. Say why you approve it anyway.",
                count=application.endorsement_count, required=required), field="override_reason")
    if not (outcome == rules.APPROVED and short):
        override_reason = None  # nothing was overridden; do not record a justification for nothing

    decision = ApplicationDecision(application_id=application.id, outcome=outcome, reason=reason,
                                   override_reason=override_reason,
                                   conflict_reason=conflict_reason if conflict else None,
                                   endorsement_count=application.endorsement_count, decided_by_id=actor.id)
    db.session.add(decision)
    review.mark_decided(application, outcome)
    db.session.flush()
    audit.record("application.decided", actor=actor, subject=application, outcome=outcome, decision_id=decision.id,
                 endorsements=application.endorsement_count, required=required,
                 override=override_reason is not None, conflict=conflict, conflict_override=conflict is not None)

    if outcome == rules.APPROVED:
        welcome_new_member(application, actor, vouchers)
    elif outcome == rules.WAITLISTED:
        send_mail(application.email, _l("Your application is on our waiting list"), "decision_waitlisted",
                  language=_applicant_language(application), name=application.full_name)
    else:
        start_reinvite_cooldown(application.email)
        send_mail(application.email, _l("About your application"), "decision_rejected",
                  language=_applicant_language(application), name=application.full_name)
    db.session.commit()
    return decision


def reopen(application_id: int, reason: str, actor: User) -> ApplicationDecision:
    """Put a waitlisted application back in the queue so it can be decided again."""
    require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CurationError(_("Say why the application is reopened."), field="reason")
    begin_write()
    application = locked_application(application_id)
    # An admin who vouched reopens with the reason they give for reopening; it is kept on the record.
    conflict = _check_conflict(actor, vouchers_of(application), reason)
    if application.state != rules.WAITLISTED:
        db.session.rollback()
        raise CurationError(_("Only a waitlisted application can be reopened."))
    record = ApplicationDecision(application_id=application.id, outcome=REOPENED, reason=reason,
                                 endorsement_count=application.endorsement_count, decided_by_id=actor.id)
    db.session.add(record)
    review.mark_reopened(application)
    db.session.flush()
    audit.record("application.reopened", actor=actor, subject=application, decision_id=record.id,
                 conflict=conflict, conflict_override=conflict is not None)
    db.session.commit()
    return record


def _applicant_language(application: review.ApplicationRecord) -> str | None:
    """The language of the applicant's account, when they have one; else None (the page's)."""
    user = db.session.get(User, application.user_id) if application.user_id else None
    return user.language if user is not None else None


def _check_conflict(actor: User, vouchers: conflicts.Vouchers, reason: str | None) -> str | None:
    """The actor's conflict with the locked application (None if none); refuses after a rollback."""
    conflict = conflicts.conflict_of(actor.id, vouchers)
    check = conflicts.decision_check(conflict, is_admin=actor.is_admin, reason=reason)
    if check.refusal:
        db.session.rollback()
        raise NotAllowed(check.refusal)
    if check.reason_needed:
        db.session.rollback()
        raise CurationError(check.reason_needed, field="conflict_reason")
    return conflict
