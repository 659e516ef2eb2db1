"""Who may see what: the staff-role decorator, safe redirects, and security headers."""
from __future__ import annotations

from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request
from flask_login import current_user
from werkzeug.exceptions import SecurityError

from club.extensions import login_manager

STRIPE_ORIGINS = "https://js.stripe.com https://checkout.stripe.com https://billing.stripe.com"


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)
    app.register_error_handler(SecurityError, _untrusted_host)


def _untrusted_host(exc: SecurityError):
    """A Host header outside TRUSTED_HOSTS: a plain 400 (no URL can be built for it, so no page)."""
    from club.core import security_log

    security_log.event("request.untrusted_host", host=request.environ.get("HTTP_HOST", "-"))
    return Response(_refusal() + "\n", status=400, mimetype="text/plain")


def _refusal() -> str:
    """The wrong-host refusal in the browser's language (only the header is read: the request's
    host, its session and its person are not to be trusted here)."""
    from flask_babel import force_locale, gettext

    from club.core.form_messages import N_
    from club.core.i18n import LANGUAGES, language_or_default

    text = N_("This address does not serve the club. Please use the club's own address.")
    try:
        with force_locale(language_or_default(request.accept_languages.best_match(list(LANGUAGES)))):
            return gettext(text)
    except Exception:  # noqa: BLE001 - the refusal goes out in English rather than not at all
        return text


def safe_local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site (for ?next=), else None: no open redirects."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def roles_required(*roles: str) -> Callable:
    """Staff routes: visitors are sent to log in, people without one of ``roles`` get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def allow_stripe() -> None:
    """Mark the current response as a payment page: its CSP lets Stripe's script, frames and
    redirects in. Every other page allows nothing but the club's own origin (DESIGN: Stripe's
    pages and script at payment time are the one exception)."""
    g.csp_allows_stripe = True


def content_security_policy(stripe: bool = False) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'" + (" https://js.stripe.com" if stripe else ""),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'" + (" https://api.stripe.com" if stripe else ""),
        "frame-src " + ("https://js.stripe.com https://checkout.stripe.com" if stripe else "'none'"),
        # Chrome applies form-action to the redirect after a POST: Checkout and the portal.
        "form-action 'self'" + (f" {STRIPE_ORIGINS}" if stripe else ""),
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ])


def _security_headers(response):
    csp = content_security_policy(stripe=bool(g.get("csp_allows_stripe")))
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint and request.endpoint != "static" and current_user.is_authenticated:
        # Pages for signed-in people are private; never let a shared cache keep them.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
