"""An admin gives a member another curator, with a reason; the member and both curators are told."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from club.core import audit
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.curation.errors import CurationError, NotAllowed
from club.curation.workspace import member_in_care
from club.extensions import db
from club.models.curation import CuratorAssignment, CuratorProfile
from club.models.user import User


def reassign_curator(member_id: int, new_curator_id: int, reason: str, actor: User) -> CuratorAssignment:
    """An admin gives a member another curator; the member and both curators are told."""
    if not actor.is_admin:
        raise NotAllowed(_("Only an admin can reassign a member."))
    reason = (reason or "").strip()
    if not reason:
        raise CurationError(_("Say why the member gets another curator."), field="reason")
    user, membership = member_in_care(member_id, actor)
    new_curator = db.session.get(User, new_curator_id)
    if new_curator is None or not new_curator.is_curator or new_curator.deleted_at is not None:
        raise CurationError(_("Choose one of the club's curators."), field="curator_id")
    if membership.curator_id == new_curator.id:
        raise CurationError(_("%(name)s is already this member's curator.", name=new_curator.full_name),
                            field="curator_id")
    previous = db.session.get(User, membership.curator_id) if membership.curator_id else None
    membership.curator_id = new_curator.id
    assignment = CuratorAssignment(member_id=user.id, curator_id=new_curator.id,
                                   previous_curator_id=previous.id if previous else None,
                                   reason=reason, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("curator.reassigned", actor=actor, subject=membership, user_id=user.id,
                 old_curator_id=previous.id if previous else None, new_curator_id=new_curator.id,
                 assignment_id=assignment.id)
    profile = db.session.get(CuratorProfile, new_curator.id)
    send_mail(user.email, _l("Your personal curator"), "curator_reassigned_member", language=user.language,
              member=user, curator=new_curator, curator_profile=profile)
    send_mail(new_curator.email, _l("A member joins your care: %(name)s", name=user.full_name),
              "curator_reassigned_to", language=new_curator.language,
              curator=new_curator, member=user, previous=previous, reason=reason,
              link=public_url_for("curation.member", user_id=user.id))
    if previous is not None and previous.deleted_at is None:
        send_mail(previous.email, _l("%(name)s now has another curator", name=user.full_name),
                  "curator_reassigned_from", language=previous.language,
                  curator=previous, member=user, new_curator=new_curator, reason=reason)
    db.session.commit()
    return assignment
