"""Template helpers: money in any ISO currency (Babel), in the currency's own minor unit."""
import pytest

from club.core.templating import money


@pytest.mark.parametrize("cents, currency, shown", [
    (15000, "eur", "€150.00"),
    (150000, "GBP", "£1,500.00"),
    (999, "usd", "$9.99"),
    (15000, "chf", "CHF150.00"),
    (1250050, "rub", "RUB12,500.50"),
    (5000, "jpy", "¥5,000"),  # a zero-decimal currency: Stripe's amount is already in yen
    (None, "eur", ""),
])
def test_money_formats_any_iso_currency(cents, currency, shown):
    assert money(cents, currency).replace("\xa0", " ") == shown


def test_money_uses_the_club_currency_by_default(ctx):
    from club.core import settings
    settings.update({"currency": "chf"})
    assert money(2000).replace("\xa0", " ") == "CHF20.00"
