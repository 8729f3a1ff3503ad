"""Stripe: the paying council's Stripe Customer id, created once and reused.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-25 11:00:00.000000

Revises 0004, the head when this was written. If a revision 0005 lands beside it, set
`down_revision` to '0005' so the history stays one line.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('council_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stripe_customer_id', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('council_settings', schema=None) as batch_op:
        batch_op.drop_column('stripe_customer_id')
