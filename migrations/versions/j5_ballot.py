"""Evenings by ballot: ballots, their entries, and offers of seats from the waitlist (club.events.ballots).

Revision ID: j5_ballot
Revises: j4_event_proposals
"""
import sqlalchemy as sa
from alembic import op

revision = "j5_ballot"
down_revision = "j4_event_proposals"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("drawn_at", sa.DateTime(), nullable=True),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_ballots_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"], name=op.f("fk_ballots_opened_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("event_id", name=op.f("uq_ballots_event_id")),
    )
    op.create_index(op.f("ix_ballots_state"), "ballots", ["state"], unique=False)
    op.create_table(
        "ballot_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("guests >= 0", name=op.f("ck_ballot_entries_guests_not_negative")),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballots.id"], name=op.f("fk_ballot_entries_ballot_id_ballots"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ballot_entries_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_entries")),
        sa.UniqueConstraint("ballot_id", "user_id", name=op.f("uq_ballot_entries_ballot_id_user_id")),
    )
    op.create_index(op.f("ix_ballot_entries_user_id"), "ballot_entries", ["user_id"], unique=False)
    op.create_table(
        "waitlist_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("offered_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_waitlist_offers_booking_id_bookings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_waitlist_offers_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_offers")),
    )
    op.create_index(op.f("ix_waitlist_offers_event_id"), "waitlist_offers", ["event_id"], unique=False)
    op.create_index("ix_waitlist_offers_state_expires", "waitlist_offers", ["state", "expires_at"], unique=False)
    op.create_index("uq_waitlist_offers_open", "waitlist_offers", ["booking_id"], unique=True,
                    sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))


def downgrade():
    op.drop_index("uq_waitlist_offers_open", table_name="waitlist_offers")
    op.drop_index("ix_waitlist_offers_state_expires", table_name="waitlist_offers")
    op.drop_index(op.f("ix_waitlist_offers_event_id"), table_name="waitlist_offers")
    op.drop_table("waitlist_offers")
    op.drop_index(op.f("ix_ballot_entries_user_id"), table_name="ballot_entries")
    op.drop_table("ballot_entries")
    op.drop_index(op.f("ix_ballots_state"), table_name="ballots")
    op.drop_table("ballots")
