"""Recharge runs, issuing with gap-free numbers, credit notes, payment, documents.

Amounts follow DESIGN.md rule 2 (integer pence; each line's amount rounded half-up once);
numbers rule 4 (per issuing council and year, allocated from a locked counter row inside the
issuing transaction, so concurrent issues neither collide nor skip and a rollback gives the
number back).
"""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import Select, and_, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.bookings import reads
from app.bookings import service as bookings
from app.bookings.models import Booking
from app.core import clock, money
from app.core.actor import Actor, Role
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.guarded import claimed, guarded
from app.core.pagination import PageParams, keyset_page
from app.councils import service as councils
from app.councils.models import Council, CouncilSettings
from app.invoicing import documents
from app.invoicing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    NumberCounter,
)
from app.notifications import service as notifications

FINANCE_ROLES = (Role.finance, Role.council_admin)
# What an invoice is shown with (InvoiceOut validates from the loaded objects): its lines and
# both councils, loaded with the invoice (the relationships refuse to load lazily).
INVOICE_VIEW = (
    selectinload(Invoice.lines),
    joinedload(Invoice.issuer, innerjoin=True),
    joinedload(Invoice.customer, innerjoin=True),
)
Direction = Literal["outgoing", "incoming"]
DocumentFormat = Literal["pdf", "csv", "ubl"]


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of 'YYYY-MM' (a booking belongs to its week's Monday's month)."""
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _require_finance(actor: Actor) -> uuid.UUID:
    if actor.council_id is None or not actor.has_any(*FINANCE_ROLES):
        raise Forbidden("Only finance officers and council admins handle invoices.")
    return actor.council_id


# --- recharge runs --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Charge:
    """One line to be: a completed booking's time, or a late cancellation's charge."""

    booking: Booking
    kind: str
    minutes: int
    charge_percent: int | None = None


def _charges(session: Session, issuer_id: uuid.UUID, first: date, last: date) -> list[_Charge]:
    """What the issuer has not invoiced yet: completed bookings of the period's weeks, and late
    cancellations' charges of weeks up to its end (each charged once, on the next run)."""
    worked = session.scalars(
        reads.not_referenced_by(
            bookings.completed_in_weeks(issuer_id, first, last), InvoiceLine.booking_id
        )
    )
    late = session.scalars(
        reads.not_referenced_by(
            bookings.late_charges_until(issuer_id, last), InvoiceLine.booking_id
        )
    )
    return [_Charge(b, "time", b.actual_minutes or 0) for b in worked] + [
        _Charge(b, "late_cancellation", b.late_charge_minutes or 0, b.late_charge_percent)
        for b in late
    ]


def _line_row(
    invoice_id: uuid.UUID, position: int, charge: _Charge, category: str, rate_bps: int
) -> dict[str, Any]:
    b = charge.booking
    return {
        "id": uuid.uuid4(),
        "invoice_id": invoice_id,
        "position": position,
        "booking_id": b.id,
        "officer_id": b.officer_id,
        "officer_name": b.officer.display_name,
        "week": b.week,
        "purchase_order": b.purchase_order,
        "minutes": charge.minutes,
        "rate_pence_per_hour": b.rate_pence_per_hour,
        "amount_pence": money.line_amount_pence(charge.minutes, b.rate_pence_per_hour),
        "vat_category": category,
        "vat_rate_bps": rate_bps,
        "kind": charge.kind,
        "booking_reference": b.reference,
        "purpose": b.purpose,
        "charge_percent": charge.charge_percent,
    }


def _drop_drafts(session: Session, issuer_id: uuid.UUID, period: str) -> None:
    """Earlier drafts of the period go (their bookings are free to be drafted again)."""
    old = session.scalars(
        select(Invoice.id).where(
            Invoice.issuer_council_id == issuer_id,
            Invoice.period == period,
            Invoice.status == InvoiceStatus.draft,
        )
    ).all()
    if old:
        session.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id.in_(old)))
        session.execute(delete(Invoice).where(Invoice.id.in_(old)))


def run_recharge(session: Session, actor: Actor, period: str) -> list[Invoice]:
    """One draft per customer council and purchase order (bookings without a PO together),
    for completed, uninvoiced bookings of the period and late cancellations' charges.

    Earlier drafts of the period are rebuilt (their bookings are free again first).
    """
    issuer_id = _require_finance(actor)
    first, last = month_bounds(period)
    if first > clock.today():
        raise InvalidInput(
            f"{first:%B %Y} has not started yet: run the recharge once its weeks are worked.",
            ["body", "period"],
        )
    _drop_drafts(session, issuer_id, period)
    settings = councils.council_settings(session, issuer_id)
    category, rate_bps, reason = documents.vat_treatment_category(
        settings.vat_treatment, settings.vat_rate_bps, settings.vat_reason
    )
    groups: dict[tuple[uuid.UUID, str | None], list[_Charge]] = defaultdict(list)
    for charge in sorted(
        _charges(session, issuer_id, first, last),
        key=lambda c: (c.booking.week_start, c.kind != "time", str(c.booking.id)),
    ):
        groups[(charge.booking.booking_council_id, charge.booking.purchase_order)].append(charge)
    now = clock.now()
    drafts: list[Invoice] = []
    line_rows: list[dict[str, Any]] = []
    for (customer_id, purchase_order), charges in groups.items():
        invoice_id = uuid.uuid4()
        rows = [
            _line_row(invoice_id, position, charge, category, rate_bps)
            for position, charge in enumerate(charges, start=1)
        ]
        net = sum(row["amount_pence"] for row in rows)
        vat = money.vat_pence(net, rate_bps)
        drafts.append(
            Invoice(
                id=invoice_id,
                issuer_council_id=issuer_id,
                customer_council_id=customer_id,
                period=period,
                purchase_order=purchase_order,
                status=InvoiceStatus.draft,
                vat_category=category,
                vat_rate_bps=rate_bps,
                vat_reason=reason,
                net_pence=net,
                vat_pence=vat,
                gross_pence=net + vat,
                created_at=now,
                updated_at=now,
            )
        )
        line_rows.extend(rows)
    session.add_all(drafts)
    session.flush()
    if line_rows:
        session.execute(insert(InvoiceLine), line_rows)
    audit.record(
        session,
        actor,
        "invoice_run.create",
        "council",
        issuer_id,
        issuer_id,
        f"Recharge run for {period}: {len(drafts)} draft invoices, {len(line_rows)} lines",
        {"period": period, "drafts": len(drafts)},
    )
    return _reloaded(session, drafts)


def _reloaded(session: Session, drafts: list[Invoice]) -> list[Invoice]:
    """The drafts with their lines, which went in through Core: loaded afresh."""
    if not drafts:
        return []
    for draft in drafts:
        session.expunge(draft)
    stmt = (
        select(Invoice)
        .where(Invoice.id.in_([d.id for d in drafts]))
        .options(*INVOICE_VIEW)
        .order_by(Invoice.customer_council_id, Invoice.purchase_order)
    )
    return list(session.scalars(stmt))


# --- reading ----------------------------------------------------------------------------------


def _load(session: Session, invoice_id: uuid.UUID) -> Invoice | None:
    stmt = (
        select(Invoice)
        .where(Invoice.id == invoice_id)
        .options(*INVOICE_VIEW)
        .execution_options(populate_existing=True)
    )
    return session.scalar(stmt)


def readable_invoices(actor: Actor) -> Select[Invoice]:
    """The invoices `actor`'s council may see, as one statement used by list and get alike:
    all it issued, drafts included, and those issued to it; platform admins see every one.
    Roles are checked apart (403), so a colleague outside finance is told why."""
    stmt = select(Invoice).options(*INVOICE_VIEW)
    if actor.is_platform_admin:
        return stmt
    return stmt.where(
        or_(
            Invoice.issuer_council_id == actor.council_id,
            and_(
                Invoice.customer_council_id == actor.council_id,
                Invoice.status != InvoiceStatus.draft,
            ),
        )
    )


def readable_credit_notes(actor: Actor) -> Select[CreditNote]:
    """The credit notes `actor`'s council may see, as one statement used by list and get alike:
    those it issued and those issued to it (a credit note is issued when made, so both sides
    see it, as they see the issued invoice it credits); platform admins see every one."""
    stmt = select(CreditNote).options(selectinload(CreditNote.lines))
    if actor.is_platform_admin:
        return stmt
    return stmt.where(
        or_(
            CreditNote.issuer_council_id == actor.council_id,
            CreditNote.customer_council_id == actor.council_id,
        )
    )


def get_invoice(session: Session, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    """The issuer's finance see all their invoices; the customer's see issued ones (read only)."""
    stmt = readable_invoices(actor).where(Invoice.id == invoice_id)
    invoice = session.scalar(stmt.execution_options(populate_existing=True))
    if invoice is None:
        raise NotFound("No such invoice.")
    if not actor.is_platform_admin and not actor.has_any(*FINANCE_ROLES):
        raise Forbidden("Only finance officers and council admins see invoices.")
    return invoice


def _as_issuer(session: Session, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    invoice = get_invoice(session, actor, invoice_id)
    if actor.council_id != invoice.issuer_council_id:
        raise Forbidden("Only the issuing council's finance team can do that.")
    return invoice


def list_invoices(
    session: Session,
    actor: Actor,
    direction: Direction,
    status: str | None,
    period: str | None,
    params: PageParams,
) -> tuple[list[Invoice], str | None]:
    council_id = _require_finance(actor)
    stmt = readable_invoices(actor)
    if direction == "outgoing":
        stmt = stmt.where(Invoice.issuer_council_id == council_id)
    else:
        stmt = stmt.where(Invoice.customer_council_id == council_id)
    if status:
        stmt = stmt.where(Invoice.status == status)
    if period:
        stmt = stmt.where(Invoice.period == period)
    return keyset_page(session, stmt, [Invoice.created_at, Invoice.id], params, descending=True)


def credit_notes_of(session: Session, actor: Actor, invoice_id: uuid.UUID) -> list[CreditNote]:
    """The credit notes of an invoice the actor may read, oldest first."""
    stmt = (
        readable_credit_notes(actor)
        .where(CreditNote.invoice_id == invoice_id)
        .order_by(CreditNote.issued_at, CreditNote.id)
    )
    return list(session.scalars(stmt))


def get_credit_note(session: Session, actor: Actor, credit_note_id: uuid.UUID) -> CreditNote:
    """A credit note the actor may read (as `get_invoice`: finance and admins only)."""
    note = session.scalar(readable_credit_notes(actor).where(CreditNote.id == credit_note_id))
    if note is None:
        raise NotFound("No such credit note.")
    if not actor.is_platform_admin and not actor.has_any(*FINANCE_ROLES):
        raise Forbidden("Only finance officers and council admins see invoices.")
    return note


# --- numbering ------------------------------------------------------------------------------


def _next_number(session: Session, council_id: uuid.UUID, kind: str, year: int) -> int:
    """Take the next number from the locked counter row (created on first use)."""
    values = {"council_id": council_id, "kind": kind, "year": year, "next_value": 1}
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(NumberCounter)
    session.execute(statement.values(**values).on_conflict_do_nothing())
    [taken] = guarded(
        session,
        update(NumberCounter)
        .where(
            NumberCounter.council_id == council_id,
            NumberCounter.kind == kind,
            NumberCounter.year == year,
        )
        .values(next_value=NumberCounter.next_value + 1)
        .returning(NumberCounter.next_value),
        conflict="The number counter is missing. Try again.",
    )
    return int(taken.next_value) - 1


def _party(council: Council, settings: CouncilSettings) -> dict[str, Any]:
    """A council as printed on an invoice, kept with it when it is issued (never re-read)."""
    return {
        "name": council.name,
        "code": council.code,
        "gss_code": council.gss_code,
        "address_lines": list(settings.address_lines or []),
        "town": settings.town,
        "postcode": settings.postcode,
        "nation": council.nation,
        "vat_number": settings.vat_number,
        "contact_email": settings.finance_email,
    }


def _payee(settings: CouncilSettings) -> dict[str, Any]:
    """How to pay the issuer, kept with the invoice when it is issued."""
    return {
        "account_name": settings.bank_account_name,
        "sort_code": settings.bank_sort_code,
        "account_number": settings.bank_account_number,
        "remittance_email": settings.remittance_email,
        "payment_terms_days": settings.payment_terms_days,
    }


def _require_bank_details(council: Council, settings: CouncilSettings) -> None:
    missing = settings.missing_bank_details
    if missing:
        raise Conflict(
            f"{council.name} cannot issue invoices until its bank details are filled in: "
            f"add the {', '.join(missing)} in Council settings, under Payments, so that the "
            "invoice tells the customer how to pay."
        )


# --- issuing, paying, crediting ------------------------------------------------------------


def issue(session: Session, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    invoice = _as_issuer(session, actor, invoice_id)
    if invoice.status != InvoiceStatus.draft:
        raise Conflict(f"Invoice {invoice.number} is already issued.")
    if not invoice.lines:
        raise Conflict("An invoice needs at least one line.")
    today = clock.today()
    issuer = councils.get_council(session, invoice.issuer_council_id)
    customer = councils.get_council(session, invoice.customer_council_id)
    issuer_settings = councils.council_settings(session, issuer.id)
    customer_settings = councils.council_settings(session, customer.id)
    _require_bank_details(issuer, issuer_settings)
    sequence = _next_number(session, issuer.id, "invoice", today.year)
    number = f"{issuer.code}-{today.year}-{sequence:06d}"
    guarded(
        session,
        update(Invoice)
        .where(Invoice.id == invoice.id, Invoice.status == InvoiceStatus.draft)
        .values(
            status=InvoiceStatus.issued,
            number=number,
            issue_date=today,
            due_date=today + timedelta(days=issuer_settings.payment_terms_days),
            issued_at=clock.now(),
            issued_by_id=actor.user_id,
            updated_at=clock.now(),
            parties={
                "seller": _party(issuer, issuer_settings),
                "buyer": _party(customer, customer_settings),
                "payee": _payee(issuer_settings),
            },
        )
        .execution_options(synchronize_session=False),
        conflict="This invoice was issued or rebuilt at the same time. Reload.",
    )
    bookings.mark_invoiced(
        session, [line.booking_id for line in invoice.lines if line.kind == "time"]
    )
    invoice = _load(session, invoice.id)  # type: ignore[assignment]
    for council_id in (issuer.id, customer.id):
        audit.record(
            session,
            actor,
            "invoice.issue",
            "invoice",
            invoice.id,
            council_id,
            f"Invoice {number} issued by {issuer.name} to {customer.name}: "
            f"{money.format_pounds(invoice.gross_pence, symbol=True)}",
        )
    if customer_settings.finance_email:
        notifications.queue_email(
            session,
            customer_settings.finance_email,
            f"Invoice {number} from {issuer.name}",
            f"{issuer.name} has issued invoice {number} for "
            f"{money.format_pounds(invoice.gross_pence, symbol=True)}, due on "
            f"{invoice.due_date:%d %B %Y}. It is in the Talent Pool under Invoices.",
            dedupe_key=f"invoice-issued:{invoice.id}",
            link=f"/invoices/{invoice.id}",
            kind="invoice",
        )
    return invoice


def mark_paid(
    session: Session, actor: Actor, invoice_id: uuid.UUID, reference: str, paid_on: date
) -> Invoice:
    invoice = _as_issuer(session, actor, invoice_id)
    if paid_on > clock.today():
        raise InvalidInput("The payment date cannot be in the future.", ["body", "paid_on"])
    if invoice.issue_date and paid_on < invoice.issue_date:
        raise InvalidInput(
            "The payment date is before the invoice was issued.", ["body", "paid_on"]
        )
    _paid(session, invoice, reference, paid_on)
    for council_id in (invoice.issuer_council_id, invoice.customer_council_id):
        audit.record(
            session,
            actor,
            "invoice.paid",
            "invoice",
            invoice.id,
            council_id,
            f"Invoice {invoice.number} marked paid ({reference}, {paid_on})",
        )
    return invoice


def _paid(session: Session, invoice: Invoice, reference: str, paid_on: date) -> None:
    if invoice.status != InvoiceStatus.issued:
        raise Conflict(
            f"Invoice {invoice.number or '(draft)'} is {invoice.status}, so it "
            "cannot be marked paid."
        )
    guarded(
        session,
        update(Invoice)
        .where(Invoice.id == invoice.id, Invoice.status == InvoiceStatus.issued)
        .values(
            status=InvoiceStatus.paid,
            paid_on=paid_on,
            payment_reference=reference,
            updated_at=clock.now(),
        )
        .execution_options(synchronize_session=False),
        conflict="This invoice changed at the same time. Reload.",
    )
    session.refresh(invoice)


def paid_by_stripe(
    session: Session, invoice_id: uuid.UUID, payment_intent_id: str, amount_pence: int
) -> None:
    """A `payment_intent.succeeded` for our invoice: paid, if it is the right one and amount."""
    invoice = _load(session, invoice_id)
    if invoice is None or invoice.stripe_payment_intent_id != payment_intent_id:
        return
    if (
        invoice.status != InvoiceStatus.issued
        or amount_pence != invoice.gross_pence - invoice.credited_gross_pence
    ):
        return
    _paid(session, invoice, payment_intent_id, clock.today())
    for council_id in (invoice.issuer_council_id, invoice.customer_council_id):
        audit.record(
            session,
            None,
            "invoice.paid",
            "invoice",
            invoice.id,
            council_id,
            f"Invoice {invoice.number} paid by card through Stripe ({payment_intent_id})",
        )


@dataclass(frozen=True)
class CreditRequest:
    booking_id: uuid.UUID
    minutes: int


def credit(
    session: Session,
    actor: Actor,
    invoice_id: uuid.UUID,
    requests: Sequence[CreditRequest],
    reason: str,
) -> CreditNote:
    """A credit note for some (or, with no lines given, all) of what is left to credit."""
    invoice = _as_issuer(session, actor, invoice_id)
    if invoice.status not in (InvoiceStatus.issued, InvoiceStatus.paid):
        raise Conflict(
            f"Invoice {invoice.number or '(draft)'} is {invoice.status}: only issued "
            "or paid invoices are credited."
        )
    credited = _credited_by_line(session, invoice.id)
    wanted = _wanted(invoice, credited, requests)
    note_lines = [
        CreditNoteLine(
            invoice_line_id=line.id,
            position=position,
            minutes=minutes,
            amount_pence=_credit_amount(line, credited[line.id], minutes),
        )
        for position, (line, minutes) in enumerate(wanted, start=1)
    ]
    net = sum(line.amount_pence for line in note_lines)
    vat = _credit_vat(invoice, net)
    if net <= 0:
        raise InvalidInput("A credit note must credit something.", ["body", "lines"])
    today = clock.today()
    issuer = councils.get_council(session, invoice.issuer_council_id)
    sequence = _next_number(session, issuer.id, "credit_note", today.year)
    note = CreditNote(
        invoice_id=invoice.id,
        issuer_council_id=invoice.issuer_council_id,
        customer_council_id=invoice.customer_council_id,
        number=f"{issuer.code}-CN-{today.year}-{sequence:06d}",
        reason=reason,
        net_pence=net,
        vat_pence=vat,
        gross_pence=net + vat,
        issue_date=today,
        issued_by_id=actor.user_id,
    )
    note.lines = note_lines
    session.add(note)
    fully = invoice.credited_net_pence + net == invoice.net_pence
    guarded(
        session,
        update(Invoice)
        .where(
            Invoice.id == invoice.id,
            Invoice.status.in_((InvoiceStatus.issued, InvoiceStatus.paid)),
            Invoice.credited_net_pence == invoice.credited_net_pence,
        )
        .values(
            credited_net_pence=Invoice.credited_net_pence + net,
            credited_vat_pence=Invoice.credited_vat_pence + vat,
            credited_gross_pence=Invoice.credited_gross_pence + net + vat,
            status=InvoiceStatus.credited if fully else Invoice.status,
            updated_at=clock.now(),
        )
        .execution_options(synchronize_session=False),
        conflict="Another credit note for this invoice was issued at the same time. Reload.",
    )
    session.flush()
    for council_id in (invoice.issuer_council_id, invoice.customer_council_id):
        audit.record(
            session,
            actor,
            "credit_note.issue",
            "invoice",
            invoice.id,
            council_id,
            f"Credit note {note.number} for "
            f"{money.format_pounds(note.gross_pence, symbol=True)} against "
            f"{invoice.number}: {reason}",
        )
    return note


def _wanted(
    invoice: Invoice,
    credited: dict[uuid.UUID, tuple[int, int]],
    requests: Sequence[CreditRequest],
) -> list[tuple[InvoiceLine, int]]:
    """(line, minutes) to credit: those asked for, each line once and never more than is left;
    with none asked for, everything left."""
    left = {line.id: line.minutes - credited[line.id][0] for line in invoice.lines}
    if not requests:
        wanted = [(line, left[line.id]) for line in invoice.lines if left[line.id] > 0]
        if not wanted:
            raise Conflict("Everything on this invoice has been credited already.")
        return wanted
    lines = {line.booking_id: line for line in invoice.lines}
    wanted, seen = [], set()
    for index, request in enumerate(requests):
        line = lines.get(request.booking_id)
        if line is None or line.id in seen:
            raise InvalidInput(
                "That booking is not on this invoice."
                if line is None
                else "That booking is already on this credit note: give each line once.",
                ["body", "lines", index, "booking_id"],
            )
        seen.add(line.id)
        if request.minutes > left[line.id]:
            raise InvalidInput(
                f"Only {left[line.id]} minutes of this line are left to credit.",
                ["body", "lines", index, "minutes"],
            )
        wanted.append((line, request.minutes))
    return wanted


def _credit_amount(line: InvoiceLine, done: tuple[int, int], minutes: int) -> int:
    """What crediting `minutes` more of a line is worth: the running total credited stays the
    line's amount for the minutes credited so far, rounded once (so each part is within a penny
    of minutes x rate, and the last part brings the total to the line's amount exactly)."""
    done_minutes, done_amount = done
    if done_minutes + minutes == line.minutes:
        return line.amount_pence - done_amount
    total = money.line_amount_pence(done_minutes + minutes, line.rate_pence_per_hour)
    return min(total, line.amount_pence) - done_amount


def _credit_vat(invoice: Invoice, net: int) -> int:
    """A credit note's VAT, likewise: the VAT credited so far is the VAT of the net credited so
    far, rounded once. Each note is then within a penny of its own net x rate (BR-CO-17's
    tolerance), and the credit that completes the invoice completes its VAT exactly."""
    credited_net = invoice.credited_net_pence + net
    if credited_net == invoice.net_pence:
        return invoice.vat_pence - invoice.credited_vat_pence
    total = min(money.vat_pence(credited_net, invoice.vat_rate_bps), invoice.vat_pence)
    return max(total - invoice.credited_vat_pence, 0)


def _credited_by_line(session: Session, invoice_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, int]]:
    """(minutes, pence) already credited per invoice line."""
    totals: dict[uuid.UUID, tuple[int, int]] = defaultdict(lambda: (0, 0))
    stmt = (
        select(CreditNoteLine.invoice_line_id, CreditNoteLine.minutes, CreditNoteLine.amount_pence)
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice_id)
    )
    for line_id, minutes, amount in session.execute(stmt):
        done = totals[line_id]
        totals[line_id] = (done[0] + minutes, done[1] + amount)
    return totals


# --- documents ------------------------------------------------------------------------------


def _document_party(data: dict[str, Any]) -> documents.Party:
    return documents.Party(
        name=data["name"],
        code=data["code"],
        gss_code=data.get("gss_code"),
        address_lines=tuple(data.get("address_lines") or ()),
        town=data.get("town"),
        postcode=data.get("postcode"),
        country_subentity=data.get("nation"),
        vat_number=data.get("vat_number"),
        contact_email=data.get("contact_email"),
    )


def _payment(parties: dict[str, Any], reference: str) -> documents.PaymentDetails:
    """How to pay, as kept with the invoice when it was issued."""
    payee = parties.get("payee") or {}
    return documents.PaymentDetails(
        payee_name=payee.get("account_name") or parties["seller"]["name"],
        account_reference=reference,
        sort_code=payee.get("sort_code"),
        account_number=payee.get("account_number"),
        remittance_email=payee.get("remittance_email"),
    )


def _document_line(
    invoice: Invoice, line: InvoiceLine, minutes: int, amount_pence: int
) -> documents.DocumentLine:
    """A line as stored: its amount is never computed here."""
    return documents.DocumentLine(
        booking_reference=line.printed_booking_reference,
        officer_name=line.officer_name,
        week=line.week,
        purchase_order=line.purchase_order,
        minutes=minutes,
        rate_pence_per_hour=line.rate_pence_per_hour,
        amount_pence=amount_pence,
        vat_category=line.vat_category,  # type: ignore[arg-type]
        vat_rate_bps=line.vat_rate_bps,
        exemption_reason=invoice.vat_reason if line.vat_category != "S" else None,
        purpose=line.purpose or None,
        kind=line.kind,  # type: ignore[arg-type]
        charge_percent=line.charge_percent,
    )


def invoice_document(invoice: Invoice) -> documents.InvoiceDocument:
    """An issued invoice as stored: its lines, amounts, VAT and parties (rule 10)."""
    if invoice.status == InvoiceStatus.draft or invoice.parties is None or invoice.number is None:
        raise Conflict("A draft has no document yet: issue it first.")
    assert invoice.issue_date is not None
    payee = invoice.parties.get("payee") or {}
    return documents.build_document(
        kind="invoice",
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        period=invoice.period,
        seller=_document_party(invoice.parties["seller"]),
        buyer=_document_party(invoice.parties["buyer"]),
        lines=[
            _document_line(invoice, line, line.minutes, line.amount_pence) for line in invoice.lines
        ],
        payment=_payment(invoice.parties, invoice.number),
        payment_terms_days=payee.get("payment_terms_days"),
        vat_pence=invoice.vat_pence,
        tax_point=invoice.issue_date,
        purchase_order=invoice.purchase_order,
    )


def render(
    session: Session, actor: Actor, invoice_id: uuid.UUID, fmt: DocumentFormat
) -> tuple[bytes, str, str]:
    """(content, media type, file name) of an issued invoice in one of the three formats."""
    invoice = get_invoice(session, actor, invoice_id)
    return _rendered(invoice_document(invoice), fmt)


def render_credit_note(
    session: Session, actor: Actor, credit_note_id: uuid.UUID, fmt: DocumentFormat
) -> tuple[bytes, str, str]:
    """A credit note in one of the three formats, for whoever may see its invoice."""
    note = get_credit_note(session, actor, credit_note_id)
    invoice = get_invoice(session, actor, note.invoice_id)
    return _rendered(credit_note_document(invoice, note), fmt)


def credit_note_document(invoice: Invoice, note: CreditNote) -> documents.InvoiceDocument:
    """The credit note's own lines and amounts, as stored; it refers to its invoice."""
    original = invoice_document(invoice)
    lines_by_id = {line.id: line for line in invoice.lines}
    assert invoice.parties is not None
    return documents.build_document(
        kind="credit_note",
        number=note.number,
        issue_date=note.issue_date,
        due_date=None,
        period=invoice.period,
        seller=original.seller,
        buyer=original.buyer,
        lines=[
            _document_line(
                invoice, lines_by_id[part.invoice_line_id], part.minutes, part.amount_pence
            )
            for part in note.lines
        ],
        referenced_invoice_number=original.number,
        referenced_invoice_issue_date=original.issue_date,
        payment=_payment(invoice.parties, note.number),
        notes=(note.reason,),
        vat_pence=note.vat_pence,
        tax_point=note.issue_date,
        purchase_order=invoice.purchase_order,
    )


def _rendered(doc: documents.InvoiceDocument, fmt: DocumentFormat) -> tuple[bytes, str, str]:
    name = doc.number
    if fmt == "pdf":
        return documents.render_pdf(doc), "application/pdf", f"{name}.pdf"
    if fmt == "csv":
        return documents.render_csv(doc).encode(), "text/csv; charset=utf-8", f"{name}.csv"
    return documents.render_ubl(doc), "application/xml", f"{name}.xml"


# --- paying by card (app/payments calls these around its Stripe calls) ----------------------


@dataclass(frozen=True)
class CardPaymentDue:
    """What the paying council owes on an issued invoice, for a card payment."""

    invoice_id: uuid.UUID
    number: str
    issuer_council_id: uuid.UUID
    customer_council_id: uuid.UUID
    amount_pence: int
    description: str
    # The PaymentIntent made for it before, if any: a retry reuses it.
    payment_intent_id: str | None


def card_payment_due(session: Session, actor: Actor, invoice_id: uuid.UUID) -> CardPaymentDue:
    """The outstanding gross of an issued invoice, for the paying council's finance team, when
    the issuer takes card payments. Others of either council: 403; anyone else: 404."""
    invoice = get_invoice(session, actor, invoice_id)
    if actor.council_id != invoice.customer_council_id:
        raise Forbidden("Only the paying council's finance team pays an invoice by card.")
    issuer = councils.get_council(session, invoice.issuer_council_id)
    if not councils.council_settings(session, issuer.id).stripe_enabled:
        raise Conflict(
            f"{issuer.name} does not take card payments: pay by bank transfer quoting "
            f"{invoice.number}."
        )
    if invoice.status != InvoiceStatus.issued:
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}: there is nothing to pay.")
    amount = invoice.gross_pence - invoice.credited_gross_pence
    if amount <= 0:
        raise Conflict(f"Nothing is left to pay on invoice {invoice.number}.")
    assert invoice.number is not None
    return CardPaymentDue(
        invoice_id=invoice.id,
        number=invoice.number,
        issuer_council_id=issuer.id,
        customer_council_id=invoice.customer_council_id,
        amount_pence=amount,
        description=f"{invoice.number} from {issuer.name}, {invoice.period}",
        payment_intent_id=invoice.stripe_payment_intent_id,
    )


def attach_payment_intent(
    session: Session, actor: Actor, invoice_id: uuid.UUID, payment_intent_id: str
) -> str:
    """Keep the PaymentIntent made for an issued invoice; the first one kept stays.

    Returns the id kept: this one, or one kept by a concurrent request (whose PaymentIntent the
    caller should then use). 409 when the invoice is no longer issued.
    """
    if claimed(
        session,
        update(Invoice)
        .where(
            Invoice.id == invoice_id,
            Invoice.status == InvoiceStatus.issued,
            Invoice.stripe_payment_intent_id.is_(None),
        )
        .values(stripe_payment_intent_id=payment_intent_id, updated_at=clock.now())
        .execution_options(synchronize_session=False),
    ):
        row = session.execute(
            select(Invoice.number, Invoice.issuer_council_id, Invoice.customer_council_id).where(
                Invoice.id == invoice_id
            )
        ).one()
        for council_id in (row.issuer_council_id, row.customer_council_id):
            audit.record(
                session,
                actor,
                "invoice.card_payment",
                "invoice",
                invoice_id,
                council_id,
                f"{actor.name} started paying invoice {row.number} by card "
                f"(Stripe {payment_intent_id})",
            )
        return payment_intent_id
    status, kept = session.execute(
        select(Invoice.status, Invoice.stripe_payment_intent_id).where(Invoice.id == invoice_id)
    ).one()
    if kept is not None:
        return str(kept)
    raise Conflict(f"This invoice is {status} now: there is nothing to pay. Reload.")


# --- net settlement (app/settlements calls this when the payee confirms) --------------------


def mark_paid_by_settlement(
    session: Session,
    actor: Actor,
    invoice_ids: Sequence[uuid.UUID],
    reference: str,
    paid_on: date,
) -> None:
    """Every invoice a confirmed net settlement covers becomes paid, with its reference, all or
    none: 409 when any of them is no longer issued."""
    if not invoice_ids:
        return
    result = session.execute(
        update(Invoice)
        .where(Invoice.id.in_(invoice_ids), Invoice.status == InvoiceStatus.issued)
        .values(
            status=InvoiceStatus.paid,
            paid_on=paid_on,
            payment_reference=reference,
            updated_at=clock.now(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(invoice_ids):  # type: ignore[attr-defined]
        raise Conflict("An invoice this settlement covers was paid or changed meanwhile. Reload.")
    rows = session.execute(
        select(
            Invoice.id, Invoice.number, Invoice.issuer_council_id, Invoice.customer_council_id
        ).where(Invoice.id.in_(invoice_ids))
    )
    for invoice_id, number, issuer_id, customer_id in rows:
        for council_id in (issuer_id, customer_id):
            audit.record(
                session,
                actor,
                "invoice.paid",
                "invoice",
                invoice_id,
                council_id,
                f"Invoice {number} paid by net settlement {reference} ({paid_on})",
            )
