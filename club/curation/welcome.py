"""The welcome of a new member at approval: an account if the applicant had none, the member
profile filled from the application, a membership awaiting payment with a matched curator,
and the mails (the member, the curator, the admins when every curator is full). Whoever invited
or endorsed the new member is never matched as their curator (see ``conflicts``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sqlalchemy import select

from club.applications import review
from club.auth.service import create_account, find_user_by_email, make_reset_token
from club.core import audit
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.curation import conflicts
from club.curation.loads import curators, match_curator
from club.extensions import db
from club.membership.changes import start_membership
from club.models.curation import CuratorAssignment
from club.models.membership import MemberProfile
from club.models.user import ROLE_ADMIN, User, UserRole


def welcome_new_member(application: review.ApplicationRecord, actor: User,
                       vouchers: conflicts.Vouchers | None = None) -> None:
    """Approval: the applicant's account gets a membership awaiting payment and a matched curator,
    never one who vouched for them (``vouchers``; read from the application when not given)."""
    if vouchers is None:
        vouchers = conflicts.Vouchers.of(application.inviter_id, review.endorser_ids(application.id))
    user = db.session.get(User, application.user_id) if application.user_id else None
    password_link = None
    if user is None:
        # An applicant without an account (older invitation flow): make one; they choose a password by link.
        user = find_user_by_email(application.email) or create_account(application.email, application.full_name, None,
                                                                        actor=actor)
        review.link_account(application, user.id)
        if not user.password_hash:
            password_link = public_url_for("auth.reset_password", token=make_reset_token(user))
    profile = _fill_profile(user, application)
    match = match_curator(profile, exclude_user_id=user.id, vouchers=vouchers.ids)
    curator = db.session.get(User, match.curator_id) if match else None
    membership = start_membership(user, curator=curator, actor=actor)
    db.session.add(CuratorAssignment(member_id=user.id, curator_id=curator.id if curator else None,
                                     reason="Matched at approval", assigned_by_id=actor.id))
    audit.record("curator.assigned", actor=actor, subject=membership, user_id=user.id,
                 curator_id=curator.id if curator else None, matched=True,
                 shared=len(match.shared_interests) + len(match.shared_languages) if match else 0)
    if match is None and any(c.user.id in vouchers.ids for c in curators()):
        _tell_admins_no_curator_is_free(user, actor)
    elif match is None or match.all_full:
        _tell_admins_curators_are_full(user, curator, actor)
    send_mail(user.email, _l("Welcome: your application is approved"), "decision_approved", language=user.language,
              name=application.full_name, curator=curator, curator_profile=curator.curator_profile if curator else None,
              password_link=password_link)
    if curator is not None:
        send_mail(curator.email, _l("A new member for you: %(name)s", name=user.full_name), "curator_new_member",
                  language=curator.language, curator=curator, member=user, profile=profile, match=match,
                  link=public_url_for("curation.member", user_id=user.id))


def _fill_profile(user: User, application: review.ApplicationRecord) -> MemberProfile:
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id, directory_listed=False, directory_fields=[])
        db.session.add(profile)
    profile.city = application.city or profile.city
    profile.occupation = application.occupation or profile.occupation
    profile.company = application.company or profile.company
    profile.interests = list(application.interests or profile.interests or [])
    profile.languages = list(application.languages or profile.languages or [])
    profile.links = list(application.links or profile.links or [])
    db.session.flush()
    return profile


def _admins() -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == ROLE_ADMIN, User.deleted_at.is_(None))))


def _tell_admins_no_curator_is_free(member: User, actor: User) -> None:
    """Every curator vouched for the new member: none is matched, an admin chooses one."""
    admins = _admins()
    audit.record("curation.no_curator_without_conflict", actor=actor, subject=member)
    for admin in admins:  # one message each, in the admin's own language
        send_mail(admin.email, _l("A new member needs a curator"), "curator_unmatched_conflict",
                  language=admin.language, member=member, link=public_url_for("curation.member", user_id=member.id))


def _tell_admins_curators_are_full(member: User, curator: User | None, actor: User) -> None:
    admins = _admins()
    audit.record("curation.curators_full", actor=actor, subject=member,
                 curator_id=curator.id if curator else None)
    for admin in admins:  # one message each, in the admin's own language
        send_mail(admin.email, _l("Every curator is at capacity"), "curator_all_full", language=admin.language,
                  member=member, curator=curator, link=public_url_for("curation.member", user_id=member.id))
