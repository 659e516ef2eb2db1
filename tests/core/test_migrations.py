"""The schema exists only through migrations: they must match the models and form one line.

The migrations run into a database of their own (a scratch SQLite file, or a scratch schema on
PostgreSQL), so this test never disturbs the one the rest of the suite uses.
"""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text

from club import create_app
from club.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_migrations_have_a_single_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations have {len(heads)} heads: {heads}; merge them"


def test_migrations_build_exactly_the_schema_the_models_describe(app, tmp_path):
    main_url = app.config["SQLALCHEMY_DATABASE_URI"]
    on_postgresql = main_url.startswith("postgresql")
    if on_postgresql:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
        sep = "&" if "?" in main_url else "?"
        url = f"{main_url}{sep}options=-csearch_path%3Dmigration_check"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite'}"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with scratch.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert diff == [], f"models and migrations disagree; run `flask --app wsgi db migrate`: {diff}"
    finally:
        if on_postgresql:
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
