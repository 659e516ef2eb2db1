"""All models. Every module in this package is imported here, so the metadata (and Alembic) sees
every table; features add a module (``club/models/<feature>.py``) and need not edit this file."""
import importlib
import pkgutil

from club.models.applications import Application, EmailCooldown, Endorsement, Invitation, InterestTag
from club.models.base import UTCDateTime, utcnow
from club.models.club import AuditEntry, ClubSetting, RulesAcceptance, RulesVersion
from club.models.membership import CuratorProfile, MemberProfile, Membership
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, STAFF_ROLES, User, UserRole

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "Application", "AuditEntry", "ClubSetting", "CuratorProfile", "EmailCooldown", "Endorsement",
    "InterestTag", "Invitation", "MemberProfile", "Membership", "ROLE_ADMIN", "ROLE_CURATOR",
    "RulesAcceptance", "RulesVersion", "STAFF_ROLES", "User", "UserRole", "UTCDateTime", "utcnow",
]
