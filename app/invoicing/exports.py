"""Finance exports: the ledger CSV of invoices and credit notes, and the payroll CSV.

Both are CSV (RFC 4180, CRLF line ends, a header row, UTF-8). Dates are ISO 8601
(`2027-01-06`), amounts plain decimals in pounds with two places and no thousands separator
(`1234.50`, `-87.25`), and every text cell goes through `app.core.csvsafe.safe_cell`, so a name
or purchase order beginning with `=`, `+`, `-` or `@` arrives as text (prefixed with `'`), never
as a spreadsheet formula. Amounts are written as numbers and never altered.

Ledger export: `GET /api/v1/exports/invoices.csv?direction=&from=&to=`
----------------------------------------------------------------------
The exporting council's issued, paid and credited invoices, and its credit notes, whose issue
date lies between `from` and `to` (both included; by default from the first day of last month
to today): `direction=outgoing` (the default) those it issued (sales ledger), `incoming` those
issued to it (purchase ledger), `both` either. One row per invoice
line and per credit-note line, documents in order of issue date, invoices before credit notes
on a day, then in order of issue (so one issuer's numbers ascend), lines in their order on the
document. The columns, in this order (`LEDGER_COLUMNS`):

==========================  =====================================================================
batch_id                    one id per export (also in the `X-Export-Batch-Id` header)
document_type               `invoice` or `credit_note`
document_number             e.g. `WBK-2027-000042`, `WBK-CN-2027-000003`
issue_date                  ISO date
due_date                    ISO date; empty for credit notes
currency                    `GBP`
issuer_code                 the issuing council's code, as printed on the document
issuer_gss_code             its GSS (ONS) code, if known
issuer_vat_number           its VAT number, if any
customer_code               the paying council's code
customer_gss_code           its GSS code, if known
customer_vat_number         its VAT number, if any
customer_account_reference  the customer's account in the issuer's ledger: its council code
purchase_order              the booking council's PO number, if given
booking_id                  the booking the line recharges (UUID)
officer_id                  the officer (UUID)
officer_name                the officer's name as printed on the invoice
week                        ISO week worked, e.g. `2026-W50`
minutes                     minutes charged (credited, for a credit note: always positive)
rate                        pounds per hour, two places
net                         the line's amount, two places; negative for credit notes
vat_code                    `S` standard, `Z` zero, `E` exempt, `O` outside the scope
vat_rate                    percent, two places (`20.00`; `0.00` unless standard)
vat_amount                  the line's share of the document's VAT (see below); negative for
                            credit notes
gross                       net + vat_amount; negative for credit notes
status                      the invoice's status (`issued`, `paid`, `credited`); `issued` for a
                            credit note (credit notes never change)
ledger_code                 the exporting council's ledger code (council settings), if set
cost_centre                 the exporting council's cost centre, if set
subjective_code             the exporting council's subjective code, if set
booking_reference           the booking's reference as printed on the document (e.g.
                            `WBK-0042`); last, so importers reading by position are unchanged
==========================  =====================================================================

VAT is charged on a document's total (EN 16931 BR-CO-17: per VAT category, rounded once), not
per line, so lines have no VAT of their own. The export gives each line a share of the
document's VAT by the largest-remainder method: each line gets `floor(VAT * net_i / net)` pence,
and the pennies left over go, one each, to the lines with the largest remainders (earlier lines
first on a tie). So `vat_amount` adds up exactly to the document's VAT, each share is within a
penny of the exact proportion, and `gross` adds up to the document's gross.

The last row is a control total: `batch_id`, `document_type` = `CONTROL`, `document_number` = the
number of line rows above it, `currency` = `GBP`, and `net`, `vat_amount` and `gross` = the sums
of those columns; every other cell is empty. A ledger import can check the file is complete:
a download cut short (the export streams, so an error after the first bytes can only end it
early) has no CONTROL row.

The export streams (`ledger_rows`, a generator the route hands to a StreamingResponse): document
headers are read `HEADER_WINDOW` at a time by keyset (issue date, kind, issue time, id), then
their lines about `LINE_WINDOW` at a time (whole documents, since a line's VAT share depends on
its document), each read in a short transaction of its own (`BEGIN DEFERRED` on SQLite) that
ends before the CSV is yielded. Nothing holds a transaction open while a slow client reads, and
memory stays flat whatever the range: a year of 250,000 lines peaks at about 10 MB.

Payroll export: `GET /api/v1/exports/payroll.csv?period=YYYY-MM`
---------------------------------------------------------------
For the home (lending) council's payroll, which may pay officers overtime for hours lent: one
row per officer with completed or invoiced bookings whose week's Monday falls in the month,
officers by name; `period` defaults to last month. Columns (`PAYROLL_COLUMNS`):

==================  ==========================================================================
record_type         `officer`, or `TOTAL` on the last row
period              the month, `YYYY-MM`
officer_name        the officer's current display name
officer_id          the officer (UUID)
payroll_reference   the officer's payroll number: none is held yet, so always empty
completed_hours     actual hours worked, two places (minutes / 60, rounded half-up)
completed_minutes   actual minutes worked (exact)
booking_count       how many bookings
booking_references  the bookings' references (e.g. `WBK-0042`), joined by `;`, in week order
booking_councils    the booking councils' names, joined by `;`, each once, in first-seen order
==================  ==========================================================================

The `TOTAL` row has the period and the sums of `completed_hours` (from the total minutes),
`completed_minutes` and `booking_count`; its other cells are empty.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from sqlalchemy import Select, String, bindparam, func, or_, select, true, tuple_, type_coerce
from sqlalchemy.orm import Session

from app.bookings import reads as bookings
from app.core import clock, money
from app.core.actor import Actor, Role
from app.core.csvsafe import CsvValue, cell, csv_row
from app.core.errors import Forbidden, InvalidInput
from app.councils import service as councils
from app.invoicing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    legacy_booking_reference,
)
from app.invoicing.service import month_bounds
from app.officers import service as officers

ExportDirection = Literal["outgoing", "incoming", "both"]
SessionFactory = Callable[[], Session]

FINANCE_ROLES = (Role.finance, Role.council_admin)
CURRENCY = "GBP"
CONTROL = "CONTROL"
# Documents read per kind per window, and the lines a window aims at (a window always takes at
# least one whole document, so one very long document is read on its own).
HEADER_WINDOW = 200
LINE_WINDOW = 5_000

LEDGER_COLUMNS = (
    "batch_id",
    "document_type",
    "document_number",
    "issue_date",
    "due_date",
    "currency",
    "issuer_code",
    "issuer_gss_code",
    "issuer_vat_number",
    "customer_code",
    "customer_gss_code",
    "customer_vat_number",
    "customer_account_reference",
    "purchase_order",
    "booking_id",
    "officer_id",
    "officer_name",
    "week",
    "minutes",
    "rate",
    "net",
    "vat_code",
    "vat_rate",
    "vat_amount",
    "gross",
    "status",
    "ledger_code",
    "cost_centre",
    "subjective_code",
    "booking_reference",
)

PAYROLL_COLUMNS = (
    "record_type",
    "period",
    "officer_name",
    "officer_id",
    "payroll_reference",
    "completed_hours",
    "completed_minutes",
    "booking_count",
    "booking_references",
    "booking_councils",
)

_HUNDREDTH = Decimal("0.01")


def _require_finance(actor: Actor) -> uuid.UUID:
    if actor.council_id is None or not actor.has_any(*FINANCE_ROLES):
        raise Forbidden("Only finance officers and council admins export invoices and payroll.")
    return actor.council_id


def _rows_text(rows: Sequence[Sequence[CsvValue]]) -> str:
    """Many records at once: the same cells as `csv_row` (text through `safe_cell`), written
    by one writer instead of one per record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _cells_text(rows: Sequence[Sequence[str]]) -> str:
    """Records whose cells are made already (by `cell`), written by one writer."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def vat_shares(vat_pence: int, amounts: Sequence[int]) -> list[int]:
    """The document's VAT split over its lines in proportion to their amounts, by largest
    remainder: the shares add up to `vat_pence` exactly, and each is within a penny of
    `vat_pence * amount / sum(amounts)`. Ties go to the earlier line.

    >>> vat_shares(1000, [1666, 1666, 1666])
    [334, 333, 333]
    """
    net = sum(amounts)
    if net <= 0:
        if vat_pence:
            raise ValueError("VAT on a document whose lines add up to nothing")
        return [0] * len(amounts)
    shares: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, amount in enumerate(amounts):
        share, remainder = divmod(vat_pence * amount, net)
        shares.append(share)
        remainders.append((-remainder, index))
    left = vat_pence - sum(shares)
    for _, index in sorted(remainders)[:left]:
        shares[index] += 1
    return shares


# --- the ledger export -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    """Where a document sits in the export's order."""

    issue_date: date
    rank: int  # 0 invoice, 1 credit note
    issued_at: datetime
    id: uuid.UUID


@dataclass
class _Document:
    key: _Key
    kind: str
    number: str
    due_date: date | None
    status: str
    vat_pence: int
    parties: dict[str, Any]
    line_count: int
    lines: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class LedgerExport:
    """An authorised ledger export, ready to stream."""

    council_id: uuid.UUID
    council_code: str
    direction: ExportDirection
    first: date
    last: date
    coding: tuple[str | None, str | None, str | None]  # ledger code, cost centre, subjective
    batch_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def filename(self) -> str:
        return (
            f"invoices-{self.council_code}-{self.direction}-"
            f"{self.first.isoformat()}-{self.last.isoformat()}.csv"
        )

    def stream(self, sessions: SessionFactory) -> Iterator[str]:
        return ledger_rows(sessions, self)


def last_month() -> str:
    """The month before today's, `YYYY-MM`: what finance usually exports."""
    first_of_this = clock.today().replace(day=1)
    return (first_of_this - timedelta(days=1)).strftime("%Y-%m")


def ledger_export(
    session: Session,
    actor: Actor,
    direction: ExportDirection,
    first: date | None,
    last: date | None,
) -> LedgerExport:
    """Check the actor may export and the dates make sense; nothing is read from the ledger yet
    (that happens while the response streams, in sessions of its own). Without dates: from the
    first day of last month to today."""
    council_id = _require_finance(actor)
    if first is None:
        first = month_bounds(last_month())[0]
    if last is None:
        last = clock.today()
    if direction not in ("outgoing", "incoming", "both"):
        raise InvalidInput("direction is outgoing, incoming or both.", ["query", "direction"])
    if first > last:
        raise InvalidInput("The start date is after the end date.", ["query", "to"])
    council = councils.get_council(session, council_id)
    settings = councils.council_settings(session, council_id)
    return LedgerExport(
        council_id=council_id,
        council_code=council.code,
        direction=direction,
        first=first,
        last=last,
        coding=(settings.ledger_code, settings.cost_centre, settings.subjective_code),
    )


def ledger_rows(sessions: SessionFactory, export: LedgerExport) -> Iterator[str]:
    """The export's CSV text: a header, then about LINE_WINDOW lines at a time, then the control
    total. Every read is a short transaction of its own, ended before anything is yielded."""
    yield csv_row(LEDGER_COLUMNS)
    count = net_total = vat_total = gross_total = 0
    cells = _Cells()
    after: _Key | None = None
    while True:
        documents = _read_headers(sessions, export, after)
        if not documents:
            break
        after = documents[-1].key
        for window in _windows(documents):
            _read_lines(sessions, window)
            rows: list[list[str]] = []
            for document in window:
                for values, net, vat in _document_rows(export, document, cells):
                    rows.append(values)
                    net_total += net
                    vat_total += vat
                    gross_total += net + vat
                document.lines = []  # done with: keep memory flat
            count += len(rows)
            yield _cells_text(rows)
    control: list[CsvValue] = [None] * len(LEDGER_COLUMNS)
    control[0] = export.batch_id
    control[1] = CONTROL
    control[2] = str(count)
    control[LEDGER_COLUMNS.index("currency")] = CURRENCY
    control[LEDGER_COLUMNS.index("net")] = money.pounds_decimal(net_total)
    control[LEDGER_COLUMNS.index("vat_amount")] = money.pounds_decimal(vat_total)
    control[LEDGER_COLUMNS.index("gross")] = money.pounds_decimal(gross_total)
    yield csv_row(control)


def _windows(documents: list[_Document]) -> Iterator[list[_Document]]:
    """Consecutive documents of about LINE_WINDOW lines together (a longer one on its own)."""
    window: list[_Document] = []
    lines = 0
    for document in documents:
        if window and lines + document.line_count > LINE_WINDOW:
            yield window
            window, lines = [], 0
        window.append(document)
        lines += document.line_count
    if window:
        yield window


class _Cells:
    """Cells that repeat from line to line, made once: an officer's id, a rate, a VAT rate."""

    def __init__(self) -> None:
        self.officers: dict[Any, str] = {}
        self.rates: dict[int, str] = {}
        self.vat_rates: dict[int, str] = {}

    def officer(self, officer_id: Any) -> str:
        text = self.officers.get(officer_id)
        if text is None:
            if len(self.officers) > 10_000:  # a bound, whatever the ledger holds
                self.officers.clear()
            text = self.officers[officer_id] = cell(_uuid_text(officer_id))
        return text

    def rate(self, pence: int) -> str:
        text = self.rates.get(pence)
        if text is None:
            text = self.rates[pence] = cell(money.pounds_decimal(pence))
        return text

    def vat_rate(self, bps: int) -> str:
        text = self.vat_rates.get(bps)
        if text is None:
            text = self.vat_rates[bps] = cell((Decimal(bps) / 100).quantize(_HUNDREDTH))
        return text


def _document_rows(
    export: LedgerExport, document: _Document, cells: _Cells
) -> Iterator[tuple[list[str], int, int]]:
    """Each line's cells (text through `safe_cell`, numbers as they are), with its signed net
    and VAT in pence. What the document's lines share is made into cells once."""
    sign = -1 if document.kind == "credit_note" else 1
    seller = document.parties.get("seller") or {}
    buyer = document.parties.get("buyer") or {}
    head = [
        cell(value)
        for value in (
            export.batch_id,
            document.kind,
            document.number,
            document.key.issue_date,
            document.due_date,
            CURRENCY,
            seller.get("code"),
            seller.get("gss_code"),
            seller.get("vat_number"),
            buyer.get("code"),
            buyer.get("gss_code"),
            buyer.get("vat_number"),
            buyer.get("code"),
        )
    ]
    tail = [cell(value) for value in (document.status, *export.coding)]
    shares = vat_shares(document.vat_pence, [line.amount_pence for line in document.lines])
    for line, share in zip(document.lines, shares, strict=True):
        net = sign * line.amount_pence
        vat = sign * share
        yield (
            [
                *head,
                cell(line.purchase_order),
                cell(_uuid_text(line.booking_id)),
                cells.officer(line.officer_id),
                cell(line.officer_name),
                cell(line.week),
                cell(line.minutes),
                cells.rate(line.rate_pence_per_hour),
                cell(money.pounds_decimal(net)),
                cell(line.vat_category),
                cells.vat_rate(line.vat_rate_bps),
                cell(money.pounds_decimal(vat)),
                cell(money.pounds_decimal(net + vat)),
                *tail,
                cell(line.booking_reference or legacy_booking_reference(line.booking_id)),
            ],
            net,
            vat,
        )


def _scope(issuer: Any, customer: Any, export: LedgerExport) -> Any:
    if export.direction == "outgoing":
        return issuer == export.council_id
    if export.direction == "incoming":
        return customer == export.council_id
    return or_(issuer == export.council_id, customer == export.council_id)


def _after(columns: Sequence[Any], rank: int, after: _Key | None) -> Any:
    """Documents of kind `rank` that come after `after` in the export's order."""
    issue_date = columns[0]
    if after is None:
        return true()
    if after.rank == rank:
        values = (after.issue_date, after.issued_at, after.id)
        return tuple_(*columns) > tuple_(
            *(bindparam(None, v, type_=c.type) for c, v in zip(columns, values, strict=True))
        )
    if after.rank < rank:  # an invoice came last: credit notes of that day are still to come
        return issue_date >= after.issue_date
    return issue_date > after.issue_date


def _invoice_headers(export: LedgerExport, after: _Key | None) -> Select[Any]:
    keys = (Invoice.issue_date, Invoice.issued_at, Invoice.id)
    return (
        select(*keys, Invoice.number, Invoice.due_date, Invoice.status, Invoice.vat_pence,
               Invoice.parties)
        .where(
            _scope(Invoice.issuer_council_id, Invoice.customer_council_id, export),
            Invoice.status.in_((InvoiceStatus.issued, InvoiceStatus.paid, InvoiceStatus.credited)),
            Invoice.issue_date >= export.first,
            Invoice.issue_date <= export.last,
            _after(keys, 0, after),
        )
        .order_by(*keys)
        .limit(HEADER_WINDOW)
    )  # fmt: skip


def _credit_note_headers(export: LedgerExport, after: _Key | None) -> Select[Any]:
    keys = (CreditNote.issue_date, CreditNote.issued_at, CreditNote.id)
    return (
        select(*keys, CreditNote.number, CreditNote.vat_pence, Invoice.parties)
        .join(Invoice, Invoice.id == CreditNote.invoice_id)
        .where(
            _scope(CreditNote.issuer_council_id, CreditNote.customer_council_id, export),
            CreditNote.issue_date >= export.first,
            CreditNote.issue_date <= export.last,
            _after(keys, 1, after),
        )
        .order_by(*keys)
        .limit(HEADER_WINDOW)
    )


def _read_session(sessions: SessionFactory) -> Session:
    session = sessions()
    # A read: on SQLite, BEGIN DEFERRED takes no write lock (the default here is IMMEDIATE).
    session.connection(execution_options={"sqlite_begin": "DEFERRED"})
    return session


def _read_headers(
    sessions: SessionFactory, export: LedgerExport, after: _Key | None
) -> list[_Document]:
    """The next HEADER_WINDOW documents after `after`, with how many lines each has."""
    with _read_session(sessions) as session:
        found = [
            _Document(
                key=_Key(row.issue_date, 0, row.issued_at, row.id),
                kind="invoice",
                number=row.number,
                due_date=row.due_date,
                status=row.status,
                vat_pence=row.vat_pence,
                parties=row.parties or {},
                line_count=0,
            )
            for row in session.execute(_invoice_headers(export, after))
        ]
        found.extend(
            _Document(
                key=_Key(row.issue_date, 1, row.issued_at, row.id),
                kind="credit_note",
                number=row.number,
                due_date=None,
                status=InvoiceStatus.issued,
                vat_pence=row.vat_pence,
                parties=row.parties or {},
                line_count=0,
            )
            for row in session.execute(_credit_note_headers(export, after))
        )
        # The first HEADER_WINDOW of the two sorted lists merged are the next ones overall.
        found.sort(key=lambda d: (d.key.issue_date, d.key.rank, d.key.issued_at, d.key.id))
        documents = found[:HEADER_WINDOW]
        counts: dict[uuid.UUID, int] = {}
        for model, parent in ((InvoiceLine, InvoiceLine.invoice_id),
                              (CreditNoteLine, CreditNoteLine.credit_note_id)):  # fmt: skip
            ids = [d.key.id for d in documents if (d.key.rank == 0) == (model is InvoiceLine)]
            if ids:
                stmt = select(parent, func.count(model.id)).where(parent.in_(ids)).group_by(parent)
                counts.update({doc_id: int(n) for doc_id, n in session.execute(stmt)})
        session.rollback()
    for document in documents:
        document.line_count = counts.get(document.key.id, 0)
    return documents


def _read_lines(sessions: SessionFactory, window: list[_Document]) -> None:
    with _read_session(sessions) as session:
        _load_lines(session, window)
        session.rollback()


def _raw(column: Any, label: str) -> Any:
    """A UUID column as the driver gives it, without SQLAlchemy making a `uuid.UUID` of it:
    32 hex digits on SQLite, a `uuid.UUID` from psycopg. Parsing some 750,000 of them was a
    fifth of a year's export; `_uuid_text` writes either form as the canonical text."""
    return type_coerce(column, String()).label(label)


def _uuid_text(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return str(uuid.UUID(text))


def _load_lines(session: Session, window: list[_Document]) -> None:
    by_id: dict[Any, _Document] = {}
    for document in window:  # keyed by either raw form of the id (see `_raw`)
        by_id[document.key.id] = by_id[document.key.id.hex] = document
    invoice_ids = [d.key.id for d in window if d.kind == "invoice"]
    note_ids = [d.key.id for d in window if d.kind == "credit_note"]
    line_columns = (
        InvoiceLine.purchase_order,
        _raw(InvoiceLine.booking_id, "booking_id"),
        InvoiceLine.booking_reference,
        _raw(InvoiceLine.officer_id, "officer_id"),
        InvoiceLine.officer_name,
        InvoiceLine.week,
        InvoiceLine.rate_pence_per_hour,
        InvoiceLine.vat_category,
        InvoiceLine.vat_rate_bps,
    )
    if invoice_ids:
        stmt = (
            select(
                _raw(InvoiceLine.invoice_id, "document_id"),
                *line_columns,
                InvoiceLine.minutes,
                InvoiceLine.amount_pence,
            )
            .where(InvoiceLine.invoice_id.in_(invoice_ids))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        )
        for row in session.execute(stmt):
            by_id[row.document_id].lines.append(row)
    if note_ids:
        stmt = (
            select(
                _raw(CreditNoteLine.credit_note_id, "document_id"),
                *line_columns,
                CreditNoteLine.minutes,
                CreditNoteLine.amount_pence,
            )
            .join(InvoiceLine, InvoiceLine.id == CreditNoteLine.invoice_line_id)
            .where(CreditNoteLine.credit_note_id.in_(note_ids))
            .order_by(CreditNoteLine.credit_note_id, CreditNoteLine.position)
        )
        for row in session.execute(stmt):
            by_id[row.document_id].lines.append(row)


# --- the payroll export ----------------------------------------------------------------------


@dataclass
class _OfficerHours:
    officer_id: uuid.UUID
    minutes: int = 0
    bookings: list[str] = field(default_factory=list)  # their references
    councils: list[uuid.UUID] = field(default_factory=list)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def payroll_export(session: Session, actor: Actor, period: str | None) -> tuple[str, str]:
    """(CSV text, file name): hours the home council's officers worked for other councils in
    the month (last month unless given), by the bookings' weeks (a week belongs to its Monday's
    month)."""
    council_id = _require_finance(actor)
    period = period or last_month()
    first, last = month_bounds(period)
    stmt = bookings.worked_by_officer(council_id, first, last)  # completed or invoiced
    per_officer: dict[uuid.UUID, _OfficerHours] = {}
    for officer_id, reference, booking_council_id, actual, booked in session.execute(stmt):
        hours = per_officer.setdefault(officer_id, _OfficerHours(officer_id))
        hours.minutes += booked if actual is None else actual
        hours.bookings.append(reference)
        if booking_council_id not in hours.councils:
            hours.councils.append(booking_council_id)
    names = {o.id: o.display_name for o in officers.load_officers(session, set(per_officer))}
    council_names: dict[uuid.UUID, str] = defaultdict(str)
    for hours in per_officer.values():
        for cid in hours.councils:
            if cid not in council_names:
                council_names[cid] = councils.get_council(session, cid).name
    ordered = sorted(
        per_officer.values(),
        key=lambda h: (names.get(h.officer_id, "").casefold(), str(h.officer_id)),
    )
    rows: list[list[CsvValue]] = [list(PAYROLL_COLUMNS)]
    for hours in ordered:
        rows.append(
            [
                "officer",
                period,
                names.get(hours.officer_id, ""),
                str(hours.officer_id),
                None,
                _hours(hours.minutes),
                hours.minutes,
                len(hours.bookings),
                ";".join(hours.bookings),
                ";".join(council_names[c] for c in hours.councils),
            ]
        )
    total_minutes = sum(h.minutes for h in per_officer.values())
    rows.append(
        [
            "TOTAL",
            period,
            None,
            None,
            None,
            _hours(total_minutes),
            total_minutes,
            sum(len(h.bookings) for h in per_officer.values()),
            None,
            None,
        ]
    )
    code = councils.get_council(session, council_id).code
    return _rows_text(rows), f"payroll-{code}-{period}.csv"


__all__ = [
    "LEDGER_COLUMNS",
    "PAYROLL_COLUMNS",
    "ExportDirection",
    "LedgerExport",
    "ledger_export",
    "ledger_rows",
    "payroll_export",
    "vat_shares",
]
