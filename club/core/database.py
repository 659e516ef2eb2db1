"""Database engine tuning and the one transaction helper features need for contention.

SQLite is the embedded default, so it is made to behave: WAL for concurrent readers, a busy
timeout instead of instant "database is locked", foreign keys on, and transactions begun by us
(pysqlite otherwise starts them late, outside the SELECT that checks a seat count).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from club.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 15000


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def begin_write(*, keep_loaded: bool = False) -> None:
    """Start the current session's transaction as a writer, before it reads anything.

    Call at the top of a use case that reads a count and then writes based on it (seats,
    quotas). On SQLite this issues ``BEGIN IMMEDIATE``, which takes the write lock up front so
    two requests cannot both read the old count; on PostgreSQL it is a plain BEGIN and the use
    case takes row locks with ``SELECT … FOR UPDATE`` as usual.

    ``keep_loaded=True`` is for hot paths (booking) whose request has only read so far: what the
    request loaded (the signed-in person, their roles) is not expired and read again, and on
    PostgreSQL the read transaction simply goes on (READ COMMITTED: every statement, and every
    ``FOR UPDATE``, sees the latest committed rows), which saves a COMMIT round trip. The use case
    must read what it decides on under the lock afresh (``populate_existing``).
    """
    session = db.session()  # the scoped proxy does not offer in_transaction()
    if session.in_transaction():
        if keep_loaded and is_postgresql() and not (session.new or session.dirty or session.deleted):
            return
        commit(keep_loaded=keep_loaded)
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def begin_write_for_person(user_id: int) -> None:
    """``begin_write()``, serialised per person: on SQLite the write lock up front, on PostgreSQL
    also a lock on the person's ``users`` row. Use cases that refuse a double submit (the same
    words from the same person within minutes) call it first, so two identical submits arriving
    at the same instant run one after the other and the second finds the first."""
    begin_write()
    db.session.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE" if is_postgresql()
                            else "SELECT id FROM users WHERE id = :id"), {"id": user_id}).first()


def commit(*, keep_loaded: bool = False) -> None:
    """Commit the session; with ``keep_loaded`` the objects keep the values they were committed
    with instead of being expired (no reload of the signed-in person after a booking)."""
    session = db.session()
    if not keep_loaded:
        session.commit()
        return
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


@contextmanager
def write_transaction(*, keep_loaded: bool = False) -> Iterator[None]:
    """``begin_write()``, and roll back if the block raises; the block commits when it is done.

    Rolling back at once matters when the caller shows a refusal (a full event, a used link)
    instead of failing the request: otherwise SQLite's write lock would be held until teardown.
    """
    begin_write(keep_loaded=keep_loaded)
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise


def database_is_up() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True
    except Exception:  # noqa: BLE001 - any failure means "down" for the health check
        db.session.rollback()
        return False


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"
