"""Failed sign-ins, limits, second-factor failures and 403s are logged, without secrets (club/core/security_log.py)."""
import logging

import pytest

from club.core import security_log
from tests.factories import login, make_member, make_user


@pytest.fixture
def security_lines(caplog):
    caplog.set_level(logging.WARNING, logger="club.security")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "club.security"]


def test_a_failed_sign_in_is_logged_without_the_password_or_the_email(client, ctx, security_lines):
    user = make_user(email="owner.private@example.org")
    client.post("/login", data={"email": user.email, "password": "my wrong secret"},
                environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.post("/login", data={"email": "nobody.here@example.org", "password": "another secret"})
    known, unknown = security_lines()
    assert known.startswith("security sign_in.failed") and f"user_id={user.id}" in known
    assert "address=203.0.113.9" in known and security_log.email_tag(user.email) in known
    assert "user_id" not in unknown
    for line in (known, unknown):
        assert "secret" not in line and "private" not in line and "nobody" not in line


def test_a_right_password_logs_nothing(client, ctx, security_lines):
    login(client, make_user())
    assert security_lines() == []


def test_a_refused_page_is_logged(client, ctx, security_lines):
    member = make_member()
    login(client, member)
    assert client.get("/admin").status_code == 403
    [line] = security_lines()
    assert "access.forbidden" in line and "path=/admin" in line and f"user_id={member.id}" in line


def test_the_second_factor_helper_logs_who_and_why_but_never_the_code(ctx, security_lines):
    security_log.second_factor_failed(7, reason="wrong code")
    [line] = security_lines()
    assert line.startswith("security second_factor.failed") and "user_id=7" in line and "reason=wrong_code" in line


def test_a_session_past_its_lifetime_is_logged(app, client, ctx, security_lines):
    from datetime import datetime, timedelta, timezone

    from freezegun import freeze_time

    login(client, make_member())
    start = datetime.now(timezone.utc)
    for hours in (30, 60, app.config["SESSION_ABSOLUTE_HOURS"] + 1):  # used now and then, so never idle too long
        with freeze_time(start + timedelta(hours=hours)):
            client.get("/home")
    assert any("session.expired" in line for line in security_lines())


def test_nothing_typed_can_forge_a_log_line(ctx, security_lines):
    security_log.event("sign_in.failed", account="x\nsecurity sign_in.ok user_id=1")
    [line] = security_lines()
    assert "\n" not in line


def test_the_email_tag_is_stable_keyed_and_case_blind(app, ctx):
    tag = security_log.email_tag("Owner@Example.org ")
    assert tag == security_log.email_tag("owner@example.org") and tag.startswith("e:") and len(tag) == 14
    assert "owner" not in tag
