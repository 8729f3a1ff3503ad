"""The marketplace (issue 13): in-app notifications, and a short human reference on bookings.

Revision ID: 0017
Revises: 0014
Create Date: 2026-11-30 08:00:00.000000

Existing bookings get references in the order they were requested, per lending council, and
each council's counter starts after the last one given.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0017'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    op.create_index('ix_notifications_recipient', 'notifications', ['recipient_email', 'created_at', 'id'], unique=False)
    op.create_index('ix_notifications_unread', 'notifications', ['recipient_email', 'read_at'], unique=False)

    op.create_table('booking_reference_counters',
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_booking_reference_counters_council_id_councils')),
    sa.PrimaryKeyConstraint('council_id', name=op.f('pk_booking_reference_counters'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=24), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_bookings_reference'), ['reference'])
    _number_existing_bookings()
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.alter_column('reference', existing_type=sa.String(length=24), nullable=False)


def _number_existing_bookings() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT b.id, b.lending_council_id, c.code FROM bookings b "
        "JOIN councils c ON c.id = b.lending_council_id "
        "ORDER BY b.lending_council_id, b.requested_at, b.id"
    ).columns(id=sa.Uuid(), lending_council_id=sa.Uuid(), code=sa.String())).all()
    last: dict[object, int] = {}
    bookings = sa.table('bookings', sa.column('id', sa.Uuid()), sa.column('reference', sa.String()))
    for booking_id, council_id, code in rows:
        last[council_id] = last.get(council_id, 0) + 1
        bind.execute(
            bookings.update().where(bookings.c.id == booking_id)
            .values(reference=f"{code}-{last[council_id]:04d}")
        )
    counters = sa.table(
        'booking_reference_counters',
        sa.column('council_id', sa.Uuid()),
        sa.column('last_number', sa.Integer()),
    )
    if last:
        op.bulk_insert(counters, [{'council_id': c, 'last_number': n} for c, n in last.items()])


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_bookings_reference'), type_='unique')
        batch_op.drop_column('reference')
    op.drop_table('booking_reference_counters')
    op.drop_index('ix_notifications_unread', table_name='notifications')
    op.drop_index('ix_notifications_recipient', table_name='notifications')
    op.drop_table('notifications')
