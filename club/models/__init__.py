"""All models, imported here so that the metadata (and Alembic) sees every table."""
from club.models.applications import Application, EmailCooldown, Endorsement, Invitation, InterestTag
from club.models.base import UTCDateTime, utcnow
from club.models.club import AuditEntry, ClubSetting, RulesAcceptance, RulesVersion
from club.models.membership import CuratorProfile, MemberProfile, Membership
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, STAFF_ROLES, User, UserRole

__all__ = [
    "Application", "AuditEntry", "ClubSetting", "CuratorProfile", "EmailCooldown", "Endorsement",
    "InterestTag", "Invitation", "MemberProfile", "Membership", "ROLE_ADMIN", "ROLE_CURATOR",
    "RulesAcceptance", "RulesVersion", "STAFF_ROLES", "User", "UserRole", "UTCDateTime", "utcnow",
]
