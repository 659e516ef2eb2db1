"""The arithmetic of the figures, as tables."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from club.metrics import rules


@pytest.mark.parametrize("left, at_start, expected", [
    (0, 0, None), (0, 10, 0.0), (1, 4, 0.25), (3, 200, 0.015), (2, 3, 0.6667),
])
def test_churn_rate(left, at_start, expected):
    assert rules.churn_rate(left, at_start) == expected


@pytest.mark.parametrize("values, expected", [
    ([], None), ([None], None), ([3], 3), ([4, 1, 2], 2), ([1, 2, 3, 10], 2.5), ([0.25, 0.75], 0.5), ([1.04, None], 1.0),
])
def test_median(values, expected):
    assert rules.median(values) == expected


@pytest.mark.parametrize("monthly, annual, mrr", [
    (0, 0, 0), (15000, 0, 15000), (0, 120000, 10000), (15000, 150000, 27500), (0, 100, 8),
])
def test_mrr_counts_annual_as_a_twelfth(monthly, annual, mrr):
    assert rules.mrr_cents(monthly, annual) == mrr
    assert rules.arr_cents(mrr) == 12 * mrr


def test_days_between_mixes_aware_and_naive_moments():
    aware = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert rules.days_between(aware, datetime(2026, 1, 3, 12)) == 2.5
    assert rules.days_between(None, aware) is None


@pytest.mark.parametrize("steps, conversions", [
    ([("a", 10), ("b", 5), ("c", 0)], [None, 0.5, 0.0]),
    ([("a", 0), ("b", 0)], [None, None]),
])
def test_funnel_conversion_from_the_step_before(steps, conversions):
    assert [s["from_previous"] for s in rules.funnel(steps)] == conversions


@pytest.mark.parametrize("current, previous, expected", [(10, 5, 1.0), (5, 10, -0.5), (3, 0, None), (None, 3, None)])
def test_change(current, previous, expected):
    assert rules.change(current, previous) == expected
