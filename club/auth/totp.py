"""Time-based one-time codes (RFC 6238) and recovery codes: the rules, without the database.

A code from the authenticator app is accepted for its own 30-second step and one step either
side (clocks drift), and only for a step later than the last one accepted for that person: a code
seen once, over a shoulder or in a proxy's log, cannot be used again. Recovery codes are random,
shown once, stored as keyed hashes; each works once (the service marks it used).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from flask_babel import gettext

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # steps accepted either side of now
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 10  # about 50 bits each; guessing online is rate limited, offline needs the key
ISSUER = "The Club"


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def time_step(now: datetime | float) -> int:
    seconds = now.timestamp() if isinstance(now, datetime) else float(now)
    return int(seconds // STEP_SECONDS)


def code_for_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def normalize_code(raw: object) -> str | None:
    """Six digits, spaces and dashes ignored ("123 456"); None when it cannot be a code."""
    if not isinstance(raw, str) or len(raw) > 20:
        return None
    cleaned = raw.replace(" ", "").replace("-", "").strip()
    if len(cleaned) != DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return cleaned


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    step: int | None = None  # the step the code belonged to, when accepted
    replayed: bool = False  # right code, but for a step already used


def check_code(secret: str, raw_code: object, now: datetime | float, last_used_step: int | None) -> CodeCheck:
    """Whether ``raw_code`` is valid now for ``secret`` and not a replay of an accepted step."""
    code = normalize_code(raw_code)
    if code is None:
        return CodeCheck(False)
    current = time_step(now)
    replayed = False
    for step in sorted(range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1), key=lambda s: abs(s - current)):
        if hmac.compare_digest(code_for_step(secret, step), code):
            if last_used_step is not None and step <= last_used_step:
                replayed = True
                continue
            return CodeCheck(True, step=step)
    return CodeCheck(False, replayed=replayed)


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer or ISSUER)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as an inline <svg> element: drawn here, no request to anyone.

    It scales with its container (no fixed width or height), so it fits a phone's screen.
    """
    qr = segno.make(data, error="m", micro=False)
    return qr.svg_inline(scale=1, border=4, dark="#111111", light="#ffffff", omitsize=True,
                         title=gettext("QR code to add this account to your authenticator app"))


def group_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


# Recovery codes ------------------------------------------------------------------------------

def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    return [_format_recovery("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)))
            for _ in range(count)]


def _format_recovery(code: str) -> str:
    half = RECOVERY_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_recovery_code(raw: object) -> str | None:
    """The code in its stored form (lower case, no spaces or dash); None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    cleaned = raw.replace(" ", "").replace("-", "").strip().lower()
    if len(cleaned) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in cleaned):
        return None
    return cleaned


def recovery_code_hash(key: bytes, raw: object) -> str | None:
    """The keyed hash stored for a recovery code (HMAC-SHA256), or None for something that is not one."""
    code = normalize_recovery_code(raw)
    if code is None:
        return None
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
