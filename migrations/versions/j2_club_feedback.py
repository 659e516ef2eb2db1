"""Feedback to the club: a member's threads with the admins (club.members.club_feedback).

Revision ID: j2_club_feedback
Revises: j1_introductions
"""
import sqlalchemy as sa
from alembic import op

revision = "j2_club_feedback"
down_revision = "j1_introductions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "club_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"], name=op.f("fk_club_feedback_member_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_feedback")),
    )
    op.create_index(op.f("ix_club_feedback_member_id"), "club_feedback", ["member_id"], unique=False)
    op.create_index(op.f("ix_club_feedback_state"), "club_feedback", ["state"], unique=False)
    op.create_table(
        "club_feedback_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["thread_id"], ["club_feedback.id"],
                                name=op.f("fk_club_feedback_messages_thread_id_club_feedback"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_club_feedback_messages_author_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_feedback_messages")),
    )
    op.create_index(op.f("ix_club_feedback_messages_thread_id"), "club_feedback_messages", ["thread_id"],
                    unique=False)


def downgrade():
    op.drop_index(op.f("ix_club_feedback_messages_thread_id"), table_name="club_feedback_messages")
    op.drop_table("club_feedback_messages")
    op.drop_index(op.f("ix_club_feedback_state"), table_name="club_feedback")
    op.drop_index(op.f("ix_club_feedback_member_id"), table_name="club_feedback")
    op.drop_table("club_feedback")
