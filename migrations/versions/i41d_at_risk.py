"""Members at risk: the curator's follow-ups of warning signs (club.members.at_risk).

Revision ID: i41d_at_risk
Revises: h31c_ambassadors
"""
import sqlalchemy as sa
from alembic import op

revision = "i41d_at_risk"
down_revision = "h31c_ambassadors"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "at_risk_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("signal", sa.String(length=30), nullable=False),
        sa.Column("fired_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"], name=op.f("fk_at_risk_follow_ups_member_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["handled_by_id"], ["users.id"],
                                name=op.f("fk_at_risk_follow_ups_handled_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_at_risk_follow_ups")),
        sa.UniqueConstraint("member_id", "signal", "fired_at", name="uq_at_risk_follow_ups_once"),
    )
    op.create_index(op.f("ix_at_risk_follow_ups_member_id"), "at_risk_follow_ups", ["member_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_at_risk_follow_ups_member_id"), table_name="at_risk_follow_ups")
    op.drop_table("at_risk_follow_ups")
