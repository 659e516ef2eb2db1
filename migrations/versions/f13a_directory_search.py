"""Directory search columns on member_profiles (what members show, casefolded), filled from today's data.

Revision ID: f13a_directory_search
Revises: e5f2_privacy
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "f13a_directory_search"
down_revision = 'e5f2_privacy'
branch_labels = None
depends_on = None

SEPARATOR = "\x1f"


def _list(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def upgrade():
    with op.batch_alter_table("member_profiles") as batch:
        batch.add_column(sa.Column("search_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("search_city", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("search_interests", sa.Text(), nullable=True))
    # Fill them as club.members.directory_index does: hidden fields stay NULL.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT p.user_id, u.full_name, p.directory_listed, p.directory_fields, p.city, p.interests "
        "FROM member_profiles p JOIN users u ON u.id = p.user_id")).all()
    update = sa.text("UPDATE member_profiles SET search_name = :n, search_city = :c, search_interests = :i "
                     "WHERE user_id = :id")
    for user_id, name, listed, fields, city, interests in rows:
        listed = bool(listed)
        shown = set(_list(fields)) if listed else set()
        folded = [str(i).casefold() for i in _list(interests)]
        bind.execute(update, {
            "id": user_id,
            "n": (name or "").casefold() if listed else None,
            "c": city.casefold() if "city" in shown and city else None,
            "i": (SEPARATOR + SEPARATOR.join(folded) + SEPARATOR) if "interests" in shown and folded else None,
        })


def downgrade():
    with op.batch_alter_table("member_profiles") as batch:
        batch.drop_column("search_interests")
        batch.drop_column("search_city")
        batch.drop_column("search_name")
