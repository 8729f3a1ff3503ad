"""The document as CSV, one row per line, for a ledger or a spreadsheet; each row also carries
the document's stored net, VAT and gross, so a CSV alone reconciles with the PDF and UBL."""

from __future__ import annotations

from decimal import Decimal

from app.core import money
from app.core.csvsafe import CsvValue, csv_row
from app.invoicing.documents.model import InvoiceDocument

CSV_COLUMNS = (
    "document_type",
    "document_number",
    "issue_date",
    "due_date",
    "period",
    "currency",
    "seller_code",
    "seller_name",
    "buyer_code",
    "buyer_name",
    "buyer_reference",
    "credited_invoice",
    "line",
    "booking_reference",
    "officer",
    "week",
    "purchase_order",
    "minutes",
    "rate_per_hour",
    "net_amount",
    "vat_category",
    "vat_rate_percent",
    "vat_reason",
    "line_kind",
    "purpose",
    "tax_point",
    "document_net",
    "document_vat",
    "document_gross",
)


def render_csv(doc: InvoiceDocument) -> str:
    """One row per line under a header; CRLF line ends (RFC 4180).

    Dates are ISO 8601, amounts plain decimals with two places in pounds. A credit note's
    amounts are negative so that a ledger can add documents up (its minutes stay positive:
    the minutes credited). Text cells go through `safe_cell`, so a name such as
    `=HYPERLINK(...)` arrives as text; numbers are formatted here and are never altered.
    """
    sign = -1 if doc.is_credit_note else 1
    out = [csv_row(CSV_COLUMNS)]
    for index, line in enumerate(doc.lines, start=1):
        values: list[CsvValue] = [
            doc.kind,
            doc.number,
            doc.issue_date,
            doc.due_date,
            doc.period,
            doc.currency,
            doc.seller.code,
            doc.seller.name,
            doc.buyer.code,
            doc.buyer.name,
            doc.effective_buyer_reference,
            doc.referenced_invoice_number,
            index,
            line.booking_reference,
            line.officer_name,
            line.week,
            line.purchase_order,
            line.minutes,
            money.pounds_decimal(line.rate_pence_per_hour),
            money.pounds_decimal(sign * line.amount_pence),
            line.vat_category,
            Decimal(line.vat_rate_bps) / 100 if line.vat_category != "O" else None,
            line.exemption_reason,
            line.kind,
            line.purpose,
            doc.effective_tax_point,
            money.pounds_decimal(sign * doc.net_pence),
            money.pounds_decimal(sign * doc.vat_pence),
            money.pounds_decimal(sign * doc.gross_pence),
        ]
        out.append(csv_row(values))
    return "".join(out)
