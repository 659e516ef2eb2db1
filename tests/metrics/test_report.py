"""Every figure of a hand-built club, against numbers worked out by hand."""
from __future__ import annotations

from datetime import timedelta

import pytest

from club.metrics import report
from club.metrics.periods import choose
from club.models.base import utcnow
from tests.metrics.factories import hand_built_club


@pytest.fixture
def figures(ctx):
    club = hand_built_club()
    now = utcnow()
    period = choose("custom", now.date(), now.date() - timedelta(days=60), now.date())
    tables = {t.key: t for f in report.build(period, now) for t in f.tables}
    tables["club"] = club
    return tables


def _row(table, first):
    return next(r for r in table.rows if r[0] == first)


def test_the_entry_funnel_counts_converts_and_times_each_step(figures):
    rows = figures["entry_funnel"].rows
    assert [(r[0], r[1]) for r in rows] == [("Invited", 4), ("Applied", 3), ("Fully endorsed", 2), ("Decided", 2),
                                            ("Approved", 1), ("Paid", 1)]
    assert [r[2] for r in rows] == [None, 0.75, 0.6667, 1.0, 0.5, 1.0]
    # invited→applied 2, 4, 1 days; applied→endorsed 4, 6; endorsed→decided 1, 3; decided→paid 2
    assert [r[3] for r in rows] == [None, 2.0, 5.0, 2.0, None, 2.0]
    assert [r[4] for r in rows] == [0] * 6  # nothing in the 60 days before


def test_decisions_by_outcome_and_members_figures(figures):
    assert figures["entry_decisions"].rows == [["Approved", 1, 0], ["Waitlisted", 0, 0], ["Rejected", 1, 0]]
    summary = figures["members_summary"]
    # at the start: inviter, the two endorsers, the leaver; at the end the newcomer came, the leaver went
    assert _row(summary, "Members at the end")[1:] == [4, 4]
    assert _row(summary, "Joined")[1] == 1 and _row(summary, "Left")[1] == 1
    assert _row(summary, "Churn (left ÷ members at the start)")[1] == 0.25
    assert figures["members_leave_reasons"].rows == [["moving abroad", 1]]
    assert _row(figures["members_by_state"], "Ended")[1] == 1
    assert sorted(figures["members_by_plan"].rows) == [["Individual", "annual", 1], ["Individual", "monthly", 1],
                                                      ["No plan", "complimentary", 2]]


def test_money_counts_annual_fees_as_a_twelfth(figures):
    recurring = figures["money_recurring"]
    assert _row(recurring, "MRR")[1] == 15000 + 120000 // 12
    assert _row(recurring, "ARR")[1] == 12 * 25000
    assert _row(figures["money_received"], "Initiation fees collected")[1:] == [50000, 0]


def test_event_fill_no_shows_promotions_and_ratings(figures):
    summary = figures["events_summary"]
    assert _row(summary, "Events")[1] == 1
    assert _row(summary, "Fill rate (seats taken ÷ capacity)")[1] == 0.8
    assert _row(summary, "No-show rate (of those checked at the door)")[1] == 0.3333
    assert _row(summary, "Waitlist promotions")[1] == 1
    assert _row(summary, "Ratings")[1] == 2 and _row(summary, "Average rating (1–5)")[1] == 3.5
    assert figures["events_each"].rows[0][2:] == [10, 8, 0.8, 2, 1, 1, 2, 3.5]


def test_referrers_and_engagement(figures):
    # four invitations, three applications, one approval; nobody they brought joined 6 months ago yet
    assert figures["referrers"].rows == [[figures["club"]["inviter"].full_name, 4, 3, 1, None, None]]
    attendance = figures["engagement_attendance"]
    # two members checked in last week, of the four members today
    assert attendance.rows[0][1] == 0.5 and attendance.rows[1][1] == 0.5
    assert figures["engagement_feedback"].rows[0][1] == 2
