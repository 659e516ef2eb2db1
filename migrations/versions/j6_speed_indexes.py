"""Speed (issue 13): indexes for the pages that grow — the directory's order (users.full_name)
and the review queue (applications by state, in submission order).

Revision ID: j6_speed_indexes
Revises: j5_ballot
"""
from alembic import op

revision = "j6_speed_indexes"
down_revision = "j5_ballot"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_users_full_name"), "users", ["full_name"], unique=False)
    op.create_index("ix_applications_state_submitted_at", "applications", ["state", "submitted_at", "id"],
                    unique=False)


def downgrade():
    op.drop_index("ix_applications_state_submitted_at", table_name="applications")
    op.drop_index(op.f("ix_users_full_name"), table_name="users")
