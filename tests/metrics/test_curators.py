"""The curators' and engagement figures the member portal hands in (requests, members at risk), on
a hand-built club whose numbers are worked out by hand; the page, the JSON and the CSV agree; and
the statements stay the same as the club grows."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from club.metrics import curators, providers, report
from club.metrics.periods import choose
from club.models.base import utcnow
from tests.factories import count_queries, login, make_admin
from tests.metrics.factories import more_requests, requests_club


@pytest.fixture
def figures(ctx):
    club = requests_club()
    now = utcnow()
    period = choose("custom", now.date(), now.date() - timedelta(days=60), now.date())
    tables = {t.key: t for f in report.build(period, now) for t in f.tables}
    tables["club"] = club
    return tables


def test_open_requests_and_time_to_first_answer_per_curator(figures):
    # Clara: m1's request answered in 2 h (in progress) and one in 6 h (done); m2's unanswered one of
    # 3 days ago and one answered in 10 h that m2 wrote to again: open 3, awaiting an answer 2,
    # opened 4, median of 2, 6, 10 hours = 6. Oscar: o1's request of 70 days ago (previous period),
    # answered in 4 h, done. The member without a curator: answered in 1 h by an admin, done.
    assert figures["curators_requests"].rows == [
        ["Clara Curator", 3, 2, 4, 6.0, None],
        ["Oscar Curator", 0, 0, 0, None, 4.0],
        ["No current curator", 0, 0, 1, 1.0, None],
        ["All curators", 3, 2, 5, 4.0, 4.0],  # median of 1, 2, 6, 10 hours
    ]


def test_members_at_risk_per_curator_match_the_curators_lists(figures):
    # Clara: m2 (a request waiting 9 days) and m3 (cancelling) of her 3; Oscar: o2 (never came), o1's
    # same sign was handled; n1 (rated 1) has no curator
    assert figures["curators_at_risk"].rows == [
        ["Clara Curator", 3, 2, 0.6667],
        ["Oscar Curator", 2, 1, 0.5],
        ["No current curator", None, 1, None],
    ]


def test_requests_per_member(figures):
    # five requests this period, one the period before; six members at either end
    assert figures["engagement_requests"].rows == [["Requests to curators", 5, 1], ["Per member", 0.83, 0.17]]


@pytest.mark.parametrize("opened, answered, hours", [(0, None, None), (0, 1.5, 1.5), (10, 34, 24.0)])
def test_hours_to_the_first_answer(opened, answered, hours):
    start = utcnow()
    rows = [{"opened_at": start + timedelta(hours=opened),
             "answered_at": start + timedelta(hours=answered) if answered is not None else None}]
    assert curators.hours_to_answer(rows) == [pytest.approx(hours) if hours is not None else None]


def test_without_the_portal_the_figures_are_left_out(ctx, monkeypatch):
    monkeypatch.setattr(providers, "_providers", {})
    now = utcnow()
    keys = {t.key for f in report.build(choose("month", now.date()), now) for t in f.tables}
    assert "curators_load" in keys and "engagement_feedback" in keys
    assert not keys & {"curators_requests", "curators_at_risk", "engagement_requests"}


def test_an_unknown_provider_is_refused():
    with pytest.raises(ValueError):
        providers.provide("requests_by_moon", lambda: [])


def test_the_page_json_and_csv_show_the_same_figures(client, ctx):
    requests_club()
    login(client, make_admin())
    today = utcnow().date()
    query = f"period=custom&start={today - timedelta(days=60)}&end={today}"
    html = client.get(f"/admin/metrics?{query}").get_data(as_text=True)
    data = client.get(f"/admin/metrics.json?{query}").get_json()
    tables = {**data["figures"]["curators"]["tables"], **data["figures"]["engagement"]["tables"]}
    assert tables["curators_requests"]["columns"][:3] == ["Curator", "Open today", "Awaiting an answer today"]
    assert tables["curators_requests"]["rows"][-1] == ["All curators", 3, 2, 5, 4.0, 4.0]
    assert tables["curators_at_risk"]["rows"][0] == ["Clara Curator", 3, 2, 0.6667]
    assert tables["engagement_requests"]["rows"][0] == ["Requests to curators", 5, 1]
    for key in ("curators_requests", "curators_at_risk", "engagement_requests"):
        figure = html.split(f'id="figure-{key}"', 1)[1].split("</table>", 1)[0]
        cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", figure, re.S)]
        for row in tables[key]["rows"]:
            assert row[0] in cells, (key, row)
    at_risk = html.split('id="figure-curators_at_risk"', 1)[1].split("</table>", 1)[0]
    assert '<svg' in at_risk and "66.7%" in at_risk
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/metrics/curators_requests.csv?{query}")
                                       .get_data(as_text=True))))
    assert rows[0] == ["Curator", "Open today", "Awaiting an answer today", "Opened in the period",
                       "Median hours to the first answer", "Median hours, previous period"]
    assert rows[1] == ["Clara Curator", "3", "2", "4", "6.0", ""]


def test_the_figures_read_in_russian(client, ctx):
    requests_club()
    login(client, make_admin())
    html = client.get("/admin/metrics?period=3m&lang=ru").get_data(as_text=True)
    for russian in ("Обращения у кураторов", "Члены клуба в зоне риска у кураторов на сегодня",
                    "Обращения на члена клуба", "Все кураторы", "Без текущего куратора", "Ждут ответа сегодня"):
        assert russian in html, russian
    for english in ("Requests per curator", "All curators", "No current curator", "Share at risk"):
        assert english not in html, english


def test_the_statements_stay_the_same_as_curators_members_and_requests_grow(client, ctx):
    requests_club()
    login(client, make_admin())
    url = "/admin/metrics?period=12m"
    client.get(url)  # settings and the like warm up
    with count_queries() as small:
        assert client.get(url).status_code == 200
    more_requests(15)
    with count_queries() as big:
        page = client.get(url)
    assert page.status_code == 200 and "Curator 14" in page.get_data(as_text=True)
    assert big["n"] == small["n"]
