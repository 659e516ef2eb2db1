"""The one place that erases: every table is either erased by its feature or kept on purpose."""
from __future__ import annotations

from club.core import erasure
from club.extensions import db


def test_every_table_is_erased_or_kept_on_purpose(app):
    tables = {t.name for t in db.metadata.sorted_tables}
    covered = erasure.erased_tables() | set(erasure.kept_tables())
    forgotten = tables - covered
    assert not forgotten, f"tables no feature erases or declares kept: {sorted(forgotten)}"


def test_the_audit_log_and_club_records_are_kept_with_a_reason(app):
    kept = erasure.kept_tables()
    assert all(kept[t].strip() for t in kept)
    assert not set(kept) & erasure.erased_tables()
