"""The metrics page, its JSON and CSV: who may see them, that they agree, and a bounded query count."""
from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import event

from club.extensions import db
from club.membership import states
from tests.factories import login, make_admin, make_curator, make_member, make_user
from tests.metrics.factories import hand_built_club, more_of_everything

URLS = ["/admin/metrics", "/admin/metrics.json", "/admin/metrics/entry_funnel.csv"]


@pytest.mark.parametrize("url", URLS)
def test_a_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code in (302, 401) and "/admin/metrics" not in response.headers.get("Location", "")[:1]
    assert b"MRR" not in response.data


@pytest.mark.parametrize("who", ["member", "curator", "staffless"])
@pytest.mark.parametrize("url", URLS)
def test_members_and_curators_may_not_see_the_figures(client, ctx, who, url):
    person = {"member": lambda: make_member(state=states.ACTIVE), "curator": make_curator,
              "staffless": make_user}[who]()
    login(client, person)
    response = client.get(url)
    assert response.status_code == 403
    assert b"MRR" not in response.data


def test_the_page_draws_charts_with_their_tables_and_the_json_says_the_same(client, ctx):
    hand_built_club()
    login(client, make_admin())
    page = client.get("/admin/metrics?period=12m")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") >= 5 and html.count('role="img"') == html.count("<svg")
    # no chart library: the only scripts are the club's own, from its static folder
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]*src="([^"]+)"', html))
    assert html.count("<script") == len(re.findall(r'<script[^>]*src="/static/', html))
    data = client.get("/admin/metrics.json?period=12m").get_json()
    tables = {k: t for f in data["figures"].values() for k, t in f["tables"].items()}
    assert [r[1] for r in tables["entry_funnel"]["rows"]] == [4, 3, 2, 2, 1, 1]
    # every table of the JSON is on the page, with its first column's values in its rows
    for key, table in tables.items():
        assert f'id="figure-{key}"' in html
        for row in table["rows"]:
            assert re.search(r"<th scope=\"row\">\s*" + re.escape(str(row[0]).replace("&", "&amp;")), html), (key, row)
    figure = html.split('id="figure-money_recurring"', 1)[1].split("</table>", 1)[0]
    assert "250.00" in figure  # MRR 250 in the club's currency
    assert data["period"]["start"] and data["previous"]["end"] == data["period"]["start"]


def test_every_figure_downloads_as_csv_for_the_period_chosen(client, ctx):
    hand_built_club()
    login(client, make_admin())
    response = client.get("/admin/metrics/entry_funnel.csv?period=3m")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["Step", "Count"] and rows[1][:2] == ["Invited", "4"] and rows[6][:2] == ["Paid", "1"]
    assert client.get("/admin/metrics/no_such_figure.csv").status_code == 404


def test_a_bad_custom_period_is_a_field_error_not_a_failure(client, ctx):
    login(client, make_admin())
    response = client.get("/admin/metrics?period=custom&start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400
    assert "on or after" in response.get_data(as_text=True) and 'value="2026-05-01"' in response.get_data(as_text=True)
    assert client.get("/admin/metrics.json?period=custom&start=nonsense").status_code == 400


def _statements(client, url) -> int:
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_page_runs_the_same_number_of_statements_however_big_the_club(client, ctx):
    hand_built_club()
    login(client, make_admin())
    url = "/admin/metrics?period=12m"
    client.get(url)  # settings and the like warm up
    small = _statements(client, url)
    more_of_everything(40)
    assert _statements(client, url) == small
    assert small < 45
