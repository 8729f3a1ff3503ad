"""Invoicing: invoices, lines, credit notes, number counters, and the immutability triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:42:54.477203
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What an issued invoice may still change: status (paid, credited), payment details, credited
# totals, the Stripe PaymentIntent. Everything else is fixed once the number is given.
FIXED = ("number", "issuer_council_id", "customer_council_id", "period", "vat_category",
         "vat_rate_bps", "vat_reason", "net_pence", "vat_pence", "gross_pence", "issue_date",
         "due_date", "issued_at", "issued_by_id")


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FIXED)
        op.execute(f"""
CREATE FUNCTION tp_invoice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'issued invoice % cannot be deleted', OLD.number
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (NEW.status = 'draft' OR {changed}
      OR NEW.parties::text IS DISTINCT FROM OLD.parties::text) THEN
    RAISE EXCEPTION 'issued invoice % is immutable', OLD.number USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$""")
        op.execute("CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices "
                   "FOR EACH ROW EXECUTE FUNCTION tp_invoice_immutable()")
        op.execute("""
CREATE FUNCTION tp_invoice_line_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_status text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO parent_status FROM invoices WHERE id = NEW.invoice_id;
  ELSE
    SELECT status INTO parent_status FROM invoices WHERE id = OLD.invoice_id;
  END IF;
  IF parent_status IS DISTINCT FROM 'draft' AND parent_status IS NOT NULL THEN
    RAISE EXCEPTION 'lines of an issued invoice are immutable' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""")
        op.execute("CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE "
                   "ON invoice_lines FOR EACH ROW EXECUTE FUNCTION tp_invoice_line_immutable()")
        for table in ("credit_notes", "credit_note_lines"):
            op.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION tp_refuse_change()")
        return
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in (*FIXED, "parties"))
    refuse = "BEGIN SELECT RAISE(ABORT, '{}'); END"
    op.execute("CREATE TRIGGER invoices_immutable_update BEFORE UPDATE ON invoices "
               f"WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR {changed}) "
               + refuse.format("issued invoices are immutable"))
    op.execute("CREATE TRIGGER invoices_immutable_delete BEFORE DELETE ON invoices "
               "WHEN OLD.status <> 'draft' " + refuse.format("issued invoices are immutable"))
    parent = "(SELECT status FROM invoices WHERE id = {}.invoice_id) <> 'draft'"
    for verb, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        op.execute(f"CREATE TRIGGER invoice_lines_immutable_{verb.lower()} BEFORE {verb} "
                   f"ON invoice_lines WHEN {parent.format(row)} "
                   + refuse.format("lines of an issued invoice are immutable"))
    for table in ("credit_notes", "credit_note_lines"):
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       + refuse.format(f"{table} are immutable"))


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS invoices_immutable ON invoices")
        op.execute("DROP TRIGGER IF EXISTS invoice_lines_immutable ON invoice_lines")
        op.execute("DROP TRIGGER IF EXISTS credit_notes_immutable ON credit_notes")
        op.execute("DROP TRIGGER IF EXISTS credit_note_lines_immutable ON credit_note_lines")
        op.execute("DROP FUNCTION IF EXISTS tp_invoice_immutable()")
        op.execute("DROP FUNCTION IF EXISTS tp_invoice_line_immutable()")
        return
    names = ["invoices_immutable_update", "invoices_immutable_delete",
             "invoice_lines_immutable_insert", "invoice_lines_immutable_update",
             "invoice_lines_immutable_delete", "credit_notes_no_update", "credit_notes_no_delete",
             "credit_note_lines_no_update", "credit_note_lines_no_delete"]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('number_counters',
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('next_value', sa.Integer(), nullable=False),
    sa.CheckConstraint('next_value >= 1', name=op.f('ck_number_counters_next_value')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_number_counters_council_id_councils')),
    sa.PrimaryKeyConstraint('council_id', 'kind', 'year', name=op.f('pk_number_counters'))
    )
    op.create_table('invoices',
    sa.Column('issuer_council_id', sa.Uuid(), nullable=False),
    sa.Column('customer_council_id', sa.Uuid(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('vat_category', sa.String(length=1), nullable=False),
    sa.Column('vat_rate_bps', sa.Integer(), nullable=False),
    sa.Column('vat_reason', sa.String(length=300), nullable=True),
    sa.Column('net_pence', sa.Integer(), nullable=False),
    sa.Column('vat_pence', sa.Integer(), nullable=False),
    sa.Column('gross_pence', sa.Integer(), nullable=False),
    sa.Column('credited_net_pence', sa.Integer(), nullable=False),
    sa.Column('credited_vat_pence', sa.Integer(), nullable=False),
    sa.Column('credited_gross_pence', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('issued_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Uuid(), nullable=True),
    sa.Column('parties', sa.JSON(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_reference', sa.String(length=100), nullable=True),
    sa.Column('stripe_payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status = 'draft' OR number IS NOT NULL", name=op.f('ck_invoices_issued_numbered')),
    sa.CheckConstraint("status IN ('draft', 'issued', 'paid', 'credited')", name=op.f('ck_invoices_status')),
    sa.CheckConstraint('credited_gross_pence <= gross_pence', name=op.f('ck_invoices_credit_within_gross')),
    sa.CheckConstraint('gross_pence = net_pence + vat_pence', name=op.f('ck_invoices_gross')),
    sa.CheckConstraint('net_pence >= 0 AND vat_pence >= 0', name=op.f('ck_invoices_amounts')),
    sa.ForeignKeyConstraint(['customer_council_id'], ['councils.id'], name=op.f('fk_invoices_customer_council_id_councils')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_invoices_issued_by_id_users')),
    sa.ForeignKeyConstraint(['issuer_council_id'], ['councils.id'], name=op.f('fk_invoices_issuer_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('issuer_council_id', 'number', name=op.f('uq_invoices_issuer_council_id_number')),
    sa.UniqueConstraint('stripe_payment_intent_id', name=op.f('uq_invoices_stripe_payment_intent_id'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_customer_period', ['customer_council_id', 'period', 'status'], unique=False)
        batch_op.create_index('ix_invoices_issue_date', ['issue_date'], unique=False)
        batch_op.create_index('ix_invoices_issuer_period', ['issuer_council_id', 'period', 'status'], unique=False)

    op.create_table('credit_notes',
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('issuer_council_id', sa.Uuid(), nullable=False),
    sa.Column('customer_council_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('net_pence', sa.Integer(), nullable=False),
    sa.Column('vat_pence', sa.Integer(), nullable=False),
    sa.Column('gross_pence', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('issued_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('gross_pence = net_pence + vat_pence', name=op.f('ck_credit_notes_gross')),
    sa.CheckConstraint('net_pence > 0 AND vat_pence >= 0', name=op.f('ck_credit_notes_amounts')),
    sa.ForeignKeyConstraint(['customer_council_id'], ['councils.id'], name=op.f('fk_credit_notes_customer_council_id_councils')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_credit_notes_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_credit_notes_issued_by_id_users')),
    sa.ForeignKeyConstraint(['issuer_council_id'], ['councils.id'], name=op.f('fk_credit_notes_issuer_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_notes')),
    sa.UniqueConstraint('issuer_council_id', 'number', name=op.f('uq_credit_notes_issuer_council_id_number'))
    )
    with op.batch_alter_table('credit_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_notes_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('invoice_lines',
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Uuid(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=False),
    sa.Column('officer_name', sa.String(length=120), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('purchase_order', sa.String(length=60), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('rate_pence_per_hour', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('vat_category', sa.String(length=1), nullable=False),
    sa.Column('vat_rate_bps', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("vat_category IN ('S', 'Z', 'E', 'O')", name=op.f('ck_invoice_lines_vat_category')),
    sa.CheckConstraint('minutes >= 0 AND amount_pence >= 0 AND rate_pence_per_hour >= 0', name=op.f('ck_invoice_lines_amounts')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_invoice_lines_booking_id_bookings')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_invoice_lines_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_invoice_lines_booking_id'))
    )
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_lines_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('credit_note_lines',
    sa.Column('credit_note_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_line_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('minutes > 0 AND amount_pence >= 0', name=op.f('ck_credit_note_lines_amounts')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_notes.id'], name=op.f('fk_credit_note_lines_credit_note_id_credit_notes')),
    sa.ForeignKeyConstraint(['invoice_line_id'], ['invoice_lines.id'], name=op.f('fk_credit_note_lines_invoice_line_id_invoice_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_note_lines'))
    )
    with op.batch_alter_table('credit_note_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_note_lines_credit_note_id'), ['credit_note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_note_lines_invoice_line_id'), ['invoice_line_id'], unique=False)

    # ### end Alembic commands ###
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('credit_note_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_note_lines_invoice_line_id'))
        batch_op.drop_index(batch_op.f('ix_credit_note_lines_credit_note_id'))

    op.drop_table('credit_note_lines')
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_lines_invoice_id'))

    op.drop_table('invoice_lines')
    with op.batch_alter_table('credit_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_notes_invoice_id'))

    op.drop_table('credit_notes')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_issuer_period')
        batch_op.drop_index('ix_invoices_issue_date')
        batch_op.drop_index('ix_invoices_customer_period')

    op.drop_table('invoices')
    op.drop_table('number_counters')
    # ### end Alembic commands ###
