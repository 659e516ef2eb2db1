"""The tables' cells and percentages are written exactly as the app's own filters write them, in
each language, however the charts module gets there."""
from __future__ import annotations

import pytest
from babel import Locale
from babel.numbers import parse_pattern

from club.core.templating import number
from club.metrics import charts


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("value", [0, 7, -12, 999, 1000, -1000, 12345, 3.5, 0.1234, 1234.5, -2.25])
def test_a_cell_is_the_number_filter(app, language, value):
    with app.test_request_context(f"/?lang={language}"):
        assert charts.cell(value) == number(value)


@pytest.mark.parametrize("language, share, decimals, shown", [
    ("en", 0.125, 1, "12.5%"), ("ru", 0.125, 1, "12,5\xa0%"), ("en", 1, 0, "100%"), ("ru", 0.6667, 1, "66,7\xa0%"),
])
def test_a_share_is_a_percentage_the_readers_way(app, language, share, decimals, shown):
    with app.test_request_context(f"/?lang={language}"):
        assert charts.percent(share, decimals) == shown
        pattern = parse_pattern(Locale.parse(language).percent_formats[None].pattern)
        pattern.frac_prec = (decimals, decimals)
        assert shown == pattern.apply(share, Locale.parse(language))
