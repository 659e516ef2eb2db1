"""The pure rules of the way in, as tables."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from club.applications import rules

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=5)
EARLIER = NOW - timedelta(days=5)


@pytest.mark.parametrize("expires_at, opened_at, used_at, revoked_at, application_state, expected", [
    (LATER, None, None, None, None, "sent"),
    (LATER, EARLIER, None, None, None, "opened"),
    (EARLIER, None, None, None, None, "expired"),
    (EARLIER, EARLIER, None, None, None, "expired"),
    (NOW, None, None, None, None, "expired"),  # the expiry instant itself is past
    (LATER, None, None, EARLIER, None, "revoked"),
    (EARLIER, None, None, EARLIER, None, "revoked"),  # the member's act wins over the clock
    (LATER, EARLIER, EARLIER, None, "submitted", "applied"),
    (EARLIER, EARLIER, EARLIER, None, "submitted", "applied"),  # applied in time, then the link expired
    (LATER, EARLIER, EARLIER, None, "approved", "approved"),
    (LATER, EARLIER, EARLIER, None, "rejected", "rejected"),
    (LATER, EARLIER, EARLIER, None, "waitlisted", "waitlisted"),
    (LATER, EARLIER, EARLIER, None, "withdrawn", "withdrawn"),
    (LATER, EARLIER, EARLIER, None, None, "applied"),  # used, application row not loaded yet
])
def test_invite_state(expires_at, opened_at, used_at, revoked_at, application_state, expected):
    assert rules.invite_state(now=NOW, expires_at=expires_at, opened_at=opened_at, used_at=used_at,
                              revoked_at=revoked_at, application_state=application_state) == expected
    assert expected in rules.INVITE_LABELS


@pytest.mark.parametrize("expires_at, used_at, revoked_at, is_open", [
    (LATER, None, None, True),
    (EARLIER, None, None, False),
    (LATER, EARLIER, None, False),
    (LATER, None, EARLIER, False),
])
def test_invite_is_open(expires_at, used_at, revoked_at, is_open):
    assert rules.invite_is_open(now=NOW, expires_at=expires_at, used_at=used_at, revoked_at=revoked_at) is is_open


@pytest.mark.parametrize("revoked_at, counts", [(None, True), (EARLIER, False)])
def test_only_revoked_invites_give_the_quota_back(revoked_at, counts):
    assert rules.invite_counts_against_quota(revoked_at=revoked_at) is counts


@pytest.mark.parametrize("now, zone, expected", [
    (datetime(2026, 5, 10, 12, tzinfo=timezone.utc), "UTC", datetime(2026, 4, 1, tzinfo=timezone.utc)),
    (datetime(2026, 1, 1, 0, tzinfo=timezone.utc), "UTC", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    (datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc), "UTC", datetime(2026, 10, 1, tzinfo=timezone.utc)),
    # 23:30 UTC on 31 March is already 1 April in Paris: a new quarter there.
    (datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc), "Europe/Paris",
     datetime(2026, 4, 1, tzinfo=ZoneInfo("Europe/Paris"))),
    (datetime(2026, 4, 1, 0, 30, tzinfo=timezone.utc), "America/New_York",
     datetime(2026, 1, 1, tzinfo=ZoneInfo("America/New_York"))),
])
def test_quarter_start(now, zone, expected):
    assert rules.quarter_start(now, ZoneInfo(zone)) == expected


@pytest.mark.parametrize("quota, used, left", [(3, 0, 3), (3, 2, 1), (3, 3, 0), (3, 5, 0), (0, 0, 0)])
def test_invites_left(quota, used, left):
    assert rules.invites_left(quota, used) == left


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2026, 1, 15, tzinfo=timezone.utc), 12, datetime(2027, 1, 15, tzinfo=timezone.utc)),
    (datetime(2026, 1, 31, tzinfo=timezone.utc), 1, datetime(2026, 2, 28, tzinfo=timezone.utc)),
    (datetime(2028, 1, 31, tzinfo=timezone.utc), 1, datetime(2028, 2, 29, tzinfo=timezone.utc)),
    (datetime(2026, 10, 1, tzinfo=timezone.utc), 3, datetime(2027, 1, 1, tzinfo=timezone.utc)),
    (datetime(2026, 5, 10, tzinfo=timezone.utc), 0, datetime(2026, 5, 10, tzinfo=timezone.utc)),
])
def test_add_months(moment, months, expected):
    assert rules.add_months(moment, months) == expected


@pytest.mark.parametrize("state, count, required, ready", [
    ("submitted", 1, 2, False), ("submitted", 2, 2, True), ("submitted", 3, 2, True),
    ("withdrawn", 5, 2, False), ("approved", 2, 2, False), ("waitlisted", 2, 2, False),
])
def test_ready_for_decision(state, count, required, ready):
    assert rules.is_ready_for_decision(state, count, required) is ready


@pytest.mark.parametrize("text, links, problem", [
    ("https://example.com/me", ["https://example.com/me"], None),
    ("https://a.example.com\nhttp://b.example.org/x", ["https://a.example.com", "http://b.example.org/x"], None),
    ("https://a.example.com\n\nhttps://a.example.com", ["https://a.example.com"], None),
    ("https://a.example.com https://b.example.com", [], "not a web address"),
    ("https://[broken", [], "not a web address"),
    ("https://a.example.com,\n", ["https://a.example.com"], None),
    ("", [], "at least one link"),
    ("   \n ", [], "at least one link"),
    ("example.com", [], "not a web address"),
    ("javascript:alert(1)", [], "not a web address"),
    ("ftp://files.example.com", [], "not a web address"),
    ("https://localhost", [], "not a web address"),
    ("https://ok.example.com\nnonsense", ["https://ok.example.com"], "“nonsense” is not a web address"),
    ("\n".join(f"https://{i}.example.com" for i in range(6)), [f"https://{i}.example.com" for i in range(6)],
     "at most 5 links"),
])
def test_parse_links(text, links, problem):
    parsed, problems = rules.parse_links(text)
    assert parsed == links
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems)


@pytest.mark.parametrize("text, expected", [
    ("English, French", ["English", "French"]),
    ("english; ENGLISH, français", ["English", "Français"]),
    ("  Brazilian   Portuguese ,", ["Brazilian Portuguese"]),
    ("", []),
    (" , ;", []),
])
def test_parse_languages(text, expected):
    assert rules.parse_languages(text) == expected


@pytest.mark.parametrize("state, count, required, expected", [
    ("submitted", 1, 2, [("Submitted", "done"), ("Endorsements: 1 of 2", "current"), ("Under review", "todo"),
                         ("Decision", "todo")]),
    ("submitted", 2, 2, [("Submitted", "done"), ("Endorsements: 2 of 2", "done"), ("Under review", "current"),
                         ("Decision", "todo")]),
    ("approved", 2, 2, [("Submitted", "done"), ("Endorsements: 2 of 2", "done"), ("Under review", "done"),
                        ("Approved", "done")]),
    ("waitlisted", 3, 2, [("Submitted", "done"), ("Endorsements: 3 of 2", "done"), ("Under review", "done"),
                          ("Waitlisted", "current")]),
    ("rejected", 2, 2, [("Submitted", "done"), ("Endorsements: 2 of 2", "done"), ("Under review", "done"),
                        ("Decision", "done")]),
    ("withdrawn", 1, 2, [("Submitted", "done"), ("Withdrawn", "done")]),
])
def test_timeline(state, count, required, expected):
    steps = rules.timeline(state=state, endorsement_count=count, required=required)
    assert [(s.title, s.status) for s in steps] == expected
