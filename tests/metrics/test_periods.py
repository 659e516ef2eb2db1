"""The period chooser's rules, as tables."""
from __future__ import annotations

from datetime import date

import pytest

from club.metrics.periods import Period, PeriodError, choose, months_in

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize("kind, start, end, previous_start", [
    ("month", date(2026, 3, 1), date(2026, 3, 16), date(2026, 2, 14)),
    ("3m", date(2026, 1, 1), date(2026, 3, 16), date(2025, 10, 19)),
    ("12m", date(2025, 4, 1), date(2026, 3, 16), date(2024, 4, 17)),
])
def test_named_periods_and_the_one_before(kind, start, end, previous_start):
    period = choose(kind, TODAY)
    assert (period.start, period.end) == (start, end)
    assert period.previous() == Period(previous_start, start)


@pytest.mark.parametrize("start, end, message", [
    (None, date(2026, 1, 1), "both"), (date(2026, 2, 1), date(2026, 1, 1), "on or after"),
    (date(2020, 1, 1), date(2026, 1, 1), "three years"),
])
def test_a_custom_period_that_cannot_be(start, end, message):
    with pytest.raises(PeriodError, match=message):
        choose("custom", TODAY, start, end)


def test_a_custom_period_includes_its_last_day_and_lists_its_months():
    period = choose("custom", TODAY, date(2025, 12, 20), date(2026, 2, 1))
    assert period.end == date(2026, 2, 2) and period.days == 44
    assert months_in(period) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_an_unknown_choice_is_refused():
    with pytest.raises(PeriodError):
        choose("forever", TODAY)
