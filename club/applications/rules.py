"""The way in, as pure rules: invite states, quarters and quotas, cool-downs, links, the timeline.

No database and no request here, so every rule is tested with plain tables.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from flask_babel import gettext as _, lazy_pgettext, ngettext, pgettext

# What a member sees for each of their invites.
SENT, OPENED, APPLIED, EXPIRED, REVOKED = "sent", "opened", "applied", "expired", "revoked"
APPROVED, WAITLISTED, REJECTED, WITHDRAWN = "approved", "waitlisted", "rejected", "withdrawn"

INVITE_LABELS = {
    SENT: lazy_pgettext("invite state", "Sent"), OPENED: lazy_pgettext("invite state", "Opened"),
    APPLIED: lazy_pgettext("invite state", "Applied"), EXPIRED: lazy_pgettext("invite state", "Expired"),
    REVOKED: lazy_pgettext("invite state", "Revoked"), APPROVED: lazy_pgettext("invite state", "Approved"),
    WAITLISTED: lazy_pgettext("invite state", "Waitlisted"), REJECTED: lazy_pgettext("invite state", "Not admitted"),
    WITHDRAWN: lazy_pgettext("invite state", "Withdrawn"),
}
INVITE_BADGES = {APPROVED: "ok", APPLIED: "warn", WAITLISTED: "warn", REJECTED: "danger", REVOKED: "", EXPIRED: ""}

# Application states (curation sets the decisions).
SUBMITTED = "submitted"
OPEN_APPLICATION_STATES = frozenset({SUBMITTED, WAITLISTED})
DECIDED_STATES = frozenset({APPROVED, WAITLISTED, REJECTED})

MAX_LINKS = 5
MAX_LANGUAGES = 10


def invite_state(*, now: datetime, expires_at: datetime, opened_at: datetime | None, used_at: datetime | None,
                 revoked_at: datetime | None, application_state: str | None) -> str:
    """The state of an invite as its member sees it.

    Once someone applied, what became of the application is what matters; before that, a
    revocation wins over an expiry (the member acted), and an expiry over having been opened.
    """
    if application_state is not None:
        if application_state == SUBMITTED:
            return APPLIED
        if application_state in (APPROVED, WAITLISTED, REJECTED, WITHDRAWN):
            return application_state
        return APPLIED
    if used_at is not None:
        return APPLIED
    if revoked_at is not None:
        return REVOKED
    if now >= expires_at:
        return EXPIRED
    if opened_at is not None:
        return OPENED
    return SENT


def invite_is_open(*, now: datetime, expires_at: datetime, used_at: datetime | None,
                   revoked_at: datetime | None) -> bool:
    """An open invite can still be used to apply."""
    return used_at is None and revoked_at is None and now < expires_at


def invite_counts_against_quota(*, revoked_at: datetime | None) -> bool:
    """Every invite sent this quarter uses the quota except revoked ones: revoking gives it back.

    An invite that simply expired keeps counting, since it reached its person; otherwise a
    member could send an unlimited number over a quarter by letting them lapse.
    """
    return revoked_at is None


def quarter_start(now: datetime, zone: tzinfo) -> datetime:
    """Start of the calendar quarter containing ``now``, in the club's time zone (aware)."""
    local = now.astimezone(zone)
    first_month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)


def invites_left(quota: int, used_this_quarter: int) -> int:
    return max(0, quota - used_this_quarter)


def add_months(moment: datetime, months: int) -> datetime:
    """Same day ``months`` later; the 31st becomes the last day of a shorter month."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def is_ready_for_decision(state: str, endorsement_count: int, required: int) -> bool:
    return state == SUBMITTED and endorsement_count >= required


def parse_links(text: str | None) -> tuple[list[str], list[str]]:
    """Links typed one per line: (valid links, problems to show)."""
    links: list[str] = []
    problems: list[str] = []
    for raw in (text or "").splitlines():
        candidate = raw.strip().rstrip(",;")
        if not candidate:
            continue
        try:
            parts = urlsplit(candidate)
            host = parts.hostname or ""
        except ValueError:  # e.g. an unclosed [ in the host
            parts, host = None, ""
        if (parts is None or parts.scheme not in ("http", "https") or "." not in host or host.startswith(".")
                or any(c.isspace() for c in candidate) or len(candidate) > 300):
            problems.append(_("“%(link)s” is not a web address; start it with https://", link=candidate[:60]))
            continue
        if candidate not in links:
            links.append(candidate)
    if not links and not problems:
        problems.append(_("Give at least one link where the club can learn about you."))
    if len(links) > MAX_LINKS:
        problems.append(ngettext("Give at most %(num)d link.", "Give at most %(num)d links.", MAX_LINKS))
    return links, problems


def parse_languages(text: str | None) -> list[str]:
    """Comma-separated languages, tidied, without repeats (case-insensitive), in the order typed."""
    seen: set[str] = set()
    languages: list[str] = []
    for part in re.split(r"[,;/\n]", text or ""):
        name = " ".join(part.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            languages.append(name[:1].upper() + name[1:])
    return languages


@dataclass(frozen=True)
class Step:
    title: str
    detail: str
    status: str  # "done", "current" or "todo"


def timeline(*, state: str, endorsement_count: int, required: int) -> list[Step]:
    """The applicant's view of where their application stands."""
    endorsed_enough = endorsement_count >= required
    steps = [Step(pgettext("application step", "Submitted"), _("Your application has reached the club."), "done")]
    if state == WITHDRAWN:
        steps.append(Step(pgettext("application step", "Withdrawn"),
                          _("You withdrew your application. Nothing more will happen with it."), "done"))
        return steps
    decided = state in DECIDED_STATES
    steps.append(Step(
        _("Endorsements: %(count)d of %(required)d", count=endorsement_count, required=required),
        _("Members who know you vouch for you. Your inviting member counts as the first.")
        if not endorsed_enough else _("You have the endorsements the club asks for."),
        "done" if endorsed_enough or decided else "current",
    ))
    steps.append(Step(
        pgettext("application step", "Under review"),
        _("A curator reads your application.") if endorsed_enough or decided
        else _("Review begins once you have enough endorsements."),
        "done" if decided else ("current" if endorsed_enough else "todo"),
    ))
    decision_title = pgettext("application step", "Decision")
    decision = {
        APPROVED: (pgettext("application step", "Approved"), _("Welcome. The next step is your membership fee."),
                   "done"),
        WAITLISTED: (pgettext("application step", "Waitlisted"), _("The club would like to come back to you later."),
                     "current"),
        REJECTED: (decision_title, _("The club has decided not to admit you at this time."), "done"),
    }.get(state, (decision_title, _("You will hear from us by email."), "todo"))
    steps.append(Step(*decision))
    return steps
