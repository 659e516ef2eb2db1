"""Members' own evenings: proposals staff approve (published with the member as host) or decline
(club.events.proposals).

Revision ID: j4_event_proposals
Revises: j3_announcements
"""
import sqlalchemy as sa
from alembic import op

revision = "j4_event_proposals"
down_revision = "j3_announcements"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("venue_name", sa.String(length=160), nullable=False),
        sa.Column("venue_address", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("max_guests", sa.Integer(), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_event_proposals_capacity_positive")),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"], name=op.f("fk_event_proposals_member_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_proposals_event_id_events"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_event_proposals_decided_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_proposals")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_proposals_event_id")),
    )
    op.create_index(op.f("ix_event_proposals_member_id"), "event_proposals", ["member_id"], unique=False)
    op.create_index("ix_event_proposals_state_created", "event_proposals", ["state", "created_at"], unique=False)


def downgrade():
    op.drop_index("ix_event_proposals_state_created", table_name="event_proposals")
    op.drop_index(op.f("ix_event_proposals_member_id"), table_name="event_proposals")
    op.drop_table("event_proposals")
