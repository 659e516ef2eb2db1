"""Ambassadors: members an admin names (the leaders page), one open ambassadorship per person.

Revision ID: h31c_ambassadors
Revises: g21b_user_language
"""
import sqlalchemy as sa
from alembic import op


revision = "h31c_ambassadors"
down_revision = "g21b_user_language"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ambassadorships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("named_at", sa.DateTime(), nullable=False),
        sa.Column("named_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ambassadorships_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["named_by_id"], ["users.id"], name=op.f("fk_ambassadorships_named_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ended_by_id"], ["users.id"], name=op.f("fk_ambassadorships_ended_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambassadorships")),
    )
    op.create_index(op.f("ix_ambassadorships_user_id"), "ambassadorships", ["user_id"], unique=False)
    op.create_index("uq_ambassadorships_open", "ambassadorships", ["user_id"], unique=True,
                    sqlite_where=sa.text("ended_at IS NULL"), postgresql_where=sa.text("ended_at IS NULL"))


def downgrade():
    op.drop_index("uq_ambassadorships_open", table_name="ambassadorships")
    op.drop_index(op.f("ix_ambassadorships_user_id"), table_name="ambassadorships")
    op.drop_table("ambassadorships")
