"""Sign-in limits that stop guessing without locking the owner out.

Only failed attempts count (a right password costs nothing). Three limits on ``POST /login``:

- per address: ``ADDRESS_LIMIT`` failures, whatever the account (one machine guessing widely);
- per account and address: ``ACCOUNT_ADDRESS_LIMIT`` (one machine guessing one account);
- per account, from everywhere else: ``ACCOUNT_LIMIT`` (many machines guessing one account).

The third one would let anyone shut an owner out by guessing their account from many addresses,
so it does not apply to a *known-good* sign-in: from a browser that signed in to this account
before (it holds the signed ``club_device`` cookie, kept 180 days) or from an address this
account signed in from in the last 30 days. Those are still held by the first two limits. So an
attack slows the account down for strangers (about ten guesses a minute, fifty an hour, across
every address) while the owner, from their usual browser or address, signs in as always; a
password reset from the mail also marks the browser and address as known-good.

The counters live in the rate-limit storage (Redis in production), keyed by a keyed hash of the
email (``security_log.email_tag``), never the address itself.
"""
from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from club.auth.service import normalize_email
from club.core import security_log
from club.core.tokens import Signer, TokenExpired, TokenInvalid
from club.extensions import limiter

ADDRESS_LIMIT = "5/minute;30/hour"
ACCOUNT_ADDRESS_LIMIT = "5/minute;10/hour"
ACCOUNT_LIMIT = "10/minute;50/hour"

DEVICE_COOKIE = "club_device"
DEVICE_DAYS = 180
KNOWN_ADDRESS_DAYS = 30
_device_signer = Signer(salt="sign-in-device")


def _typed_email() -> str:
    return normalize_email(request.form.get("email", ""))


def account_key() -> str:
    return "login-account:" + security_log.email_tag(_typed_email())


def account_address_key() -> str:
    return f"login-account-address:{security_log.email_tag(_typed_email())}:{get_remote_address()}"


def failed(response) -> bool:
    return response.status_code == 401


def _known_address_key(email: str, address: str) -> str:
    return f"club/known-sign-in/{security_log.email_tag(email)}/{address}"


def is_known_good() -> bool:
    """Whether this sign-in attempt comes from the account's own browser or a recent address of it."""
    email = _typed_email()
    if not email:
        return False
    tag = security_log.email_tag(email)
    cookie = request.cookies.get(DEVICE_COOKIE)
    if cookie:
        try:
            if _device_signer.loads(cookie, max_age=DEVICE_DAYS * 86400) == {"a": tag}:
                return True
        except (TokenExpired, TokenInvalid):
            pass
    try:
        return limiter.storage.get(_known_address_key(email, get_remote_address())) > 0
    except Exception:  # storage down: only the exemption is lost, the limits still apply
        current_app.logger.exception("rate-limit storage unreachable")
        return False


def remember_sign_in(response, email: str):
    """After a right password: this browser and this address are known-good for the account."""
    tag = security_log.email_tag(email)
    try:
        limiter.storage.incr(_known_address_key(email, get_remote_address()), KNOWN_ADDRESS_DAYS * 86400)
    except Exception:
        current_app.logger.exception("rate-limit storage unreachable")
    response.set_cookie(DEVICE_COOKIE, _device_signer.dumps({"a": tag}), max_age=DEVICE_DAYS * 86400,
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _log_breach(scope: str):
    def on_breach(_limit) -> None:
        security_log.sign_in_limited(scope, _typed_email() or None)
    return on_breach


def sign_in_limits(view):
    """The three limits, for the view that checks passwords."""
    view = limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key, deduct_when=failed,
                         exempt_when=is_known_good, on_breach=_log_breach("account"))(view)
    view = limiter.limit(ACCOUNT_ADDRESS_LIMIT, methods=["POST"], key_func=account_address_key,
                         deduct_when=failed, on_breach=_log_breach("account-address"))(view)
    return limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=failed,
                         on_breach=_log_breach("address"))(view)
