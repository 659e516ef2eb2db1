"""billing plans, the plan and price a membership is on, and dunning mails claimed once

Revision ID: b12c_plans
Revises: c7d1_totp
Create Date: 2026-11-29 07:00:00

Existing clubs get one plan, "Membership", from the fee settings they had (or the defaults),
and every membership that has an interval is put on it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12c_plans'
down_revision = 'c7d1_totp'
branch_labels = None
depends_on = None

DEFAULT_FEES = {"fee_monthly_cents": 15000, "fee_annual_cents": 150000, "fee_initiation_cents": 50000}


def upgrade():
    plans = op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=240), nullable=False),
    sa.Column('monthly_cents', sa.Integer(), nullable=False),
    sa.Column('annual_cents', sa.Integer(), nullable=False),
    sa.Column('initiation_cents', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('stripe_monthly_price_id', sa.String(length=64), nullable=True),
    sa.Column('stripe_annual_price_id', sa.String(length=64), nullable=True),
    sa.Column('stripe_initiation_price_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('name', name=op.f('uq_plans_name'))
    )
    op.create_table('billing_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('occasion', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_billing_reminders_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_reminders')),
    sa.UniqueConstraint('membership_id', 'kind', 'occasion', name='uq_billing_reminders_once')
    )
    with op.batch_alter_table('billing_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_reminders_membership_id'), ['membership_id'], unique=False)
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stripe_price_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_memberships_plan_id'), ['plan_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_memberships_plan_id_plans'), 'plans', ['plan_id'], ['id'],
                                    ondelete='SET NULL')

    # Existing clubs: their fees become one plan, and the memberships paying them are on it.
    conn = op.get_bind()
    settings = sa.table('club_settings', sa.column('key', sa.String), sa.column('value', sa.JSON))
    stored = {key: value for key, value in conn.execute(
        sa.select(settings.c.key, settings.c.value).where(settings.c.key.in_(list(DEFAULT_FEES))))}
    has_members = conn.execute(sa.text("SELECT COUNT(*) FROM memberships")).scalar()
    if has_members:
        fees = {key: int(stored.get(key, default)) for key, default in DEFAULT_FEES.items()}
        now = sa.func.current_timestamp()
        conn.execute(plans.insert().values(
            name="Membership", description="", monthly_cents=fees["fee_monthly_cents"],
            annual_cents=fees["fee_annual_cents"], initiation_cents=fees["fee_initiation_cents"], active=True,
            created_at=now, updated_at=now))
        conn.execute(sa.text("UPDATE memberships SET plan_id = (SELECT id FROM plans WHERE name = 'Membership') "
                             "WHERE plan IS NOT NULL"))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_memberships_plan_id_plans'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_memberships_plan_id'))
        batch_op.drop_column('stripe_price_id')
        batch_op.drop_column('plan_id')
    with op.batch_alter_table('billing_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_reminders_membership_id'))
    op.drop_table('billing_reminders')
    op.drop_table('plans')
