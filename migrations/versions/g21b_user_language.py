"""The language each person reads the club in (and gets their mail in).

Revision ID: g21b_user_language
Revises: f13a_directory_search
"""
import sqlalchemy as sa
from alembic import op

revision = "g21b_user_language"
down_revision = "f13a_directory_search"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch copy): SQLite adds a nullable column in place.
    op.add_column("users", sa.Column("language", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
