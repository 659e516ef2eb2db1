"""Test set-up: one app per run, an empty database per test.

SQLite by default; set TEST_DATABASE_URL=postgresql://… to run the same suite on PostgreSQL.
"""
from __future__ import annotations

import contextvars
import os
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import text

from flask import has_app_context
from flask.testing import FlaskClient

from club import create_app
from club.config import normalize_database_url
from club.extensions import db, limiter

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


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    outbox = tmp_path_factory.mktemp("outbox")
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
    return app


def _drop_everything() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM sqlite_sequence")) if _has_sqlite_sequence(conn) else None


def _has_sqlite_sequence(conn) -> bool:
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first() is not None


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Every test starts from an empty database, an empty outbox and fresh rate limits."""
    with app.app_context():
        db.session.remove()
        _empty_tables()
    for f in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        f.unlink()
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


class Outbox:
    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def messages(self):
        return [message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted(self.folder.glob("*.eml"))]

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]

    def last(self):
        messages = self.messages
        assert messages, "no mail was sent"
        return messages[-1]


@pytest.fixture
def outbox(app) -> Outbox:
    return Outbox(Path(app.config["MAIL_OUTBOX_DIR"]))


def pytest_collection_modifyitems(config, items):
    needs_pg = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    on_pg = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgres", "postgresql"))
    for item in items:
        if "postgresql" in item.keywords and not on_pg:
            item.add_marker(needs_pg)
