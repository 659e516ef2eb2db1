"""conflict of interest: why an admin who vouched for an applicant decided it anyway

Revision ID: a9c3_conflict
Revises: 695541cb6432
Create Date: 2026-11-23 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9c3_conflict'
down_revision = '695541cb6432'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conflict_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('application_decisions', schema=None) as batch_op:
        batch_op.drop_column('conflict_reason')
