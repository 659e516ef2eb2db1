"""Club settings an admin changes while the club runs. Defaults live here, values in the database."""
from __future__ import annotations

from typing import Any

from flask import g, has_app_context

from club.core import erasure
from club.extensions import db
from club.models.club import ClubSetting, RulesVersion

DEFAULTS: dict[str, Any] = {
    "club_name": "The Linden Club",
    "mission": (
        "A private members' club for people who build, make and look after things. "
        "We meet in small rooms, in good company, and keep what is said there among ourselves."
    ),
    "timezone": "Europe/London",
    "invite_quota": 3,  # open invites per member per quarter
    "invite_ttl_days": 14,
    "required_endorsements": 2,
    "max_endorsement_requests": 3,  # extra endorsers an applicant may ask, beyond the inviter
    "reinvite_cooldown_months": 12,
    "retention_days": 180,  # rejected and withdrawn applicants' data, after the application closed
    "former_member_retention_days": 365,  # a former member's data, after the membership ended
    "curator_capacity": 25,
    "grace_days": 7,
    "currency": "eur",  # the one currency of the club's plans (club.models.billing.Plan holds the prices)
    "promotion_codes": False,  # allow Stripe promotion codes (made in Stripe's dashboard) at Checkout
    "payment_instructions": "",  # how to pay the club directly: bank details, who to contact
    # The leaders page (club.metrics.leaders): points for each thing a member did in the last 6 months.
    "leader_weight_attended": 1,  # an evening attended (checked in at the door)
    "leader_weight_hosted": 3,  # an evening hosted
    "leader_weight_referrals": 5,  # an invitee approved who is still a member
    "leader_weight_feedback": 1,  # a rating left after an evening
    # Ballots for oversubscribed evenings (club.events.ballots): every entry weighs 1, plus these bonuses.
    "ballot_new_member_days": 90,  # a member counts as new for this many days after joining
    "ballot_bonus_new_member": 1.0,
    "ballot_bonus_per_loss": 0.5,  # for each ballot lost in the last ballot_loss_window_days ...
    "ballot_max_losses_counted": 2,  # ... up to this many
    "ballot_loss_window_days": 180,
    "ballot_bonus_ambassador": 0.0,
    "waitlist_offer_hours": 24,  # how long a seat offered from a ballot evening's waitlist is held
    "programme_day": 25,  # from this day of each month, members are mailed the coming month's programme
}

DEFAULT_RULES = """1. What is said in the club stays in the club. No photographs of other members without their consent.
2. Bring guests you would vouch for; you answer for them.
3. Book only what you will attend, and release your seat early if plans change.
4. Treat staff and members with the same courtesy."""


def _cache() -> dict[str, Any]:
    if not has_app_context():
        raise RuntimeError("club settings need an app context")
    if "club_settings" not in g:
        stored = {row.key: row.value for row in db.session.scalars(db.select(ClubSetting))}
        g.club_settings = {**DEFAULTS, **{k: v for k, v in stored.items() if k in DEFAULTS}}
        _last_known["club_name"] = g.club_settings["club_name"]
    return g.club_settings


# The club's name as last read, for the page shown when the database cannot be reached.
_last_known: dict[str, Any] = {}


def last_known_club_name() -> str | None:
    return _last_known.get("club_name")


def get(key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(f"unknown club setting {key!r}")
    return _cache()[key]


def all_settings() -> dict[str, Any]:
    return dict(_cache())


def update(changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Stage changed settings in the session; returns {key: (old, new)} for the audit log."""
    current = _cache()
    changed: dict[str, tuple[Any, Any]] = {}
    for key, value in changes.items():
        if key not in DEFAULTS:
            raise KeyError(f"unknown club setting {key!r}")
        if current[key] == value:
            continue
        changed[key] = (current[key], value)
        row = db.session.get(ClubSetting, key)
        if row is None:
            db.session.add(ClubSetting(key=key, value=value))
        else:
            row.value = value
    current.update({k: new for k, (_old, new) in changed.items()})
    g.pop("club_zone", None)  # club.core.templating reads the time zone once per request
    return changed


def current_rules() -> RulesVersion | None:
    return db.session.scalars(db.select(RulesVersion).order_by(RulesVersion.id.desc()).limit(1)).first()


erasure.keep("club_settings", "the club's own settings")
erasure.keep("rules_versions", "the club's rules, as published")
erasure.keep("rules_acceptances", "consent records: who accepted which version, when")
erasure.keep("interest_tags", "the club's interest vocabulary")
