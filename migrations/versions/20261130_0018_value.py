"""Value: market rates (with their history) and monthly net settlement statements.

Revision ID: 0018
Revises: 0014
Create Date: 2026-11-30 08:00:00.000000

Market rates are seeded with one row per skill family and NO figure: no published, sourced day
rate could be cited when this was written, so none is invented. Platform admins enter a figure
with its source and date; until then no savings are shown for that family.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The skill families of the seeded taxonomy (revision 0001), written out so this revision never
# changes with the code.
FAMILIES = [
    'Digital: user-centred design',
    'Digital: product and delivery',
    'Digital: software development',
    'Digital: architecture',
    'Digital: data',
    'Digital: IT operations and security',
    'Planning and building',
    'Highways and transport',
    'Social care',
    'Environment and regulation',
    'Corporate services',
    'Resilience and elections',
    'Housing and estates',
]
NO_FIGURE = (
    "No published day rate with a citable source has been entered for this family yet, so no "
    "savings are estimated for it. A platform admin can enter one with its source and date "
    "(for example the Digital Marketplace's published Digital Outcomes and Specialists rate "
    "statistics, or agency rates a council has published)."
)


def upgrade() -> None:
    rates = op.create_table('market_rates',
    sa.Column('skill_family', sa.String(length=80), nullable=False),
    sa.Column('skill_slug', sa.String(length=60), nullable=False),
    sa.Column('day_rate_pence', sa.Integer(), nullable=True),
    sa.Column('day_minutes', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('day_minutes > 0 AND day_minutes <= 1440', name=op.f('ck_market_rates_day_minutes')),
    sa.CheckConstraint('day_rate_pence IS NULL OR (day_rate_pence > 0 AND as_of IS NOT NULL)', name=op.f('ck_market_rates_sourced')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_market_rates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_rates')),
    sa.UniqueConstraint('skill_family', 'skill_slug', name=op.f('uq_market_rates_skill_family_skill_slug'))
    )
    op.create_table('market_rate_changes',
    sa.Column('market_rate_id', sa.Uuid(), nullable=False),
    sa.Column('day_rate_pence', sa.Integer(), nullable=True),
    sa.Column('day_minutes', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('changed_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_by_name', sa.String(length=120), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_market_rate_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['market_rate_id'], ['market_rates.id'], name=op.f('fk_market_rate_changes_market_rate_id_market_rates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_rate_changes'))
    )
    op.create_index(op.f('ix_market_rate_changes_market_rate_id'), 'market_rate_changes', ['market_rate_id'], unique=False)
    seeded = datetime(2026, 11, 30, tzinfo=UTC)
    op.bulk_insert(rates, [
        {'id': uuid.uuid5(uuid.NAMESPACE_URL, f'talentpool:market-rate:{family}'),
         'skill_family': family, 'skill_slug': '', 'day_rate_pence': None, 'day_minutes': 444,
         'source': NO_FIGURE, 'as_of': None, 'updated_at': seeded, 'updated_by_id': None}
        for family in FAMILIES
    ])

    op.create_table('settlement_statements',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('council_a_id', sa.Uuid(), nullable=False),
    sa.Column('council_b_id', sa.Uuid(), nullable=False),
    sa.Column('payer_council_id', sa.Uuid(), nullable=False),
    sa.Column('payee_council_id', sa.Uuid(), nullable=False),
    sa.Column('a_to_b_pence', sa.Integer(), nullable=False),
    sa.Column('b_to_a_pence', sa.Integer(), nullable=False),
    sa.Column('net_pence', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('generated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('payment_reference', sa.String(length=100), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_recorded_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('payment_recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('confirmed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'payment_recorded', 'settled')", name=op.f('ck_settlement_statements_status')),
    sa.CheckConstraint('council_a_id <> council_b_id', name=op.f('ck_settlement_statements_two_councils')),
    sa.CheckConstraint('payer_council_id <> payee_council_id', name=op.f('ck_settlement_statements_payer_payee')),
    sa.CheckConstraint('net_pence >= 0', name=op.f('ck_settlement_statements_net')),
    sa.CheckConstraint("status = 'open' OR (payment_reference IS NOT NULL AND paid_on IS NOT NULL)", name=op.f('ck_settlement_statements_payment_recorded')),
    sa.ForeignKeyConstraint(['council_a_id'], ['councils.id'], name=op.f('fk_settlement_statements_council_a_id_councils')),
    sa.ForeignKeyConstraint(['council_b_id'], ['councils.id'], name=op.f('fk_settlement_statements_council_b_id_councils')),
    sa.ForeignKeyConstraint(['payer_council_id'], ['councils.id'], name=op.f('fk_settlement_statements_payer_council_id_councils')),
    sa.ForeignKeyConstraint(['payee_council_id'], ['councils.id'], name=op.f('fk_settlement_statements_payee_council_id_councils')),
    sa.ForeignKeyConstraint(['payment_recorded_by_id'], ['users.id'], name=op.f('fk_settlement_statements_payment_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_settlement_statements_confirmed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_statements')),
    sa.UniqueConstraint('period', 'council_a_id', 'council_b_id', name=op.f('uq_settlement_statements_period_council_a_id_council_b_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_settlement_statements_reference'))
    )
    op.create_index(op.f('ix_settlement_statements_period'), 'settlement_statements', ['period'], unique=False)
    op.create_index(op.f('ix_settlement_statements_council_a_id'), 'settlement_statements', ['council_a_id'], unique=False)
    op.create_index(op.f('ix_settlement_statements_council_b_id'), 'settlement_statements', ['council_b_id'], unique=False)
    op.create_table('settlement_items',
    sa.Column('statement_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('credit_note_id', sa.Uuid(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issuer_council_id', sa.Uuid(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('gross_pence', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f('ck_settlement_items_kind')),
    sa.CheckConstraint('gross_pence >= 0', name=op.f('ck_settlement_items_gross')),
    sa.ForeignKeyConstraint(['statement_id'], ['settlement_statements.id'], name=op.f('fk_settlement_items_statement_id_settlement_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_settlement_items_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_notes.id'], name=op.f('fk_settlement_items_credit_note_id_credit_notes')),
    sa.ForeignKeyConstraint(['issuer_council_id'], ['councils.id'], name=op.f('fk_settlement_items_issuer_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_items'))
    )
    op.create_index(op.f('ix_settlement_items_statement_id'), 'settlement_items', ['statement_id'], unique=False)
    op.create_index(op.f('ix_settlement_items_invoice_id'), 'settlement_items', ['invoice_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_settlement_items_invoice_id'), table_name='settlement_items')
    op.drop_index(op.f('ix_settlement_items_statement_id'), table_name='settlement_items')
    op.drop_table('settlement_items')
    op.drop_index(op.f('ix_settlement_statements_council_b_id'), table_name='settlement_statements')
    op.drop_index(op.f('ix_settlement_statements_council_a_id'), table_name='settlement_statements')
    op.drop_index(op.f('ix_settlement_statements_period'), table_name='settlement_statements')
    op.drop_table('settlement_statements')
    op.drop_index(op.f('ix_market_rate_changes_market_rate_id'), table_name='market_rate_changes')
    op.drop_table('market_rate_changes')
    op.drop_table('market_rates')
