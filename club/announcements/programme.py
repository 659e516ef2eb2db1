"""The monthly programme: from the ``programme_day`` of each month (a club setting, default the 25th),
each member with access gets one mail with the coming month's evenings they may see, those sharing
their interests first, each with its booking link, in their language. Members opt out on their
privacy page (``MemberProfile.programme_mail``); the mail says how.

Run daily by the job queue (``club.announcements.jobs``) or by hand (``flask send-programmes``).
Each member's month is claimed in the database (a row of ``programme_mailings``, keyed by member and
month) in the same transaction as the mail, so overlapping runs send it once. A member with no
evening to see that month gets no mail, and no claim: evenings published later that month still go.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError

from club.announcements import rules
from club.announcements.home import month_bounds
from club.core import audit, settings
from club.core.database import begin_write
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.core.templating import club_zone, format_local
from club.extensions import db
from club.membership import states
from club.membership.access import has_member_access
from club.models.announcements import ProgrammeMailing
from club.models.base import utcnow
from club.models.membership import MemberProfile, Membership
from club.models.user import User


@dataclass
class Programme:
    month: date
    matching: list = field(default_factory=list)  # evenings sharing one of the member's interests
    others: list = field(default_factory=list)

    @property
    def evenings(self) -> list:
        return self.matching + self.others


def programme_for(user: User, month: date) -> Programme:
    """The month's evenings this member may see, those matching their interests first."""
    from club.events.programme import evenings_between

    if not has_member_access(user):
        return Programme(month=month)
    profile = db.session.get(MemberProfile, user.id)
    evenings = evenings_between(user, *month_bounds(month))
    matching, others = rules.interests_first(evenings, profile.interests if profile else ())
    return Programme(month=month, matching=matching, others=others)


def due_month(now: datetime | None = None) -> date | None:
    today = (now or utcnow()).astimezone(club_zone()).date()
    return rules.programme_month_due(today, settings.get("programme_day"))


def _recipients(month: date) -> list[int]:
    """Members in a state with access, not opted out, whose programme for ``month`` has not gone."""
    sent = exists().where(ProgrammeMailing.user_id == User.id, ProgrammeMailing.month == month)
    query = (select(User.id).join(Membership, Membership.user_id == User.id)
             .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
             .where(Membership.state.in_(states.ACCESS_STATES), User.deleted_at.is_(None), ~sent,
                    or_(MemberProfile.user_id.is_(None), and_(MemberProfile.programme_mail.is_(True))))
             .order_by(User.id))
    return list(db.session.scalars(query))


def _claim(user_id: int, month: date, now: datetime) -> bool:
    """Mark this member's month as sent, unless another run did: only the winner sends. Its own write
    transaction, so overlapping runs queue behind each other instead of failing."""
    begin_write()
    db.session.add(ProgrammeMailing(user_id=user_id, month=month, sent_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def send_programmes(now: datetime | None = None) -> int:
    """Send each member's programme for the coming month, once; nothing before the sending day."""
    now = now or utcnow()
    month = due_month(now)
    if month is None:
        return 0
    recipients = _recipients(month)
    db.session.commit()
    sent = 0
    for user_id in recipients:
        if not _claim(user_id, month, now):
            continue
        user = db.session.get(User, user_id)
        programme = programme_for(user, month)
        if not programme.evenings:
            db.session.rollback()  # nothing to tell this month yet: no mail, and no claim
            continue
        send_programme(user, programme)
        db.session.commit()
        sent += 1
    return sent


class _Subject:
    """The subject, written when the mail is: in the recipient's language, the month's name too."""

    def __init__(self, month: date):
        self.month = month

    def __str__(self) -> str:
        return gettext("The club's programme for %(month)s", month=format_local(self.month, "long_month_year"))


def send_programme(user: User, programme: Programme) -> None:
    """Write the mail to the outbox in the current transaction."""
    from club.events.programme import booking_link

    links = {event.id: booking_link(event) for event in programme.evenings}
    send_mail(user.email, _Subject(programme.month), "programme_monthly",
              language=user.language, user=user, month=programme.month, matching=programme.matching,
              others=programme.others, links=links, settings_link=public_url_for("members.privacy_settings"))


def wants_programme(user: User) -> bool:
    profile = db.session.get(MemberProfile, user.id)
    return True if profile is None else bool(profile.programme_mail)


def set_programme_mail(user: User, wanted: bool) -> bool:
    """The member's choice; audited when it changes. Returns the setting now in force."""
    begin_write()
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id)
        db.session.add(profile)
    if profile.programme_mail is None or bool(profile.programme_mail) != bool(wanted):
        profile.programme_mail = bool(wanted)
        audit.record("member.programme_mail_changed", actor=user, subject=user, wanted=bool(wanted))
    db.session.commit()
    return profile.programme_mail
