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
down_revision: str | None = '0016'
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
    _marketplace_tables()


def _marketplace_tables() -> None:
    """Requests for help, offers, messages, saved searches and the alerts they sent."""
    op.create_table('help_requests',
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('booker_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('from_week', sa.String(length=8), nullable=False),
    sa.Column('to_week', sa.String(length=8), nullable=False),
    sa.Column('from_start', sa.Date(), nullable=False),
    sa.Column('to_start', sa.Date(), nullable=False),
    sa.Column('minutes_per_week', sa.Integer(), nullable=False),
    sa.Column('max_rate_pence', sa.Integer(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('purchase_order', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'filled', 'closed')", name=op.f('ck_help_requests_status')),
    sa.CheckConstraint('max_rate_pence IS NULL OR max_rate_pence >= 0', name=op.f('ck_help_requests_max_rate')),
    sa.CheckConstraint('minutes_per_week > 0 AND minutes_per_week % 15 = 0', name=op.f('ck_help_requests_minutes')),
    sa.CheckConstraint('to_start >= from_start', name=op.f('ck_help_requests_weeks_in_order')),
    sa.ForeignKeyConstraint(['booker_id'], ['users.id'], name=op.f('fk_help_requests_booker_id_users')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_help_requests_closed_by_id_users')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_help_requests_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index('ix_help_requests_council', ['council_id', 'created_at'], unique=False)
        batch_op.create_index('ix_help_requests_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('messages',
    sa.Column('subject', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('author_council_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("subject IN ('request', 'booking')", name=op.f('ck_messages_subject')),
    sa.ForeignKeyConstraint(['author_council_id'], ['councils.id'], name=op.f('fk_messages_author_council_id_councils')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_author', ['author_id'], unique=False)
        batch_op.create_index('ix_messages_thread', ['subject', 'subject_id', 'created_at', 'id'], unique=False)

    op.create_table('saved_searches',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('query', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_digest_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_saved_searches_council_id_councils')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index('ix_saved_searches_user', ['user_id', 'created_at', 'id'], unique=False)

    op.create_table('help_request_skills',
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_help_request_skills_request_id_help_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_help_request_skills_skill_id_skills')),
    sa.PrimaryKeyConstraint('request_id', 'skill_id', name=op.f('pk_help_request_skills'))
    )
    op.create_table('offers',
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('made', 'accepted', 'withdrawn', 'lapsed')", name=op.f('ck_offers_status')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_offers_council_id_councils')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_offers_decided_by_id_users')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_offers_officer_id_officers')),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_offers_request_id_help_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('ix_offers_officer', ['officer_id', 'status'], unique=False)
        batch_op.create_index('ix_offers_request', ['request_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_offers_live', ['request_id', 'officer_id'], unique=True, sqlite_where=sa.text("status IN ('made', 'accepted')"), postgresql_where=sa.text("status IN ('made', 'accepted')"))

    op.create_table('alerts_sent',
    sa.Column('saved_search_id', sa.Uuid(), nullable=False),
    sa.Column('availability_id', sa.Uuid(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['availability_id'], ['availability.id'], name=op.f('fk_alerts_sent_availability_id_availability')),
    sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], name=op.f('fk_alerts_sent_saved_search_id_saved_searches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('saved_search_id', 'availability_id', name=op.f('pk_alerts_sent'))
    )
    op.create_table('offer_weeks',
    sa.Column('offer_id', sa.Uuid(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('minutes > 0 AND minutes % 15 = 0', name=op.f('ck_offer_weeks_minutes')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_offer_weeks_booking_id_bookings')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_weeks_offer_id_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_weeks')),
    sa.UniqueConstraint('offer_id', 'week', name=op.f('uq_offer_weeks_offer_id_week'))
    )


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
    op.drop_table('offer_weeks')
    op.drop_table('alerts_sent')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('uq_offers_live', sqlite_where=sa.text("status IN ('made', 'accepted')"), postgresql_where=sa.text("status IN ('made', 'accepted')"))
        batch_op.drop_index('ix_offers_request')
        batch_op.drop_index('ix_offers_officer')

    op.drop_table('offers')
    op.drop_table('help_request_skills')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index('ix_saved_searches_user')

    op.drop_table('saved_searches')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_thread')
        batch_op.drop_index('ix_messages_author')

    op.drop_table('messages')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_status_created')
        batch_op.drop_index('ix_help_requests_council')

    op.drop_table('help_requests')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_bookings_reference'), type_='unique')
        batch_op.drop_column('reference')
    op.drop_table('booking_reference_counters')
    op.drop_index('ix_notifications_unread', table_name='notifications')
    op.drop_index('ix_notifications_recipient', table_name='notifications')
    op.drop_table('notifications')
