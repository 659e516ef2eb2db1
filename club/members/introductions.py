"""Introductions between members, double opt-in: asking, proposing, accepting, declining, withdrawing.

A member asks for an introduction to a member listed in the directory (their curator is told and
may withdraw it); a curator proposes one between two members they look after (an admin between
any members). Each side is asked, on /me/introductions and by mail in their language, and nothing
of the other's contact details (email, the links on their profile) is shown or mailed until both
accepted. A declined or withdrawn introduction tells the sides only that it did not happen.

Every move runs as a writer (``begin_write``) on the locked row, so two answers at the same instant
cannot leave an introduction half made; a double submit of an ask finds the first (the partial
unique index on the pair settles a race). Moves are audited with ids and outcomes only.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from club.core import audit
from club.core.database import write_transaction
from club.core.links import public_url_for
from club.core.mail import admins_by_language, send_mail
from club.extensions import db
from club.members import introduction_rules as rules
from club.membership import states
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.members import Introduction
from club.models.membership import MemberProfile, Membership
from club.models.user import User

MAX_NOTE = 500


class IntroductionError(ValueError):
    """Refused; the message is for the person who tried."""


class IntroductionNotFound(LookupError):
    """No such introduction, or not one this person may act on (the same answer for both)."""


# Asking and proposing ------------------------------------------------------------------------------

def clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise IntroductionError(_("Please keep it under %(count)d characters.", count=MAX_NOTE))
    return note or None


def listed_member(viewer: User, user_id: int) -> User:
    """A member ``viewer`` may ask to meet: listed in the directory, with access, not themselves.
    Anyone else (hidden, lapsed, unknown) is not found, so the page is no oracle for who is a member."""
    if user_id == viewer.id:
        raise IntroductionNotFound(user_id)
    user = db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id).join(MemberProfile, MemberProfile.user_id == User.id)
        .where(User.id == user_id, User.deleted_at.is_(None), MemberProfile.directory_listed.is_(True),
               Membership.state.in_(sorted(states.ACCESS_STATES))))
    if user is None:
        raise IntroductionNotFound(user_id)
    return user


def between(first_id: int, second_id: int) -> Introduction | None:
    """The introduction of this pair that counts (under way, made or declined), if any."""
    a, b = rules.pair(first_id, second_id)
    return db.session.scalar(select(Introduction).where(
        Introduction.member_a_id == a, Introduction.member_b_id == b, Introduction.state != rules.WITHDRAWN))


def ask(member: User, target_id: int, note: str | None = None) -> tuple[Introduction, bool]:
    """``member`` asks to be introduced to ``target_id``; their asking is their acceptance.

    Returns the introduction and whether it is new: asking again (a double submit, or later)
    returns the one already there, whatever its state, and makes nothing."""
    note = clean_note(note)
    if not has_member_access(member):
        raise IntroductionError(_("Only members ask for introductions."))
    target = listed_member(member, target_id)
    curator_id = db.session.scalar(select(Membership.curator_id).where(Membership.user_id == member.id))
    with write_transaction():
        existing = between(member.id, target.id)
        if existing is not None:
            db.session.commit()
            return existing, False
        now = utcnow()
        a, b = rules.pair(member.id, target.id)
        intro = Introduction(member_a_id=a, member_b_id=b, kind=rules.ASKED, asked_by_id=member.id,
                             curator_id=curator_id, state=rules.ACCEPTED_BY_ONE, note=note,
                             created_at=now, updated_at=now)
        _set_accepted(intro, rules.side_of(a, b, member.id), now)
        created = _insert(intro)
        if created is not intro:
            db.session.commit()
            return created, False
        audit.record("introduction.asked", actor=member, subject=intro, member=member.id, other=target.id)
        _mail_asked(intro, asker=member, target=target, curator_id=curator_id)
        db.session.commit()
    return intro, True


def proposable_members(staff: User) -> list[tuple[int, str]]:
    """(id, name) of the members ``staff`` may introduce: a curator's own members, every member for an admin."""
    query = (select(User.id, User.full_name).join(Membership, Membership.user_id == User.id)
             .where(User.deleted_at.is_(None), Membership.state.in_(sorted(states.ACCESS_STATES)))
             .order_by(User.full_name, User.id))
    if not staff.is_admin:
        query = query.where(Membership.curator_id == staff.id)
    return [tuple(row) for row in db.session.execute(query)] if staff.is_staff else []


def propose(staff: User, first_id: int, second_id: int, note: str | None = None) -> tuple[Introduction, bool]:
    """A curator proposes that two of their members meet (an admin: any two members); both are asked."""
    note = clean_note(note)
    if first_id == second_id:
        raise IntroductionError(_("Choose two different members."))
    allowed = {user_id for user_id, _name in proposable_members(staff)}
    if first_id not in allowed or second_id not in allowed:
        raise IntroductionError(_("You can introduce only members you look after."))
    with write_transaction():
        existing = between(first_id, second_id)
        if existing is not None:
            db.session.commit()
            return existing, False
        now = utcnow()
        a, b = rules.pair(first_id, second_id)
        intro = Introduction(member_a_id=a, member_b_id=b, kind=rules.PROPOSED_BY_STAFF, asked_by_id=staff.id,
                             curator_id=staff.id, state=rules.PROPOSED, note=note, created_at=now, updated_at=now)
        created = _insert(intro)
        if created is not intro:
            db.session.commit()
            return created, False
        audit.record("introduction.proposed", actor=staff, subject=intro, members=[a, b])
        people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([a, b])))}
        for me, other in ((people[a], people[b]), (people[b], people[a])):
            send_mail(me.email, _l("An introduction from your curator"), "introduction_proposed",
                      language=me.language, recipient=me, other_name=other.full_name, proposer=staff.full_name,
                      note=note, link=public_url_for("members.introductions_page"))
        db.session.commit()
    return intro, True


def _insert(intro: Introduction) -> Introduction:
    """Add ``intro``; when the same pair was inserted at the same instant, the one that won."""
    try:
        with db.session.begin_nested():
            db.session.add(intro)
            db.session.flush()
    except IntegrityError:
        found = between(intro.member_a_id, intro.member_b_id)
        if found is None:
            raise
        return found
    return intro


# Answering ------------------------------------------------------------------------------------

def accept(member: User, intro_id: int) -> Introduction:
    """``member`` accepts. When the other side has too, it is made and both get the other's contact.
    Accepting twice (a double click) changes nothing."""
    with write_transaction():
        intro, side = _mine_locked(member, intro_id)
        accepted = _accepted(intro)
        try:
            new_state = rules.accept(intro.state, accepted[rules.A], accepted[rules.B], side)
        except rules.InvalidIntroductionMove:
            db.session.commit()
            return intro
        now = utcnow()
        _set_accepted(intro, side, now)
        _move(intro, new_state, now)
        audit.record("introduction.accepted", actor=member, subject=intro, state=new_state)
        if new_state == rules.MADE:
            _mail_made(intro)
        db.session.commit()
    return intro


def decline(member: User, intro_id: int) -> Introduction:
    """``member`` says no. The sides who had accepted hear only that it did not happen."""
    with write_transaction():
        intro, side = _mine_locked(member, intro_id)
        try:
            new_state = rules.decline(intro.state, _accepted(intro)[side])
        except rules.InvalidIntroductionMove:
            db.session.commit()
            return intro
        _move(intro, new_state, utcnow())
        audit.record("introduction.declined", actor=member, subject=intro)
        _mail_not_made(intro, actor_id=member.id)
        db.session.commit()
    return intro


def withdraw(person: User, intro_id: int) -> Introduction:
    """The asker (a side that accepted) or staff in charge take an open introduction back."""
    with write_transaction():
        intro = _locked(intro_id)
        if intro is None:
            raise IntroductionNotFound(intro_id)
        side = rules.side_of(intro.member_a_id, intro.member_b_id, person.id)
        in_charge = staff_in_charge(person, intro)
        if side is None and not in_charge:
            raise IntroductionNotFound(intro_id)
        if not rules.may_withdraw(intro.state, is_side=side is not None,
                                  side_accepted=bool(side and _accepted(intro)[side]), is_staff_in_charge=in_charge):
            db.session.commit()
            return intro
        _move(intro, rules.withdraw(intro.state), utcnow())
        audit.record("introduction.withdrawn", actor=person, subject=intro)
        _mail_not_made(intro, actor_id=person.id)
        db.session.commit()
    return intro


def staff_in_charge(staff: User, intro: Introduction) -> bool:
    """Admins, the curator it went through, and the curator of either side."""
    if staff.is_admin:
        return True
    if not staff.is_curator:
        return False
    if intro.curator_id == staff.id:
        return True
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id.in_([intro.member_a_id, intro.member_b_id]), Membership.curator_id == staff.id)
        .limit(1)) is not None


def waiting_count(member: User) -> int:
    """How many introductions wait for ``member``'s answer (for the home page)."""
    return db.session.scalar(select(func.count(Introduction.id)).where(
        Introduction.state.in_(sorted(rules.OPEN)),
        or_(and_(Introduction.member_a_id == member.id, Introduction.a_accepted_at.is_(None)),
            and_(Introduction.member_b_id == member.id, Introduction.b_accepted_at.is_(None))))) or 0


# Helpers ----------------------------------------------------------------------------------------

def _locked(intro_id: int) -> Introduction | None:
    return db.session.scalar(select(Introduction).where(Introduction.id == intro_id).with_for_update())


def _mine_locked(member: User, intro_id: int) -> tuple[Introduction, str]:
    intro = _locked(intro_id)
    side = rules.side_of(intro.member_a_id, intro.member_b_id, member.id) if intro is not None else None
    if side is None:
        raise IntroductionNotFound(intro_id)
    return intro, side


def _accepted(intro: Introduction) -> dict[str, bool]:
    return {rules.A: intro.a_accepted_at is not None, rules.B: intro.b_accepted_at is not None}


def _set_accepted(intro: Introduction, side: str, now) -> None:
    if side == rules.A:
        intro.a_accepted_at = now
    else:
        intro.b_accepted_at = now


def _move(intro: Introduction, state: str, now) -> None:
    intro.state, intro.updated_at = state, now
    if state in rules.CLOSED:
        intro.closed_at = now


def _people(*ids: int) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([i for i in ids if i])))}


def _mail_asked(intro: Introduction, *, asker: User, target: User, curator_id: int | None) -> None:
    """The member asked is asked in turn (the asker's name and words, nothing to reach them by); the
    asker's curator (the admins, while there is none) is told."""
    send_mail(target.email, _l("%(name)s would like to meet you", name=asker.full_name), "introduction_asked",
              language=target.language, recipient=target, asker_name=asker.full_name, note=intro.note,
              link=public_url_for("members.introductions_page"))
    curator = db.session.get(User, curator_id) if curator_id else None
    if curator is not None and curator.deleted_at is None:
        groups = {curator.language: [curator.email]}
    else:
        groups = admins_by_language()
    for language, recipients in groups.items():
        send_mail(recipients, _l("A member asks for an introduction"), "introduction_curator", language=language,
                  recipient=curator, asker_name=asker.full_name, target_name=target.full_name,
                  link=public_url_for("members.staff_introductions"))


def _mail_made(intro: Introduction) -> None:
    """Both sides accepted: each gets the other's email and the links on their profile."""
    people = _people(intro.member_a_id, intro.member_b_id)
    profiles = {p.user_id: p for p in db.session.scalars(
        select(MemberProfile).where(MemberProfile.user_id.in_(list(people))))}
    for me_id, other_id in ((intro.member_a_id, intro.member_b_id), (intro.member_b_id, intro.member_a_id)):
        me, other = people[me_id], people[other_id]
        links = list(profiles[other_id].links or ()) if other_id in profiles else []
        send_mail(me.email, _l("You and %(name)s are introduced", name=other.full_name), "introduction_made",
                  language=me.language, recipient=me, other_name=other.full_name, other_email=other.email,
                  other_links=links, link=public_url_for("members.introductions_page"))


def _mail_not_made(intro: Introduction, *, actor_id: int) -> None:
    """Every side that had said yes, but the one who acted, hears that it did not happen; no more."""
    accepted = _accepted(intro)
    people = _people(intro.member_a_id, intro.member_b_id)
    for side, me_id, other_id in ((rules.A, intro.member_a_id, intro.member_b_id),
                                  (rules.B, intro.member_b_id, intro.member_a_id)):
        if accepted[side] and me_id != actor_id:
            me = people[me_id]
            send_mail(me.email, _l("Your introduction did not happen"), "introduction_not_made",
                      language=me.language, recipient=me, other_name=people[other_id].full_name,
                      link=public_url_for("members.introductions_page"))
