"""the mail outbox, and photos in the database

Revision ID: d4e8_outbox_photos
Revises: b12c_plans
Create Date: 2026-11-23 12:00:00

Photos that earlier versions wrote to UPLOAD_DIR/photos are copied into member_photos under the
same name, so members see the same photo; the files are left where they were (delete them once the
upgrade is done). A profile whose file is missing keeps its name, and is served as before: not found.
"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8_outbox_photos'
down_revision = 'b12c_plans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_state'), ['state'], unique=False)

    photos = op.create_table('member_photos',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('jpeg', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_photos_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_member_photos'))
    )
    with op.batch_alter_table('member_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_photos_user_id'), ['user_id'], unique=False)
    _copy_photo_files(photos)


def _copy_photo_files(photos):
    """Bring the photo files of UPLOAD_DIR/photos into the table (names were ours: hex + .jpg)."""
    try:
        from flask import current_app

        folder = Path(current_app.config["UPLOAD_DIR"]) / "photos"
    except (ImportError, RuntimeError, KeyError):
        return
    if not folder.is_dir():
        return
    conn = op.get_bind()
    profiles = conn.execute(sa.text(
        "SELECT user_id, photo_filename FROM member_profiles WHERE photo_filename IS NOT NULL")).all()
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for user_id, name in profiles:
        path = folder / name
        if "/" not in name and "\\" not in name and not name.startswith(".") and path.is_file():
            rows.append({"key": name, "user_id": user_id, "jpeg": path.read_bytes(), "created_at": now})
    if rows:
        op.bulk_insert(photos, rows)


def downgrade():
    with op.batch_alter_table('member_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_photos_user_id'))
    op.drop_table('member_photos')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_next_attempt_at'))
    op.drop_table('mail_outbox')
