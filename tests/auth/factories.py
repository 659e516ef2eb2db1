"""Plain helpers for second-factor tests: enrol through the pages, as a person would."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp

from tests.factories import PASSWORD

_SECRET = re.compile(r'<p class="secret-key"><code>([A-Z2-7 ]+)</code></p>')
_CODES = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def code_now(secret: str, offset_steps: int = 0) -> str:
    """What the phone shows (pyotp stands in for the authenticator app)."""
    return pyotp.TOTP(secret).at(datetime.now(timezone.utc), counter_offset=offset_steps)


def enrol(client, password: str = PASSWORD) -> tuple[str, list[str]]:
    """Enrol the signed-in person of ``client``: read the key off the page, confirm with a code.

    Returns the secret and the recovery codes shown once.
    """
    page = client.get("/account/security/enrol")
    assert page.status_code == 200, page.status_code
    secret = _SECRET.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    done = client.post("/account/security/enrol", data={"code": code_now(secret), "password": password})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = _CODES.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def sign_in_with_code(client, email: str, code: str, password: str = PASSWORD):
    first = client.post("/login", data={"email": email, "password": password})
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code"), first.headers
    return client.post("/login/code", data={"code": code})
