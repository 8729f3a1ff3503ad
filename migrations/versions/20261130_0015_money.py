"""Money: bank details, a structured invoice address, the late-cancellation charge as a
percentage, one purchase order per invoice, and what each invoice line prints.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 08:00:00.000000

Existing text addresses (`invoice_address`, lines or comma-separated parts) become 1-4 address
lines, a town and a normalised UK postcode: the postcode is the last part (or the end of it),
the town the part before it. `late_cancellation_charge` (yes/no, never acted on) becomes
`late_cancellation_charge_percent`: yes is 100, no is 0. Invoice lines already issued keep
their stored text; their booking reference is the booking id's short form at render time.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTCODE = re.compile(r"(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$", re.IGNORECASE)

settings = sa.table(
    'council_settings',
    sa.column('council_id', sa.Uuid()),
    sa.column('invoice_address', sa.Text()),
    sa.column('late_cancellation_charge', sa.Boolean()),
    sa.column('address_lines', sa.JSON()),
    sa.column('town', sa.String()),
    sa.column('postcode', sa.String()),
    sa.column('late_cancellation_charge_percent', sa.Integer()),
)


def split_address(text: str) -> tuple[list[str], str | None, str | None]:
    """(address lines, town, postcode) from a free-text address."""
    parts = [p.strip() for p in re.split(r"[\n,]", text or "") if p.strip()]
    postcode = None
    if parts:
        found = POSTCODE.search(parts[-1].upper())
        if found:
            compact = found.group(1).replace(" ", "")
            postcode = f"{compact[:-3]} {compact[-3:]}"
            rest = parts[-1][: found.start()].strip()
            parts = [*parts[:-1], rest] if rest else parts[:-1]
    town = parts.pop() if len(parts) >= 2 else None
    if len(parts) > 4:
        parts = [*parts[:3], ", ".join(parts[3:])]
    return parts, town, postcode


def upgrade() -> None:
    with op.batch_alter_table('council_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_lines', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('town', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('bank_account_name', sa.String(length=140), nullable=True))
        batch_op.add_column(sa.Column('bank_sort_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('bank_account_number', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('remittance_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('late_cancellation_charge_percent', sa.Integer(), nullable=False, server_default='0'))
    bind = op.get_bind()
    for council_id, address, charge in bind.execute(
        sa.select(settings.c.council_id, settings.c.invoice_address, settings.c.late_cancellation_charge)
    ):
        lines, town, postcode = split_address(address)
        bind.execute(
            settings.update()
            .where(settings.c.council_id == council_id)
            .values(address_lines=lines, town=town, postcode=postcode,
                    late_cancellation_charge_percent=100 if charge else 0)
        )
    with op.batch_alter_table('council_settings', schema=None) as batch_op:
        batch_op.drop_column('invoice_address')
        batch_op.drop_column('late_cancellation_charge')
        batch_op.create_check_constraint(op.f('ck_council_settings_late_charge_percent'), 'late_cancellation_charge_percent BETWEEN 0 AND 100')
        batch_op.create_check_constraint(op.f('ck_council_settings_sort_code'), "bank_sort_code IS NULL OR length(bank_sort_code) = 6")
        batch_op.create_check_constraint(op.f('ck_council_settings_account_number'), "bank_account_number IS NULL OR length(bank_account_number) = 8")

    # A late cancellation's charge, fixed when it is cancelled (the lender's percentage then).
    op.add_column('bookings', sa.Column('late_charge_percent', sa.Integer(), nullable=True))
    op.add_column('bookings', sa.Column('late_charge_minutes', sa.Integer(), nullable=True))

    # One purchase order per invoice (NULL: bookings without one); what each line prints.
    # (add_column, not batch: a batch copy on SQLite would drop the immutability triggers.)
    op.add_column('invoices', sa.Column('purchase_order', sa.String(length=60), nullable=True))
    op.add_column('invoice_lines', sa.Column('kind', sa.String(length=20), nullable=False, server_default='time'))
    op.add_column('invoice_lines', sa.Column('booking_reference', sa.String(length=20), nullable=True))
    op.add_column('invoice_lines', sa.Column('purpose', sa.String(length=1000), nullable=True))
    op.add_column('invoice_lines', sa.Column('charge_percent', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('invoice_lines', 'charge_percent')
    op.drop_column('invoice_lines', 'purpose')
    op.drop_column('invoice_lines', 'booking_reference')
    op.drop_column('invoice_lines', 'kind')
    op.drop_column('invoices', 'purchase_order')
    op.drop_column('bookings', 'late_charge_minutes')
    op.drop_column('bookings', 'late_charge_percent')
    with op.batch_alter_table('council_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_address', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('late_cancellation_charge', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_constraint(op.f('ck_council_settings_late_charge_percent'), type_='check')
        batch_op.drop_constraint(op.f('ck_council_settings_sort_code'), type_='check')
        batch_op.drop_constraint(op.f('ck_council_settings_account_number'), type_='check')
        for column in ('late_cancellation_charge_percent', 'remittance_email', 'bank_account_number',
                       'bank_sort_code', 'bank_account_name', 'postcode', 'town', 'address_lines'):
            batch_op.drop_column(column)
