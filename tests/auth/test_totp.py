"""The rules of one-time codes and recovery codes (club/auth/totp.py), without a database."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest

from club.auth import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 23, 10, 0, 15, tzinfo=timezone.utc)
STEP = totp.time_step(NOW)


def code_at(offset_steps: int) -> str:
    return totp.code_for_step(SECRET, STEP + offset_steps)


def test_codes_are_the_ones_an_authenticator_app_shows():
    # pyotp's own TOTP stands in for the phone: same secret, same moment, same six digits.
    assert totp.code_for_step(SECRET, STEP) == pyotp.TOTP(SECRET).at(NOW)


@pytest.mark.parametrize("offset, last_used, accepted, replayed", [
    (0, None, True, False),          # the current code
    (-1, None, True, False),         # the previous step: a slow typist or a phone a little behind
    (1, None, True, False),          # the next step: a phone a little ahead
    (-2, None, False, False),        # a minute old: too old
    (2, None, False, False),         # a minute ahead: too far
    (0, STEP - 1, True, False),      # the step after the last one used
    (0, STEP, False, True),          # the same step again: a replay
    (-1, STEP - 1, False, True),     # an older step already used
    (-1, STEP, False, True),         # older than the last one used
    (1, STEP, True, False),          # the next step after a use is still fine
])
def test_a_code_is_accepted_within_one_step_and_never_twice(offset, last_used, accepted, replayed):
    check = totp.check_code(SECRET, code_at(offset), NOW, last_used)
    assert check.accepted is accepted
    assert check.replayed is replayed
    assert check.step == (STEP + offset if accepted else None)


@pytest.mark.parametrize("raw, expected", [
    ("123456", "123456"),
    (" 123 456 ", "123456"),
    ("123-456", "123456"),
    ("12345", None),
    ("1234567", None),
    ("12345a", None),
    ("١٢٣٤٥٦", None),             # Arabic-Indic digits are digits to Python, not to a TOTP app
    ("", None),
    ("1" * 500, None),
    (None, None),
    (123456, None),
    ("12\x0034", None),
])
def test_normalize_code(raw, expected):
    assert totp.normalize_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "000000", "abcdef", "\x00" * 6, "9" * 6, None, ["123456"]])
def test_junk_is_never_a_right_code(raw):
    if raw == code_at(0):  # pragma: no cover - one in a million
        pytest.skip("the junk happens to be the current code")
    assert totp.check_code(SECRET, raw, NOW, None).accepted is False


def test_recovery_codes_are_ten_distinct_readable_codes():
    codes = totp.new_recovery_codes()
    assert len(codes) == totp.RECOVERY_CODES == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code)
        assert not set(code) & set("01ilo")


@pytest.mark.parametrize("typed, same", [
    ("abcde-23456", True),
    ("ABCDE-23456", True),
    (" abcde 23456 ", True),
    ("abcde23456", True),
    ("abcde-23457", False),
    ("abcde-2345", None),          # too short: not a recovery code at all
    ("abcde-2345o", None),         # a letter the codes never use
    ("", None),
    (None, None),
])
def test_recovery_code_hash_ignores_case_spaces_and_dash(typed, same):
    key = b"k" * 32
    stored = totp.recovery_code_hash(key, "abcde-23456")
    hashed = totp.recovery_code_hash(key, typed)
    if same is None:
        assert hashed is None
    else:
        assert (hashed == stored) is same


def test_recovery_code_hash_is_keyed():
    assert totp.recovery_code_hash(b"a" * 32, "abcde-23456") != totp.recovery_code_hash(b"b" * 32, "abcde-23456")


def test_the_qr_code_is_inline_svg_that_scales_and_needs_nothing_from_outside():
    uri = totp.provisioning_uri(SECRET, "ada@example.org", "The Club")
    assert uri.startswith("otpauth://totp/") and f"secret={SECRET}" in uri and "issuer=The%20Club" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "viewBox" in svg
    assert 'width="' not in svg.split(">", 1)[0]  # no fixed size: it fits a phone's width
    assert "http" not in svg and "xlink:href" not in svg and "<image" not in svg


def test_secrets_are_fresh_and_160_bits():
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b and len(a) == 32 and re.fullmatch(r"[A-Z2-7]{32}", a)
    assert totp.group_secret("ABCDEFGH") == "ABCD EFGH"
