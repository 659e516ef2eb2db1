"""An app-wide rule: a member accepts the club's current rules before anything else.

Registered on the app by the factory (``create_app``) as a request hook, not as a side effect of
importing the portal's views.
"""
from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_login import current_user

from club.core import settings
from club.members import welcome
from club.membership.access import has_member_access

# Pages a member reaches even before accepting new rules: the rules themselves, and the ways
# out (someone who does not accept new rules must still be able to leave with their data).
RULES_EXEMPT = {"members.accept_rules", "members.export_data", "members.leave", "members.delete_account",
                "public.landing", "public.healthz", "static"}
RULES_EXEMPT_PREFIXES = ("auth.", "billing.")
_RULES_OK = "rules_ok"


def current_rules_first():
    """After login (and whenever the admin publishes new rules) a member accepts them first."""
    if request.method != "GET" or not current_user.is_authenticated:
        return None
    endpoint = request.endpoint
    if endpoint is None or endpoint in RULES_EXEMPT or endpoint.startswith(RULES_EXEMPT_PREFIXES):
        return None
    version = settings.current_rules()
    if version is None or session.get(_RULES_OK) == [current_user.id, version.id]:
        return None
    if not has_member_access(current_user):
        return None
    if welcome.has_accepted(current_user, version):
        remember_accepted(version.id)
        return None
    return redirect(url_for("members.accept_rules", next=request.full_path.rstrip("?")))


def remember_accepted(version_id: int) -> None:
    """Spare the next requests the check: this person has accepted this version."""
    session[_RULES_OK] = [current_user.id, version_id]
