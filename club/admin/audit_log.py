"""The audit log as an admin reads it: a sentence for each stored code, its details made readable,
a filter by kind of action and a search by person, one page cut in SQL.

The stored entries stay as they are (English codes, ids and outcomes); only their reading changes.
An action this module does not know yet is shown as its code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from club.admin.forms import role_label
from club.core.pagination import Page, paginate
from club.core.templating import number
from club.extensions import db
from club.membership import states as membership_states
from club.models.club import AuditEntry
from club.models.membership import Membership
from club.models.user import User

PER_PAGE = 50

# What each stored action means, for a person.
ACTIONS = {
    "account.deleted": _l("Account deleted"),
    "account.password_reset": _l("Password reset"),
    "announcement.edited": _l("Announcement edited"),
    "announcement.posted": _l("Announcement posted"),
    "announcement.removed": _l("Announcement removed"),
    "application.decided": _l("Application decided"),
    "application.reopened": _l("Application reopened"),
    "application.scored": _l("Application scored"),
    "application.submitted": _l("Application submitted"),
    "application.withdrawn": _l("Application withdrawn"),
    "applications.purged": _l("Old applications erased"),
    "billing.cancel_requested": _l("Renewal stopped at Stripe"),
    "billing.checkout_started": _l("Card payment started"),
    "billing.complimentary_granted": _l("Complimentary membership granted"),
    "billing.payment_action_required": _l("Card payment awaits the member’s confirmation"),
    "billing.payment_failed": _l("Payment failed"),
    "billing.payment_received": _l("Payment received"),
    "billing.plan_moved": _l("Member moved to another plan"),
    "billing.plan_retired": _l("Plan retired"),
    "billing.plan_saved": _l("Plan saved"),
    "billing.settings_changed": _l("Billing settings changed"),
    "billing.stripe_catalogue_synced": _l("Plans sent to Stripe"),
    "billing.stripe_customer_deleted": _l("Card details removed from Stripe"),
    "billing.suspended_state_updated": _l("Payment state of a suspended membership updated"),
    "club_feedback.answered": _l("Feedback to the club answered"),
    "club_feedback.closed": _l("Feedback to the club closed"),
    "club_feedback.opened": _l("Feedback to the club opened"),
    "club_feedback.written": _l("Feedback to the club written"),
    "curation.curators_full": _l("Every curator was full"),
    "curation.no_curator_without_conflict": _l("No curator without a conflict of interest"),
    "curator.assigned": _l("Curator assigned"),
    "curator.profile_updated": _l("Curator profile updated"),
    "curator.reassigned": _l("Curator changed"),
    "curator_change.requested": _l("Another curator asked for"),
    "curator_change.resolved": _l("Request for another curator settled"),
    "endorsement.asked": _l("Endorsement asked for"),
    "endorsement.given": _l("Endorsement given"),
    "event.ballot_changed": _l("Ballot changed"),
    "event.ballot_drawn": _l("Ballot drawn"),
    "event.ballot_entered": _l("Ballot entered"),
    "event.ballot_opened": _l("Ballot opened"),
    "event.ballot_withdrawn": _l("Ballot entry withdrawn"),
    "event.booking_released": _l("Booking released"),
    "event.cancelled": _l("Event called off"),
    "event.created": _l("Event created"),
    "event.feed_regenerated": _l("Calendar feed address renewed"),
    "event.feedback_given": _l("Rating of an evening given"),
    "event.offer_accepted": _l("Seat offer accepted"),
    "event.offer_declined": _l("Seat offer declined"),
    "event.offer_expired": _l("Seat offer expired"),
    "event.offer_made": _l("Seat offered"),
    "event.published": _l("Event published"),
    "event.updated": _l("Event edited"),
    "event_proposal.approved": _l("Proposed evening approved"),
    "event_proposal.declined": _l("Proposed evening declined"),
    "event_proposal.proposed": _l("Evening proposed"),
    "event_proposal.withdrawn": _l("Proposed evening withdrawn"),
    "interest.added": _l("Interest added"),
    "interest.removed": _l("Interest removed"),
    "introduction.accepted": _l("Introduction accepted"),
    "introduction.asked": _l("Introduction asked for"),
    "introduction.declined": _l("Introduction declined"),
    "introduction.proposed": _l("Introduction proposed"),
    "introduction.withdrawn": _l("Introduction withdrawn"),
    "invitation.opened": _l("Invitation opened"),
    "invitation.revoked": _l("Invitation withdrawn"),
    "invitation.sent": _l("Invitation sent"),
    "mail.retried": _l("Mail sent again"),
    "member.at_risk_handled": _l("Member at risk followed up"),
    "member.directory_changed": _l("Directory settings changed"),
    "member.note_added": _l("Private note added"),
    "member.notes_exported": _l("Curators’ notes exported"),
    "member.programme_mail_changed": _l("Programme mail setting changed"),
    "members.purged": _l("Former members’ data erased"),
    "membership.ambassador_ended": _l("Ambassador role ended"),
    "membership.ambassador_named": _l("Ambassador named"),
    "membership.created": _l("Membership created"),
    "membership.state_changed": _l("Membership state changed"),
    "request.opened": _l("Request opened"),
    "request.state_changed": _l("Request state changed"),
    "role.granted": _l("Role granted"),
    "role.revoked": _l("Role taken away"),
    "rules.accepted": _l("Club rules accepted"),
    "rules.published": _l("Club rules published"),
    "second_factor.disabled": _l("Second factor turned off"),
    "second_factor.enabled": _l("Second factor turned on"),
    "second_factor.recovery_code_used": _l("Recovery code used"),
    "second_factor.recovery_codes_renewed": _l("Recovery codes renewed"),
    "second_factor.reset": _l("Second factor reset"),
    "settings.changed": _l("Club settings changed"),
}

# The filter: each kind of action and the stored prefixes it covers.
KINDS = {
    "applications": (_l("Applications, invitations and endorsements"),
                     ("application.", "applications.", "invitation.", "endorsement.")),
    "membership": (_l("Memberships"), ("membership.",)),
    "billing": (_l("Payments and plans"), ("billing.",)),
    "curation": (_l("Curators and members’ files"),
                 ("curation.", "curator.", "curator_change.", "member.", "members.", "introduction.")),
    "events": (_l("Events"), ("event.", "event_proposal.")),
    "requests": (_l("Requests and feedback"), ("request.", "club_feedback.")),
    "staff": (_l("Staff, roles and sign-in"), ("role.", "second_factor.", "account.")),
    "club": (_l("Club settings, rules and announcements"),
             ("settings.", "rules.", "interest.", "announcement.", "mail.")),
}

# The records an entry may concern.
SUBJECTS = {
    "users": _l("Person"), "memberships": _l("Membership"), "applications": _l("Application"),
    "events": _l("Event"), "invitations": _l("Invitation"), "plans": _l("Plan"),
    "rules_versions": _l("Club rules"), "curator_requests": _l("Request"), "bookings": _l("Booking"),
}

# Detail keys, for a person; an unknown key is shown as stored.
DETAILS = {
    "old": _l("from"), "new": _l("to"), "state": _l("state"), "reason": _l("reason"), "role": _l("role"),
    "outcome": _l("outcome"), "plan": _l("plan"), "amount_cents": _l("amount"), "currency": _l("currency"),
    "fields": _l("fields"), "changes": _l("changes"), "user_id": _l("member"), "curator_id": _l("curator"),
    "new_curator_id": _l("new curator"), "old_curator_id": _l("previous curator"), "host_id": _l("host"),
    "event_id": _l("event"), "booking_id": _l("booking"), "seats": _l("seats"), "party": _l("party"),
    "period_start": _l("from"), "period_end": _l("until"), "ends_on": _l("ends on"), "capacity": _l("capacity"),
    "topic": _l("topic"), "source": _l("source"), "listed": _l("listed"), "count": _l("number"),
    "members": _l("members"), "applications": _l("applications"), "memberships": _l("memberships"),
    "accounts": _l("accounts"), "retention_days": _l("kept for (days)"), "codes_left": _l("codes left"),
    "subscription": _l("Stripe subscription"), "invoice": _l("Stripe invoice"), "customer": _l("Stripe customer"),
}
PERSON_KEYS = frozenset({"user_id", "curator_id", "new_curator_id", "old_curator_id", "host_id"})
STATE_KEYS = frozenset({"old", "new", "state"})


@dataclass
class Detail:
    label: Any  # a lazy string, or the stored key when unknown
    value: str
    known: bool  # False: a stored code, shown as it is (English)


@dataclass
class AuditLine:
    entry: AuditEntry
    label: Any | None  # None: an action this version does not know (its code is shown)
    actor: User | None
    person: User | None  # the person the entry concerns, when it concerns one
    subject_label: Any | None
    details: list[Detail] = field(default_factory=list)


@dataclass
class AuditPage:
    page: Page
    lines: list[AuditLine]
    kind: str
    who: str


def kind_choices() -> list[tuple[str, Any]]:
    return [(key, label) for key, (label, _prefixes) in KINDS.items()]


def _people_matching(who: str):
    """Ids of the people whose name or email contains ``who`` (case-insensitive), as a subquery."""
    pattern = "%" + who.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return select(User.id).where(or_(func.lower(User.full_name).like(pattern, escape="\\"),
                                     func.lower(User.email).like(pattern, escape="\\")))


def audit_page(page: int, *, kind: str = "", who: str = "") -> AuditPage:
    """One page of the log, newest first, filtered in SQL: four statements whatever the log holds
    (count, page, people named on it, memberships' people)."""
    query = select(AuditEntry)
    if kind in KINDS:
        query = query.where(or_(*[AuditEntry.action.startswith(prefix, autoescape=True) for prefix in KINDS[kind][1]]))
    else:
        kind = ""
    if who:
        people = _people_matching(who)
        query = query.where(or_(
            AuditEntry.actor_id.in_(people),
            and_(AuditEntry.subject_type == "users", AuditEntry.subject_id.in_(people)),
            and_(AuditEntry.subject_type == "memberships",
                 AuditEntry.subject_id.in_(select(Membership.id).where(Membership.user_id.in_(people)))),
        ))
    cut = paginate(query.order_by(AuditEntry.id.desc()), page=page, per_page=PER_PAGE)
    return AuditPage(cut, _lines(cut.items), kind, who)


def _lines(entries: list[AuditEntry]) -> list[AuditLine]:
    membership_ids = {e.subject_id for e in entries if e.subject_type == "memberships" and e.subject_id}
    owners = dict(db.session.execute(select(Membership.id, Membership.user_id)
                                     .where(Membership.id.in_(membership_ids))).all()) if membership_ids else {}
    person_ids = {e.actor_id for e in entries if e.actor_id}
    person_ids |= {e.subject_id for e in entries if e.subject_type == "users" and e.subject_id}
    person_ids |= set(owners.values())
    for e in entries:
        person_ids |= {v for k, v in (e.details or {}).items() if k in PERSON_KEYS and isinstance(v, int)}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(person_ids)))} if person_ids else {}
    lines = []
    for e in entries:
        person_id = e.subject_id if e.subject_type == "users" else owners.get(e.subject_id) \
            if e.subject_type == "memberships" else None
        lines.append(AuditLine(entry=e, label=ACTIONS.get(e.action), actor=people.get(e.actor_id),
                               person=people.get(person_id) if person_id else None,
                               subject_label=SUBJECTS.get(e.subject_type or ""),
                               details=[_detail(k, v, people) for k, v in (e.details or {}).items()]))
    return lines


def _detail(key: str, value: Any, people: dict[int, User]) -> Detail:
    return Detail(DETAILS.get(key, key), readable_value(key, value, people), key in DETAILS)


def readable_value(key: str, value: Any, people: dict[int, User] | None = None) -> str:
    """A stored detail as a person reads it: names for people's ids, state labels, lists and changes."""
    people = people or {}
    if key in PERSON_KEYS and isinstance(value, int):
        return people[value].full_name if value in people else f"#{value}"
    if key in STATE_KEYS and isinstance(value, str) and value in membership_states.LABELS:
        return str(membership_states.label(value))
    if key == "role" and isinstance(value, str):
        return str(role_label(value))
    if key == "amount_cents" and isinstance(value, int):
        return number(value / 100, 2)
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(readable_value("", v) for v in value) or "—"
    if isinstance(value, dict):
        if set(value) <= {"old", "new"}:
            return f"{readable_value('', value.get('old'))} → {readable_value('', value.get('new'))}"
        return "; ".join(f"{k}: {readable_value(k, v, people)}" for k, v in value.items())
    return str(value)
