"""The metrics page in Russian: titles, headers, chart text (month names through Babel), numbers
and percentages the Russian way; the CSV and the JSON stay English, with ISO dates."""
from __future__ import annotations

import csv
import io
import re

import pytest
from flask_babel import ngettext

from club.core.templating import format_local
from club.metrics.periods import month_start
from club.metrics.tables import Month
from club.models.base import utcnow
from tests.factories import login, make_admin
from tests.metrics.factories import hand_built_club


@pytest.fixture
def russian_page(client, ctx):
    hand_built_club()
    login(client, make_admin())
    response = client.get("/admin/metrics?period=12m&lang=ru")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _svg_texts(html: str) -> list[str]:
    return [t for svg in re.findall(r"<svg.*?</svg>", html, re.S) for t in re.findall(r"<(?:text|title)[^>]*>([^<]*)<", svg)]


def test_the_page_and_its_charts_read_in_russian(russian_page, app):
    html = russian_page
    for russian in ("Показатели", "Воронка вступления (приглашения за период)", "Члены клуба по месяцам",
                    "Скачать CSV", "Этот период", "Последние 12 месяцев", "Регулярная выручка в месяц"):
        assert russian in html, russian
    for english in ("Entry funnel", "Download CSV", "This period", "Members month by month", "Showing",
                    "the numbers are in the table below", "Last 12 months", "Fill rate", "MRR"):
        assert english not in html, english
    texts = _svg_texts(html)
    # chart titles, funnel steps and states on the axes are Russian
    assert "Воронка вступления (приглашения за период) (диаграмма; цифры — в таблице ниже)" in texts
    assert "Приглашены" in texts and "Оплатили" in texts and "Действует" in texts
    # months on the axis are named by Babel in Russian; no ISO month and no English word is drawn
    with app.test_request_context("/?lang=ru"):
        this_month = format_local(Month.of(month_start(utcnow().date())), "month")
    assert this_month in texts
    assert not [t for t in texts if re.search(r"[A-Za-z]{3,}|\d{4}-\d\d", t)], texts


def test_numbers_percentages_and_dates_are_written_the_russian_way(russian_page):
    html = russian_page
    funnel = html.split('id="figure-entry_funnel"', 1)[1].split("</table>", 1)[0]
    assert "75,0\xa0%" in funnel and "66,7\xa0%" in funnel and "75.0%" not in funnel
    recurring = html.split('id="figure-money_recurring"', 1)[1].split("</table>", 1)[0]
    assert "250,00\xa0€" in recurring
    # the period in words, and the event's date in Russian
    assert re.search(r"Показан период <strong>1 \w+\.? \d{4}\sг\. – \d+ \w+\.? \d{4}\sг\.</strong>", html)
    each = html.split('id="figure-events_each"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>\d+ \w+\.? \d{4}\sг\.</td>", each)


def test_csv_and_json_stay_english_whatever_the_page(client, ctx):
    hand_built_club()
    login(client, make_admin())
    client.get("/admin/metrics?lang=ru")  # the visit is in Russian from now on
    rows = list(csv.reader(io.StringIO(client.get("/admin/metrics/entry_funnel.csv?period=12m").get_data(as_text=True))))
    assert rows[0][:2] == ["Step", "Count"] and rows[1][:2] == ["Invited", "4"]
    months = list(csv.reader(io.StringIO(client.get("/admin/metrics/members_by_month.csv?period=12m").get_data(as_text=True))))
    assert months[0][0] == "Month" and all(re.fullmatch(r"\d{4}-\d\d", r[0]) for r in months[1:])
    data = client.get("/admin/metrics.json?period=12m").get_json()
    funnel = data["figures"]["entry"]["tables"]["entry_funnel"]
    assert data["figures"]["entry"]["title"] == "Entry" and funnel["title"].startswith("Entry funnel")
    assert funnel["columns"][0] == "Step" and funnel["rows"][0][0] == "Invited"
    each = data["figures"]["events"]["tables"]["events_each"]["rows"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", each[1])


def test_a_bad_period_is_explained_in_russian(client, ctx):
    login(client, make_admin())
    response = client.get("/admin/metrics?period=custom&start=2026-05-01&end=2026-01-01&lang=ru")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Последний день не может быть раньше первого." in body and "Вместо него показан этот месяц." in body


@pytest.mark.parametrize("members, shown", [(1, "Из 1 члена клуба"), (3, "Из 3 членов клуба"),
                                            (5, "Из 5 членов клуба")])
def test_the_engagement_note_has_the_right_russian_plural(app, members, shown):
    with app.test_request_context("/?lang=ru"):
        note = ngettext("Of the %(num)d member today; checked in at the door.",
                        "Of the %(num)d members today; checked in at the door.", members)
        assert note.startswith(shown)
