"""An app-wide rule: staff set up their second factor before anything else.

A curator or admin without one (where it is required, see ``second_factor.required_for``) is
sent from every page to the set-up page, as soon as they are signed in; only the sign-in pages,
the security pages and the public landing page stay open, so nobody is locked out by the rule
itself. Registered by the factory (``create_app``) as a request hook.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.auth import second_factor

OPEN = {"public.landing", "public.healthz", "static"}
OPEN_PREFIXES = ("auth.",)  # sign-in, sign-out, password reset, the code step and the security pages


def staff_enrol_first():
    if not current_user.is_authenticated:
        return None
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN or endpoint.startswith(OPEN_PREFIXES):
        return None
    if not second_factor.must_enrol(current_user):
        return None
    flash(_("Staff accounts need a second factor. Please set up an authenticator app to continue."), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.factor.enrol", next=target), code=303)
