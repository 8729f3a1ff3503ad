"""Councils run themselves: versioned s113 agreement, leaving the pool, join requests,
revocable invitations, and the actor's name on audit events.

Revision ID: 0014
Revises: 0007
Create Date: 2026-11-26 09:00:00.000000

The agreement that was the constant `CURRENT_AGREEMENT` (version 2026-1) becomes the first row
of `agreement_versions`, so existing acceptances and officers' consents stay current.
Revises 0007, the head when this was written; the lead re-chains parallel revisions.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0014'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_VERSION = '2026-1'
FIRST_TEXT = (
    "LocalGov Talent Pool standard agreement under section 113 of the Local Government Act "
    "1972. Each participating council agrees that its officers who list spare hours in the "
    "Talent Pool may be placed at the disposal of another participating council for the hours "
    "booked, on the terms of this agreement. The officer remains employed and paid by their "
    "home council, which recharges the hours worked at the officer's published rate plus VAT "
    "where due. The borrowing council directs the officer's work during booked hours, is "
    "responsible for their health and safety while working for it, and treats them as its own "
    "officer for the purposes of the functions they carry out. Either council may end a "
    "placement with the notice set in its settings. Officers are consulted before any "
    "placement and may withdraw their consent for future weeks at any time."
)
FIRST_CONSENT_TEXT = (
    "I have been consulted about being placed at the disposal of other councils under "
    "section 113 of the Local Government Act 1972. I agree to my profile being shown to "
    "other councils and to work the hours that they book and that my manager has approved. "
    "I understand I stay employed by my own council and can withdraw future hours at any time."
)
OPEN = sa.text("status IN ('unverified', 'pending')")


def upgrade() -> None:
    versions = op.create_table('agreement_versions',
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('officer_consent_text', sa.Text(), nullable=False),
    sa.Column('published_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_agreement_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_versions')),
    sa.UniqueConstraint('sequence', name=op.f('uq_agreement_versions_sequence')),
    sa.UniqueConstraint('version', name=op.f('uq_agreement_versions_version'))
    )
    op.bulk_insert(versions, [{
        'id': uuid.UUID('5b0c6d1e-2026-4001-8000-000000000001'),
        'sequence': 1,
        'version': FIRST_VERSION,
        'text': FIRST_TEXT,
        'officer_consent_text': FIRST_CONSENT_TEXT,
        'published_at': datetime(2026, 11, 1, tzinfo=UTC),
        'published_by_id': None,
    }])

    with op.batch_alter_table('agreement_acceptances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('left_by_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agreement_acceptances_left_by_id_users'), 'users', ['left_by_id'], ['id'])

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True))

    # A plain ADD COLUMN (no batch copy): audit_events keeps its append-only triggers.
    op.add_column('audit_events', sa.Column('actor_name', sa.String(length=120), nullable=True))

    op.create_table('join_requests',
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('link_expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('verified_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decline_reason', sa.String(length=500), nullable=True),
    sa.Column('invitation_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('unverified', 'pending', 'approved', 'declined')", name=op.f('ck_join_requests_status')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_join_requests_council_id_councils')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_join_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_join_requests_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_join_requests_token_hash'))
    )
    op.create_index('uq_join_requests_open', 'join_requests', ['council_id', 'email'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_join_requests_status_created', 'join_requests', ['status', 'created_at'], unique=False)

    op.create_table('join_attempts',
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_attempts'))
    )
    op.create_index('ix_join_attempts_ip_at', 'join_attempts', ['ip', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_join_attempts_ip_at', table_name='join_attempts')
    op.drop_table('join_attempts')
    op.drop_index('ix_join_requests_status_created', table_name='join_requests')
    op.drop_index('uq_join_requests_open', table_name='join_requests')
    op.drop_table('join_requests')
    op.drop_column('audit_events', 'actor_name')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('agreement_acceptances', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agreement_acceptances_left_by_id_users'), type_='foreignkey')
        batch_op.drop_column('left_by_id')
        batch_op.drop_column('left_at')
    op.drop_table('agreement_versions')
