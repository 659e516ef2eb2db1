"""Test set-up: one app per run, an empty database per test.

SQLite by default; set TEST_DATABASE_URL=postgresql://… to run the same suite on PostgreSQL.

Keeping it fast: emptying all 29 tables before every test cost ~50 ms a test (DELETEs on
SQLite, a TRUNCATE of everything on PostgreSQL), most of the suite's time. Instead, every
statement sent to *any* engine is watched (``_DirtyTables``) and a test starts by emptying
only the tables written since the last clean. A test that does not use the ``app`` fixture (the
pure rule tests) does no database work at all. Set ``CLUB_TEST_VERIFY_CLEAN=1`` to check, at the
start of every test, that every table really is empty, every id starts again at 1 and, on
PostgreSQL, every table is back to zero pages as after a TRUNCATE (see ``_vacuum``).
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import re
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from flask import has_app_context
from flask.testing import FlaskClient

from club import create_app
from club.config import normalize_database_url
from club.core import catalogue
from club.extensions import db, limiter
from club.models.club import AUDIT_LOG_GUARD_DDL

# Set CLUB_ENV before anything reads it, so no test ever needs a production secret.
os.environ.setdefault("CLUB_ENV", "testing")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalize_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'club-test.sqlite'}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, like a real server, even inside a test's ``ctx``.

    Without this, Flask reuses the test's app context: ``g`` (and with it Flask-Login's
    current user) and the database session would leak from one request into the next.
    Before each request the test's own session is committed, so the request sees what the
    test created and the test's objects are reloaded afterwards.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


class _DirtyTables:
    """Which tables may hold rows (or have used ids) since the last clean.

    Tests commit freely (factories commit, IsolatedClient commits before each request, the
    concurrency tests write from threads with connections of their own), so rolling back one
    transaction per test cannot undo them. Instead each statement is looked at just before it
    reaches the database driver. The listener sits on the ``Engine`` class, not on the app's
    engine, because some tests build a second app (so a second engine) on the same database,
    e.g. tests/auth/test_login.py's app behind a proxy; statements for other databases (scratch
    SQLite files, the migration check's schema) only make us clean more than needed, never less.

    A write is recorded *before* it runs: a rolled-back INSERT has still used up ids on
    PostgreSQL, and a failed one costs nothing to clean. Anything that is not plainly a read or
    a plain INSERT/UPDATE/DELETE on a named table (DDL, TRUNCATE, a CTE that writes, a function
    that moves a sequence, anything unknown) marks every table dirty: cleaning too much is only
    slower; cleaning too little would leak rows into the next test. Only a raw DB-API cursor
    would get past this (the tests and the app use none; the SQLite PRAGMAs on connect only read).
    """

    # Statements that change no table. SELECT is checked further below (nextval, SELECT INTO).
    _READS = re.compile(r"\s*(?:SELECT|PRAGMA|SHOW|SET|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|EXPLAIN|"
                        r"START\s+TRANSACTION|END)\b", re.IGNORECASE)
    _SELECT_WITH_EFFECTS = re.compile(r"\b(?:nextval|setval|INTO)\b", re.IGNORECASE)
    # A plain write; the target may be quoted ("user") or schema-qualified.
    _WRITE = re.compile(r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)'
                        r'\s+(?:ONLY\s+)?(?:"?\w+"?\s*\.\s*)?"?(\w+)"?', re.IGNORECASE)

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the concurrency tests write from many threads at once
        self.tables: set[str] = set()
        self.everything = False

    def before_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        if ";" in statement.rstrip().rstrip(";"):  # several statements in one: the first word says too little
            self.mark_everything()
            return
        if self._READS.match(statement):
            if statement.lstrip()[:6].upper() == "SELECT" and self._SELECT_WITH_EFFECTS.search(statement):
                self.mark_everything()
            return
        write = self._WRITE.match(statement)
        if write is None:
            self.mark_everything()
            return
        with self._lock:
            self.tables.add(write.group(1).lower())

    def mark_everything(self) -> None:
        with self._lock:
            self.everything = True

    def take(self, known: list[str]) -> list[str]:
        """The dirty tables among ``known`` (in that order), and start counting afresh."""
        with self._lock:
            dirty = list(known) if self.everything else [name for name in known if name in self.tables]
            self.tables, self.everything = set(), False
        return dirty


_dirty = _DirtyTables()
_sequences: dict[str, list[str]] = {}  # PostgreSQL: table -> the id sequences it owns


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    outbox = tmp_path_factory.mktemp("outbox")
    catalogue.main(["compile"])  # the .mo files are built, never committed (make test builds them too)
    app = create_app({
        "TESTING": True,
        "CLUB_ENV": "testing",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX_DIR": str(outbox),
        "PUBLIC_URL": "http://club.test",
        "SERVER_NAME": "club.test",
        "RATELIMIT_STORAGE_URI": "memory://",
        # argon2id at its cheapest: the real cost is ~120 ms a check, far too slow for a suite.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        _drop_everything()
        # The models build the test schema; tests/core/test_migrations.py proves separately that
        # the migrations build exactly the same one.
        db.create_all()
        _sequences.clear()
        _sequences.update(_sequences_by_table())
        _settle_postgresql_tables()
    # Watch from here on: the schema was just built, so every table is empty and no id used.
    _dirty.take([])
    event.listen(Engine, "before_cursor_execute", _dirty.before_cursor_execute)
    yield app
    event.remove(Engine, "before_cursor_execute", _dirty.before_cursor_execute)


def _drop_everything() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _sequences_by_table() -> dict[str, list[str]]:
    """PostgreSQL: the id sequences each table owns (serial or identity columns); SQLite: none.

    SQLite needs no resetting: no table uses AUTOINCREMENT, so an emptied table hands out 1
    again (sqlite_sequence is still cleared below, should one ever appear).
    """
    if db.engine.dialect.name != "postgresql":
        return {}
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT t.relname, s.relname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
            "  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace")).all()
    sequences: dict[str, list[str]] = {}
    for table, sequence in rows:
        sequences.setdefault(table, []).append(sequence)
    return sequences


def _empty_tables() -> None:
    """Empty the tables written since the last clean, and start their ids at 1 again (needs an app context).

    Also called by tests that need an empty database halfway through (tests/curation/test_queue.py).

    DELETE, children before parents, on just those tables. Measured on PostgreSQL 15: TRUNCATE
    costs ~13 ms even for two tables (new files for every table and index) and ~50 ms for all
    29, and it cannot be narrowed, since every table referencing a truncated one must be
    truncated with it and nearly all reference ``users``; DELETE of a typical test's rows costs
    ~2 ms. Ids restart at 1 as before (tests rely on it, e.g. tokens and URLs for user 1).
    On PostgreSQL a VACUUM follows, see ``_vacuum``.
    """
    tables = {t.name: t for t in db.metadata.sorted_tables}
    dirty = _dirty.take(list(reversed(tables)))  # children first, so foreign keys never object
    if not dirty:
        return
    with db.engine.begin() as conn:
        for name in dirty:
            if name == "audit_log":
                with _audit_guard_lifted(conn):
                    conn.execute(tables[name].delete())
            else:
                conn.execute(tables[name].delete())
        if conn.dialect.name == "postgresql":
            restart = [seq for name in dirty for seq in _sequences.get(name, ())]
            if restart:
                # setval(…, 1, false): the next id is 1, as after TRUNCATE … RESTART IDENTITY.
                conn.execute(text("SELECT " + ", ".join(f"setval('{seq}', 1, false)" for seq in restart)))
        elif _has_sqlite_sequence(conn):
            conn.execute(text("DELETE FROM sqlite_sequence"))
    if db.engine.dialect.name == "postgresql":
        _vacuum(dirty)
    _dirty.take([])  # our own DELETEs, setval() and VACUUM were seen too; the tables are clean now


@contextlib.contextmanager
def _audit_guard_lifted(conn):
    """Let the cleaner empty audit_log, which the database itself refuses to change (club/models/club.py).

    The triggers have no bypass a running app could use (no session flag): the cleaner takes
    them away inside its own transaction and puts them back before it commits, so no other
    connection ever sees the table unguarded, and a failed clean rolls back with them in place.
    PostgreSQL: DISABLE/ENABLE TRIGGER USER (as the table's owner); SQLite: DROP and CREATE TRIGGER
    (both are transactional there).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        yield
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        return
    conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
    yield
    conn.execute(text(next(ddl for ddl in AUDIT_LOG_GUARD_DDL["sqlite"] if "audit_log_no_delete" in ddl)))


# Deleted rows stay in a PostgreSQL table as dead tuples until a VACUUM. Left there, tables
# grow over the run, each pooled connection keeps inserting into the page it last used, and
# rows come back in a different physical order: queries without ORDER BY (there are some in the
# tests, e.g. the audit actions in tests/curation/test_scoring.py) then see rows out of insertion
# order. TRUNCATE used to hide that by giving each test brand-new, zero-page tables. VACUUM of the
# emptied tables does the same for a few ms: it frees every tuple and cuts the table back to
# zero pages, which also makes every connection forget the page it used last.

def _vacuum(names: list[str]) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # INDEX_CLEANUP ON: with the default (AUTO) PostgreSQL may skip index cleanup, and then
        # the dead line pointers stay and the table cannot be cut back to zero pages.
        conn.execute(text(f"VACUUM (INDEX_CLEANUP ON) {', '.join(names)}"))
        # VACUUM cuts a table back only if no other connection holds a lock on it right then;
        # none should, but if one does, fall back to TRUNCATE so the next test still gets fresh tables.
        grown = conn.execute(text(
            "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
            " AND relkind = 'r' AND relname = ANY(:names) AND pg_relation_size(oid) > 0"),
            {"names": names}).scalars().all()
        if grown:
            with db.engine.begin() as tx, _audit_guard_lifted(tx):  # CASCADE may reach audit_log
                tx.execute(text(f"TRUNCATE {', '.join(grown)} RESTART IDENTITY CASCADE"))
            # TRUNCATE leaves the planner's "never vacuumed" estimates; vacuum again, as at the start.
            conn.execute(text(f"VACUUM {', '.join(t.name for t in db.metadata.sorted_tables)}"))


def _settle_postgresql_tables() -> None:
    """PostgreSQL: put every table in the state ``_vacuum`` leaves it in, and keep autovacuum off them.

    A table's planner statistics differ between "never vacuumed" (a fresh table) and "vacuumed,
    empty". Vacuuming all of them once here means each test starts with the same statistics,
    whether or not an earlier test used the table; with autovacuum off, nothing changes them
    behind a test's back either (the tables are emptied and vacuumed by us anyway).
    """
    if db.engine.dialect.name != "postgresql":
        return
    names = [t.name for t in db.metadata.sorted_tables]
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f"ALTER TABLE {name} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"))
        conn.execute(text(f"VACUUM {', '.join(names)}"))


def _has_sqlite_sequence(conn) -> bool:
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first() is not None


def _assert_clean() -> None:
    """CLUB_TEST_VERIFY_CLEAN=1: prove that the dirty-table bookkeeping missed nothing."""
    with db.engine.connect() as conn:
        counts = {t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar()
                  for t in db.metadata.sorted_tables}
        leftovers = {name: n for name, n in counts.items() if n}
        if conn.dialect.name == "postgresql":
            used = [seq for seqs in _sequences.values() for seq in seqs
                    if conn.execute(text(f'SELECT is_called FROM "{seq}"')).scalar()]
            leftovers.update({f"{name} (pages)": size for name, size in conn.execute(text(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relkind = 'r'"
                " AND relnamespace = current_schema()::regnamespace AND pg_relation_size(oid) > 0"))})
        else:
            used = [] if not _has_sqlite_sequence(conn) else \
                conn.execute(text("SELECT name FROM sqlite_sequence")).scalars().all()
        conn.rollback()
    assert not leftovers and not used, f"left from an earlier test: {leftovers}; ids not restarted: {used}"


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test that uses the app starts from an empty database, an empty outbox and fresh rate limits.

    Tests that do not use the app (the pure rule tests) skip all of it, so touch no database.
    """
    if "app" not in request.fixturenames:  # the transitive closure: ctx, client, … all need app
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        _empty_tables()
        if os.environ.get("CLUB_TEST_VERIFY_CLEAN"):
            _assert_clean()
    with os.scandir(app.config["MAIL_OUTBOX_DIR"]) as entries:
        for entry in entries:
            if entry.name.endswith(".eml"):
                os.unlink(entry.path)
    limiter.reset()
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture
def ctx(app):
    """An app context for calling services directly (each test gets a fresh session)."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


class MailMessage(EmailMessage):
    """A delivered mail as tests read it: ``get_content()`` is its plain-text part (every mail also
    has an HTML part, ``get_body(("html",))``)."""

    def get_content(self, *args, **kw):
        if self.is_multipart():
            return self.get_body(preferencelist=("plain",)).get_content(*args, **kw)
        return super().get_content(*args, **kw)


MAIL_POLICY = policy.default.clone(message_factory=MailMessage)


class Outbox:
    """The .eml files delivered so far. Reading them first runs the real delivery of the outbox
    (``club.core.outbox.deliver_due``, what the worker runs), as a worker would have by then."""

    def __init__(self, folder: Path, app=None):
        self.folder = folder
        self.app = app

    def deliver(self):
        from club.core.outbox import deliver_due

        if self.app is None:
            return None
        with self.app.app_context():
            return deliver_due()

    @property
    def messages(self):
        self.deliver()
        return [message_from_bytes(p.read_bytes(), policy=MAIL_POLICY)
                for p in sorted(self.folder.glob("*.eml"))]

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]

    def last(self):
        messages = self.messages
        assert messages, "no mail was sent"
        return messages[-1]


@pytest.fixture
def outbox(app) -> Outbox:
    return Outbox(Path(app.config["MAIL_OUTBOX_DIR"]), app)


def pytest_collection_modifyitems(config, items):
    needs_pg = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    on_pg = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgres", "postgresql"))
    for item in items:
        if "postgresql" in item.keywords and not on_pg:
            item.add_marker(needs_pg)
