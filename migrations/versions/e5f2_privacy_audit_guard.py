"""Privacy: admins' reasons on a record of their own; the database refuses to change the audit log;
memberships remember when they ended.

- memberships.ended_at: when the membership last ended, for the former members' retention.
  Memberships already ended get their last change (updated_at) as the best date known.

- membership_reasons: why an admin suspended, reinstated or comped a membership (the audit log
  keeps only the id, so the words can be erased with the member).
- audit_log: triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL). The same
  statements are attached to the model (club/models/club.py) so ``create_all`` builds them too;
  they are written out here so this migration never changes when the app's code does.

Revision ID: e5f2_privacy
Revises: d4e8_outbox_photos
"""
from alembic import op
import sqlalchemy as sa

revision = "e5f2_privacy"
down_revision = 'd4e8_outbox_photos'
branch_labels = None
depends_on = None

GUARD = {
    "sqlite": (
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = 'audit_log is append-only: ' || TG_OP || ' refused', "
        "ERRCODE = 'insufficient_privilege'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
    ),
}
UNGUARD = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"),
    "postgresql": ("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
                   "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
                   "DROP FUNCTION IF EXISTS audit_log_refuse_change()"),
}


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_memberships_ended_at'), ['ended_at'], unique=False)
    op.execute("UPDATE memberships SET ended_at = updated_at WHERE state = 'ended'")

    op.create_table('membership_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_membership_reasons_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_membership_reasons_written_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_reasons'))
    )
    with op.batch_alter_table('membership_reasons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_reasons_membership_id'), ['membership_id'], unique=False)

    for statement in GUARD.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade():
    for statement in UNGUARD.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    with op.batch_alter_table('membership_reasons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_reasons_membership_id'))

    op.drop_table('membership_reasons')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_ended_at'))
        batch_op.drop_column('ended_at')
