"""An app-wide rule: a member accepts the club's current rules before anything else.

Registered on the app by the factory (``create_app``) as a request hook, not as a side effect of
importing the portal's views. It holds for every method: a page view is sent to the rules, and
an action (a POST: booking, a message, a profile change) is refused until they are accepted, the
rules page keeping what was sent so that accepting sends it on (nothing typed is lost).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from club.core import settings
from club.core.security import safe_local_path
from club.members import welcome
from club.members.forms import RulesForm
from club.membership.access import has_member_access

# Pages a member reaches even before accepting new rules: the rules themselves, and the ways
# out (someone who does not accept new rules must still be able to leave with their data).
# auth.* is signing in and out; billing.* is paying and Stripe's webhooks.
RULES_EXEMPT = {"members.accept_rules", "members.export_data", "members.leave", "members.delete_account",
                "public.landing", "public.healthz", "static"}
RULES_EXEMPT_PREFIXES = ("auth.", "billing.")
_RULES_OK = "rules_ok"
_PAGE_VIEWS = ("GET", "HEAD", "OPTIONS")
# Fields of the refused form not carried on: the rules form's own (the fresh CSRF token comes with it).
_NOT_CARRIED = {"csrf_token", "version_id", "accept"}

REFUSED_ACTION = _l("The club’s rules have changed since you last accepted them. Please read and accept them "
                    "before you go on.")


def current_rules_first():
    """After login (and whenever the admin publishes new rules) a member accepts them first."""
    if not current_user.is_authenticated:
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
    if request.method in _PAGE_VIEWS:
        return redirect(url_for("members.accept_rules", next=request.full_path.rstrip("?")))
    return _refuse_action(version)


def _refuse_action(version):
    """An action before the new rules are accepted: nothing is done. The rules page is shown with
    what was sent kept in the page, and accepting sends it on (a 307 keeps the method and body).

    A file upload cannot be kept in a page: the member is sent to the rules and back to the form.
    """
    back = _page_sent_from()
    if request.files:
        flash(_("The club’s rules have changed since you last accepted them. Please read and accept them "
                "before you go on. Then choose your file again."), "error")
        return redirect(url_for("members.accept_rules", next=back or url_for("members.home")))
    carried = carried_fields()
    form = RulesForm(formdata=None, data={"version_id": version.id})
    action = url_for("members.accept_rules", next=request.full_path.rstrip("?"), resend=1)
    return render_template("members/rules.html", version=version, form=form, accepted=False, action=action,
                           carried=carried, back=back, refused_action=REFUSED_ACTION), 403


def carried_fields() -> list[tuple[str, str]]:
    """What the refused form sent, to keep in the rules page (not the rules form's own fields)."""
    return [(name, value) for name, value in request.form.items(multi=True) if name not in _NOT_CARRIED]


def _page_sent_from() -> str | None:
    """The page of this site the refused form was on (from Referer), as a local path, or None."""
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    return safe_local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def remember_accepted(version_id: int) -> None:
    """Spare the next requests the check: this person has accepted this version."""
    session[_RULES_OK] = [current_user.id, version_id]
