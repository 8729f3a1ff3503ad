"""Hardening: sign-in throttles counted atomically; officers listed only by choice.

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30 09:00:00.000000

- `login_throttles` (one row per throttled key, hashed) replaces `login_failures`, whose
  count-then-insert could be raced (app/auth/limits.py).
- Officers are visible to other councils only when they consented, their council accepted the
  agreement, and they chose to be listed (`visible`, now False for new officers). Existing
  officers who had not consented, or whose council had not accepted, never chose: they are
  unlisted; consented officers of accepted councils stay as they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0009'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_throttles',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('window_started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_login_throttles_failures')),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_login_throttles'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_ip_at')
        batch_op.drop_index('ix_login_failures_email_at')
    op.drop_table('login_failures')

    officers = sa.table(
        'officers',
        sa.column('visible', sa.Boolean()),
        sa.column('consent_version', sa.String()),
        sa.column('council_id', sa.Uuid()),
    )
    acceptances = sa.table('agreement_acceptances', sa.column('council_id', sa.Uuid()))
    accepted = sa.exists().where(acceptances.c.council_id == officers.c.council_id)
    op.execute(
        officers.update()
        .where(sa.or_(officers.c.consent_version.is_(None), ~accepted))
        .values(visible=False)
    )


def downgrade() -> None:
    op.create_table('login_failures',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_email_at', ['email', 'at'], unique=False)
        batch_op.create_index('ix_login_failures_ip_at', ['ip', 'at'], unique=False)
    op.drop_table('login_throttles')
