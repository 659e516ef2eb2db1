"""Feedback that reaches someone: each rating and comment after an evening is mailed to the evening's
host and to the attendee's curator, each in their own language, in the transaction that records the
feedback (so a double submit, refused by the unique key, mails nobody twice).

A rating of ``LOW_RATING`` or less is also a warning sign on the curator's members at risk
(``low_rating`` in ``club.members.at_risk``, counted by ``club.events.stats.latest_low_rating``): the
curator's mail says a follow-up is open there and links to it. The curator is found through the
kernel (``membership_of(member).curator``); events import no curation.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from club.core.links import public_url_for
from club.core.mail import send_mail
from club.membership.access import membership_of
from club.models.events import Event, EventFeedback
from club.models.user import User

# At most this rating opens a follow-up: the at-risk sign's threshold (stats.latest_low_rating's ``at_most``).
LOW_RATING = 2


def is_low(rating: int) -> bool:
    return rating <= LOW_RATING


def _reachable(person: User | None) -> bool:
    return person is not None and person.deleted_at is None and bool(person.email)


def tell_host_and_curator(feedback: EventFeedback, event: Event, attendee: User) -> list[int]:
    """Write the mails to the host and the curator (not to the attendee themselves, and one mail
    to a curator who also hosted). Returns the ids of the people told, for the audit log."""
    membership = membership_of(attendee)
    curator = membership.curator if membership is not None else None
    host = event.host
    told: list[int] = []
    low = is_low(feedback.rating)
    if _reachable(curator) and curator.id != attendee.id:
        subject = (_l("A low rating from %(name)s: %(title)s", name=attendee.full_name, title=event.title) if low
                   else _l("Feedback from %(name)s on %(title)s", name=attendee.full_name, title=event.title))
        send_mail(curator.email, subject, "event_feedback_curator", language=curator.language,
                  recipient=curator, attendee=attendee, event=event, feedback=feedback, low=low,
                  hosted=host is not None and host.id == curator.id,
                  member_link=public_url_for("curation.member", user_id=attendee.id, _anchor="feedback"),
                  at_risk_link=public_url_for("members.at_risk_list"),
                  event_link=public_url_for("events.attendees", event_id=event.id, _anchor="feedback"))
        told.append(curator.id)
    if _reachable(host) and host.id != attendee.id and host.id not in told:
        send_mail(host.email, _l("New feedback on %(title)s", title=event.title), "event_feedback_host",
                  language=host.language, recipient=host, attendee=attendee, event=event, feedback=feedback,
                  link=public_url_for("events.attendees", event_id=event.id, _anchor="feedback"))
        told.append(host.id)
    return told
