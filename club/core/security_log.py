"""The security log: failed sign-ins, sign-in limits reached, second-factor failures, refused pages.

Lines go through Python logging on the ``club.security`` logger (WARNING), one event a line:
``security sign_in.failed account=e:3f9a1c0b2d4e address=203.0.113.7``. No secret is ever
written: no password, code or token, and no email address either. An account is named by its id
when it exists, and an email typed at sign-in by ``e:`` and a keyed hash of it (HMAC with the
app's SECRET_KEY), so the attempts on one address can be counted without the log holding it.
Values are single-line and cut short, so nothing typed can forge a log line.

Other modules call ``event`` (or the named helpers); the TOTP step calls
``second_factor_failed``. ``log_forbidden`` is the app-wide hook that logs every 403.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re

from flask import current_app, has_request_context, request

log = logging.getLogger("club.security")

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")
_LONGEST = 200


def email_tag(email: str | None) -> str:
    """A stable, keyed stand-in for an email address: ``e:`` and 12 hex digits."""
    normalized = (email or "").strip().lower().encode()
    key = current_app.config["SECRET_KEY"].encode()
    return "e:" + hmac.new(key, normalized, hashlib.sha256).hexdigest()[:12]


def client_address() -> str:
    return (request.remote_addr or "-") if has_request_context() else "-"


def _clean(value: object) -> str:
    return _UNSAFE.sub("_", str(value))[:_LONGEST]


def event(name: str, **fields: object) -> None:
    """Log one security event. ``fields`` must hold no secret; ``address`` is added when there is a request."""
    if has_request_context():
        fields.setdefault("address", client_address())
    parts = " ".join(f"{key}={_clean(value)}" for key, value in fields.items() if value is not None)
    log.warning("security %s %s", _clean(name), parts)


def sign_in_failed(email: str, user_id: int | None) -> None:
    event("sign_in.failed", account=email_tag(email), user_id=user_id)


def sign_in_limited(scope: str, email: str | None) -> None:
    """A sign-in limit was reached (``scope``: address, account-address, account)."""
    event("sign_in.limited", scope=scope, account=email_tag(email) if email else None)


def second_factor_failed(user_id: int, reason: str = "wrong code") -> None:
    """For the second-factor step: a wrong or replayed code, a used recovery code. Never pass the code."""
    event("second_factor.failed", user_id=user_id, reason=reason)


def log_forbidden(response):
    """App-wide ``after_request`` hook: every 403, with who asked for what."""
    if response.status_code == 403:
        from flask_login import current_user

        user_id = getattr(current_user, "id", None) if current_user.is_authenticated else None
        event("access.forbidden", method=request.method, path=request.path, user_id=user_id)
    return response
