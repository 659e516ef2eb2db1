"""Introductions between members, double opt-in (club.members.introductions).

Revision ID: j1_introductions
Revises: i41d_at_risk
"""
import sqlalchemy as sa
from alembic import op

revision = "j1_introductions"
down_revision = "i41d_at_risk"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_a_id", sa.Integer(), nullable=False),
        sa.Column("member_b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("curator_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("a_accepted_at", sa.DateTime(), nullable=True),
        sa.Column("b_accepted_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("member_a_id < member_b_id", name=op.f("ck_introductions_pair_in_order")),
        sa.ForeignKeyConstraint(["member_a_id"], ["users.id"], name=op.f("fk_introductions_member_a_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_b_id"], ["users.id"], name=op.f("fk_introductions_member_b_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asked_by_id"], ["users.id"], name=op.f("fk_introductions_asked_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["curator_id"], ["users.id"], name=op.f("fk_introductions_curator_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
    )
    op.create_index(op.f("ix_introductions_member_a_id"), "introductions", ["member_a_id"], unique=False)
    op.create_index(op.f("ix_introductions_member_b_id"), "introductions", ["member_b_id"], unique=False)
    op.create_index(op.f("ix_introductions_curator_id"), "introductions", ["curator_id"], unique=False)
    op.create_index(op.f("ix_introductions_state"), "introductions", ["state"], unique=False)
    op.create_index("uq_introductions_pair", "introductions", ["member_a_id", "member_b_id"], unique=True,
                    sqlite_where=sa.text("state <> 'withdrawn'"), postgresql_where=sa.text("state <> 'withdrawn'"))


def downgrade():
    op.drop_index("uq_introductions_pair", table_name="introductions")
    op.drop_index(op.f("ix_introductions_state"), table_name="introductions")
    op.drop_index(op.f("ix_introductions_curator_id"), table_name="introductions")
    op.drop_index(op.f("ix_introductions_member_b_id"), table_name="introductions")
    op.drop_index(op.f("ix_introductions_member_a_id"), table_name="introductions")
    op.drop_table("introductions")
