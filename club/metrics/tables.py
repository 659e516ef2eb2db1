"""A figure as the page, the CSV and the JSON all show it: a titled table, maybe drawn as a chart.

Titles, column names and row labels are lazy strings: the page shows them in the reader's language,
while the CSV and the JSON (machine formats) are always written in English, with ISO dates."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale


class Month(date):
    """A calendar month in a table: "2026-03" in the CSV, the JSON and the table; its name on a chart."""

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat


def machine(value):
    """A cell, title or note as the CSV and the JSON hold it: English text, ISO dates, numbers as they are."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str)):
        return value
    with force_locale("en"):
        return str(value)


@dataclass
class Chart:
    kind: str  # "bars" (one bar per row) or "line" (a point per row)
    label_column: int  # which column names each bar or point
    value_column: int  # which column holds the value drawn
    percent: bool = False  # values are shares 0–1


@dataclass
class Table:
    key: str  # stable name: the CSV file's and the JSON's
    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    chart: Chart | None = None
    percent_columns: set[int] = field(default_factory=set)  # shown as %, kept as shares in CSV/JSON
    percent_rows: set[int] = field(default_factory=set)  # whole rows of shares (in a summary)
    money_columns: set[int] = field(default_factory=set)  # cents, shown in the club's currency
    money_rows: set[int] = field(default_factory=set)

    def kind_of(self, row: int, column: int) -> str:
        """How the page shows a cell: "percent", "money" or "plain"."""
        if column in self.percent_columns or (row in self.percent_rows and column > 0):
            return "percent"
        if column in self.money_columns or (row in self.money_rows and column > 0):
            return "money"
        return "plain"

    def as_json(self) -> dict:
        return {"title": machine(self.title), "columns": [machine(c) for c in self.columns],
                "rows": [[machine(v) for v in row] for row in self.rows], "note": machine(self.note)}

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([machine(c) for c in self.columns])
        for row in self.rows:
            writer.writerow(["" if v is None else _csv_safe(machine(v)) for v in row])
        return out.getvalue()


@dataclass
class Family:
    key: str
    title: str
    tables: list[Table]


def _csv_safe(value):
    """Keep a spreadsheet from reading a member's words (a leave reason) as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
