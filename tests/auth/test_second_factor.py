"""The second factor through the pages: enrolment, the code at sign-in, recovery codes, turning off."""
from __future__ import annotations

import logging
import re

import pytest
from freezegun import freeze_time

from club.extensions import db
from club.models.auth import RecoveryCode, SecondFactor
from club.models.club import AuditEntry
from tests.auth.factories import code_now, enrol, sign_in_with_code
from tests.factories import PASSWORD, login, make_member

NOW = "2026-11-23 10:00:05"


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def _signed_in(client) -> bool:
    r = client.get("/account/security")
    return r.status_code == 200


def test_a_member_enrols_with_the_qr_page_and_then_signs_in_with_a_code(client, ctx):
    member = make_member()
    with freeze_time(NOW) as clock:
        login(client, member)
        page = client.get("/account/security/enrol").get_data(as_text=True)
        assert "<svg" in page and "viewBox" in page  # the QR code drawn by the app, inline
        assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
        secret, codes = enrol(client)
        assert _audit("second_factor.enabled")[0].subject_id == member.id
        client.post("/logout")

        clock.tick(30)
        first = client.post("/login", data={"email": member.email, "password": PASSWORD})
        assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
        assert not _signed_in(client)  # the password alone signs nobody in
        wrong = client.post("/login/code", data={"code": "000000" if code_now(secret) != "000000" else "111111"})
        assert wrong.status_code == 401 and "does not match" in wrong.get_data(as_text=True)
        assert not _signed_in(client)
        right = client.post("/login/code", data={"code": code_now(secret)})
        assert right.status_code == 302
        assert _signed_in(client)


def test_the_key_is_stored_encrypted_and_never_shown_again_after_enrolment(client, ctx):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        secret, codes = enrol(client)
        row = db.session.get(SecondFactor, member.id)
        assert secret not in row.secret_encrypted and row.enabled_at is not None
        stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not set(stored) & set(codes) and not set(stored) & {c.replace("-", "") for c in codes}
        again = client.get("/account/security/enrol")
        assert again.status_code == 302 and again.headers["Location"].endswith("/account/security")
        security = client.get("/account/security", follow_redirects=True).get_data(as_text=True)
        assert secret not in security and " ".join([secret[:4], secret[4:8]]) not in security
        assert not any(code in security for code in codes)
        # no secret or code in the audit log
        details = str([e.details for e in db.session.scalars(db.select(AuditEntry)).all()])
        assert secret not in details and not any(code in details for code in codes)


def test_enrolment_needs_the_password_and_a_right_code(client, ctx):
    member = make_member()
    login(client, member)
    page = client.get("/account/security/enrol").get_data(as_text=True)
    secret = page.split('<p class="secret-key"><code>', 1)[1].split("</code>", 1)[0].replace(" ", "")
    bad_password = client.post("/account/security/enrol", data={"code": code_now(secret), "password": "not it at all"})
    assert bad_password.status_code == 401 and "That is not your password." in bad_password.get_data(as_text=True)
    bad_code = client.post("/account/security/enrol", data={"code": "12345x", "password": PASSWORD})
    assert bad_code.status_code == 401 and "12345x" in bad_code.get_data(as_text=True)  # what was typed stays
    assert db.session.get(SecondFactor, member.id).enabled_at is None
    assert not _audit("second_factor.enabled")


def test_the_same_code_cannot_sign_in_twice(client, app, ctx):
    member = make_member()
    with freeze_time(NOW) as clock:
        login(client, member)
        secret, _ = enrol(client)
        client.post("/logout")
        clock.tick(30)
        code = code_now(secret)
        assert sign_in_with_code(client, member.email, code).status_code == 302
        client.post("/logout")
        again = sign_in_with_code(app.test_client(), member.email, code)
        assert again.status_code == 401 and "already been used" in again.get_data(as_text=True)


def test_the_confirming_code_cannot_then_be_used_to_sign_in(client, app, ctx):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        secret, _ = enrol(client)
        replay = sign_in_with_code(app.test_client(), member.email, code_now(secret))
        assert replay.status_code == 401


def test_a_recovery_code_signs_in_once(client, app, ctx):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        _, codes = enrol(client)
        client.post("/logout")
        used = sign_in_with_code(client, member.email, codes[3].upper())
        assert used.status_code == 302 and used.headers["Location"].endswith("/account/security")
        entry = _audit("second_factor.recovery_code_used")[0]
        assert entry.subject_id == member.id and entry.details == {"codes_left": 9}
        assert "Recovery codes left: <strong>9</strong>" in client.get("/account/security").get_data(as_text=True)
        client.post("/logout")
        again = sign_in_with_code(app.test_client(), member.email, codes[3])
        assert again.status_code == 401
        assert sign_in_with_code(app.test_client(), member.email, codes[4]).status_code == 302


@pytest.mark.parametrize("junk", ["", " ", "\x00\x00\x00\x00\x00\x00", "1" * 5000, "١٢٣٤٥٦", "abcde-fghij\r\nX: y",
                                  "<script>alert(1)</script>", "' OR 1=1 --", "12345\x00", "🙂" * 6])
def test_junk_codes_get_a_field_error_never_a_500(client, ctx, junk):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        enrol(client)
        client.post("/logout")
        client.post("/login", data={"email": member.email, "password": PASSWORD})
        r = client.post("/login/code", data={"code": junk})
        assert r.status_code in (400, 401)
        assert 'class="error"' in r.get_data(as_text=True)
        assert not _signed_in(client)
        # the same junk at enrolment and at turning off: a field error, never a 500
        fresh = make_member()
        other = client.application.test_client()
        login(other, fresh)
        assert other.post("/account/security/enrol", data={"code": junk, "password": junk}).status_code in (400, 401)
        assert other.post("/account/security/off", data={"off-proof": junk}).status_code in (400, 401)


def test_wrong_codes_are_limited_and_logged_without_the_code(client, ctx, caplog):
    # Real time here: the rate-limit storage keeps its own clock.
    member = make_member()
    login(client, member)
    secret, _ = enrol(client)
    client.post("/logout")
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    wrong = next(c for c in ("000000", "111111", "222222") if c not in {code_now(secret, k) for k in (-1, 0, 1, 2)})
    with caplog.at_level(logging.WARNING, logger="club.security"):
        for _ in range(5):
            assert client.post("/login/code", data={"code": wrong}).status_code == 401
    # even the right code waits now (the next step's, so it is not a replay of the confirming one)
    assert client.post("/login/code", data={"code": code_now(secret, 1)}).status_code == 429
    failures = [r.getMessage() for r in caplog.records if "second_factor.failed" in r.getMessage()]
    assert len(failures) == 5 and f"user_id={member.id}" in failures[0]
    assert not any(wrong in r.getMessage() or secret in r.getMessage() for r in caplog.records)


def test_the_code_step_lasts_five_minutes(client, ctx):
    member = make_member()
    with freeze_time(NOW) as clock:
        login(client, member)
        secret, _ = enrol(client)
        client.post("/logout")
        client.post("/login", data={"email": member.email, "password": PASSWORD})
        clock.tick(301)
        late = client.post("/login/code", data={"code": code_now(secret)})
        assert late.status_code == 302 and late.headers["Location"].endswith("/login")
        assert not _signed_in(client)


def test_the_code_page_without_a_password_first_sends_to_sign_in(client, ctx):
    r = client.post("/login/code", data={"code": "123456"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")


def test_turning_off_needs_the_password_or_a_code_and_ends_other_sessions(client, app, ctx):
    member = make_member()
    with freeze_time(NOW) as clock:
        login(client, member)
        secret, _ = enrol(client)
        clock.tick(30)
        other = app.test_client()
        assert sign_in_with_code(other, member.email, code_now(secret)).status_code == 302
        refused = client.post("/account/security/off", data={"off-proof": "a wrong guess"})
        assert refused.status_code == 401 and db.session.get(SecondFactor, member.id) is not None
        clock.tick(30)
        done = client.post("/account/security/off", data={"off-proof": code_now(secret)})
        assert done.status_code == 302
        assert db.session.get(SecondFactor, member.id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
        assert _audit("second_factor.disabled")[0].actor_id == member.id
        assert _signed_in(client)  # this session stays
        assert not _signed_in(other)  # the other one has ended
        client.post("/logout")
        again = client.post("/login", data={"email": member.email, "password": PASSWORD})
        assert again.status_code == 302 and "/login/code" not in again.headers["Location"]  # the password alone
        assert _signed_in(client)


def test_renewed_recovery_codes_replace_the_old_ones(client, app, ctx):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        _, old = enrol(client)
        r = client.post("/account/security/recovery-codes", data={"renew-proof": PASSWORD})
        assert r.status_code == 200 and "Store these codes now" in r.get_data(as_text=True)
        new = re.findall(r"<li><code>([a-z2-9-]{11})</code></li>", r.get_data(as_text=True))
        assert len(new) == 10 and not set(new) & set(old)
        assert _audit("second_factor.recovery_codes_renewed")
        assert sign_in_with_code(app.test_client(), member.email, old[0]).status_code == 401
        assert sign_in_with_code(app.test_client(), member.email, new[0]).status_code == 302


def test_renewing_codes_needs_proof(client, ctx):
    member = make_member()
    with freeze_time(NOW):
        login(client, member)
        _, old = enrol(client)
        r = client.post("/account/security/recovery-codes", data={"renew-proof": "not my password"})
        assert r.status_code == 401 and "Store these codes" not in r.get_data(as_text=True)


def test_security_pages_need_a_signed_in_person(client):
    for path in ("/account/security", "/account/security/enrol"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    for path in ("/account/security/off", "/account/security/recovery-codes"):
        assert client.post(path).status_code == 302
