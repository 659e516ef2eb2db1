"""The schema exists only through migrations: they must match the models and form one line."""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from club.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_migrations_have_a_single_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations have {len(heads)} heads: {heads}; merge them"


def test_migrated_database_matches_the_models(ctx):
    # The session's schema was built by `upgrade()` in conftest; compare it with the models.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree; run `flask --app wsgi db migrate`: {diff}"
