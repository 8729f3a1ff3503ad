"""The document as an A4 PDF for people: a "VAT invoice" with the VAT registration number,
the tax point, the VAT rate of every line, weeks as dates, each line's booking reference and
purpose, the stored totals, and "How to pay" (bank transfer to the account name, sort code and
account number, the reference to quote, the due date and the terms in words)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.core import money
from app.invoicing.documents.model import (
    MONTHS,
    DocumentLine,
    InvoiceDocument,
    Party,
    format_date_long,
    terms_text,
    vat_label,
    xml_safe,
)

_INK = colors.HexColor("#0b0c0c")
_RULE = colors.HexColor("#b1b4b6")
_HEADER_FILL = colors.HexColor("#f3f2f1")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "TPBody",
        parent=base["Normal"],
        fontName="Helvetica",
        fontSize=9.5,
        leading=12.5,
        textColor=_INK,
    )
    return {
        "body": body,
        "small": ParagraphStyle("TPSmall", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("TPCell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle(
            "TPCellRight", parent=body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        "title": ParagraphStyle(
            "TPTitle",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=22,
            leading=26,
            spaceAfter=2 * mm,
        ),
        "heading": ParagraphStyle(
            "TPHeading",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=11,
            leading=14,
            spaceBefore=4 * mm,
            spaceAfter=1.5 * mm,
        ),
        "party": ParagraphStyle("TPParty", parent=body, fontName="Helvetica-Bold", fontSize=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: anything that looks like markup is shown, not obeyed."""
    return Paragraph(escape(xml_safe(text)).replace("\n", "<br/>"), style)


def _party_block(label: str, party: Party, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [*party.printed_address]
    details = []
    if party.vat_identifier:
        details.append(f"VAT number: {party.vat_identifier}")
    if party.gss_code:
        details.append(f"GSS code: {party.gss_code}")
    if party.contact_email:
        details.append(f"Email: {party.contact_email}")
    return [
        _p(label.upper(), styles["small"]),
        _p(party.name, styles["party"]),
        _p("\n".join(lines), styles["body"]),
        Spacer(1, 1 * mm),
        _p("\n".join(details), styles["small"]),
    ]


def _title(doc: InvoiceDocument) -> str:
    """ "VAT invoice" (or "VAT credit note") when the seller is registered for VAT."""
    if doc.seller.vat_identifier:
        return "VAT credit note" if doc.is_credit_note else "VAT invoice"
    return doc.title


def _meta_rows(doc: InvoiceDocument) -> list[tuple[str, str]]:
    rows = [(f"{doc.title} number", doc.number), ("Issue date", format_date_long(doc.issue_date))]
    rows.append(("Tax point", format_date_long(doc.effective_tax_point)))
    if doc.seller.vat_identifier:
        rows.append(("VAT registration number", doc.seller.vat_identifier))
    if doc.due_date is not None:
        rows.append(("Due date", format_date_long(doc.due_date)))
    rows.append(("Period", f"{MONTHS[doc.period_start.month - 1]} {doc.period_start.year}"))
    if doc.purchase_orders:
        label = "Purchase order" if len(doc.purchase_orders) == 1 else "Purchase orders"
        rows.append((label, ", ".join(doc.purchase_orders)))
    if doc.buyer_reference:
        rows.append(("Your reference", doc.buyer_reference))
    if doc.referenced_invoice_number:
        rows.append(("Credits invoice", doc.referenced_invoice_number))
    return rows


def _key_value_table(
    rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle], widths: tuple[float, float]
) -> Table:
    table = Table(
        [[_p(key, styles["small"]), _p(value, styles["body"])] for key, value in rows],
        colWidths=list(widths),
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _line_cells(line: DocumentLine, cell: ParagraphStyle, right: ParagraphStyle) -> list[Flowable]:
    description = line.description
    if line.purchase_order:
        description += f"\nPO {line.purchase_order}"
    if line.vat_category != "S" and line.exemption_reason:
        label = vat_label(line.vat_category, line.vat_rate_bps)
        description += f"\n{label}: {line.exemption_reason}"
    rate = (
        f"{money.format_rate_percent(line.vat_rate_bps)}%"
        if line.vat_category != "O"
        else "Outside scope"
    )
    return [
        _p(description, cell),
        _p(line.week_text, cell),
        _p(money.format_duration(line.minutes), right),
        _p(money.format_pounds(line.rate_pence_per_hour), right),
        _p(rate, right),
        _p(money.format_pounds(line.amount_pence), right),
    ]


def _lines_table(doc: InvoiceDocument, styles: dict[str, ParagraphStyle], width: float) -> Table:
    """One row per line: what it is for (officer, booking reference, purpose, PO), the week as
    a date, the time, rate, VAT rate and the stored amount."""
    cell, right = styles["cell"], styles["cell_right"]
    header: list[Flowable] = [
        _p("Description", cell),
        _p("Week", cell),
        _p("Time (h:mm)", right),
        _p("Rate (£/hour)", right),
        _p("VAT rate", right),
        _p("Amount (£)", right),
    ]
    rows: list[list[Flowable]] = [header]
    rows.extend(_line_cells(line, cell, right) for line in doc.lines)
    fractions = (0.38, 0.14, 0.11, 0.12, 0.11, 0.14)
    table = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, _INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, _RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _totals_table(doc: InvoiceDocument, styles: dict[str, ParagraphStyle], width: float) -> Table:
    body = styles["body"]
    right = ParagraphStyle("TPAmount", parent=body, alignment=TA_RIGHT)
    bold = ParagraphStyle("TPTotal", parent=right, fontName="Helvetica-Bold", fontSize=10.5)
    bold_left = ParagraphStyle("TPTotalLeft", parent=body, fontName="Helvetica-Bold", fontSize=10.5)
    rows: list[list[Flowable]] = [
        [_p("Net total", body), _p(money.format_pounds(doc.net_pence, symbol=True), right)]
    ]
    several = len(doc.vat_breakdown) > 1
    for sub in doc.vat_breakdown:
        label = vat_label(sub.category, sub.rate_bps)
        if several:
            label += f" on {money.format_pounds(sub.taxable_pence, symbol=True)}"
        if sub.category != "S":
            label = f"VAT: {label}"
        rows.append([_p(label, body), _p(money.format_pounds(sub.tax_pence, symbol=True), right)])
    total_label = "Total credited" if doc.is_credit_note else "Total due"
    rows.append(
        [_p(total_label, bold_left), _p(money.format_pounds(doc.gross_pence, symbol=True), bold)]
    )
    table = Table(rows, colWidths=[width * 0.42, width * 0.16], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, _INK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _vat_notes(doc: InvoiceDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The reason for each VAT treatment other than standard rate, stated once under totals."""
    notes: list[Flowable] = []
    for sub in doc.vat_breakdown:
        if sub.category != "S" and sub.exemption_reason:
            label = vat_label(sub.category, sub.rate_bps)
            notes.append(_p(f"{label}: {sub.exemption_reason}", styles["small"]))
    return [Spacer(1, 2 * mm), *notes] if notes else []


def _payment_flowables(doc: InvoiceDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    body = styles["body"]
    if doc.is_credit_note:
        reference = doc.referenced_invoice_number or ""
        when = (
            f" dated {format_date_long(doc.referenced_invoice_issue_date)}"
            if doc.referenced_invoice_issue_date
            else ""
        )
        return [
            _p("About this credit note", styles["heading"]),
            _p(
                f"This credit note credits invoice {reference}{when}. "
                f"{money.format_pounds(doc.gross_pence, symbol=True)} is credited to "
                f"{doc.buyer.name}; do not pay this document.",
                body,
            ),
        ]
    flowables: list[Flowable] = [_p("How to pay", styles["heading"])]
    payment = doc.payment
    if payment is not None and payment.account_number:
        flowables.append(
            _p(
                f"Pay {money.format_pounds(doc.gross_pence, symbol=True)} by bank transfer "
                f"to {payment.payee_name}, quoting the payment reference.",
                body,
            )
        )
    terms = terms_text(doc)
    if terms:
        flowables.append(_p(terms, body))
    if payment is not None:
        rows = [("Account name", payment.payee_name)]
        if payment.sort_code:
            rows.append(("Sort code", payment.sort_code_text or payment.sort_code))
        if payment.account_number:
            rows.append(("Account number", payment.account_number))
        rows.append(("Payment reference", doc.payment_reference))
        if doc.due_date is not None:
            rows.append(("Due date", format_date_long(doc.due_date)))
        if payment.remittance_email:
            rows.append(("Remittance advice to", payment.remittance_email))
        flowables.append(Spacer(1, 1.5 * mm))
        flowables.append(_key_value_table(rows, styles, (40 * mm, 100 * mm)))
    return flowables


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that writes "Page n of N" and `footer` on every page once it knows N."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # what Canvas.showPage does

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.setFillColor(_INK)
                self.drawString(18 * mm, 10 * mm, xml_safe(footer))
                self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(doc: InvoiceDocument) -> bytes:
    """The document as an A4 PDF: both councils, references, lines, totals, how to pay."""
    styles = _styles()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{_title(doc)} {doc.number}",
        author=doc.seller.name,
        subject=f"{doc.title} {doc.number} from {doc.seller.name} to {doc.buyer.name}",
        creator="LocalGov Talent Pool",
        lang="en-GB",
    )
    width = template.width
    parties = Table(
        [[_party_block("From", doc.seller, styles), _party_block("To", doc.buyer, styles)]],
        colWidths=[width / 2, width / 2],
        hAlign="LEFT",
    )
    parties.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story: list[Flowable] = [
        _p(_title(doc), styles["title"]),
        _key_value_table(_meta_rows(doc), styles, (38 * mm, width - 38 * mm)),
        Spacer(1, 5 * mm),
        parties,
        _p("Officer time", styles["heading"]),
        _lines_table(doc, styles, width),
        Spacer(1, 4 * mm),
        KeepTogether([_totals_table(doc, styles, width), *_vat_notes(doc, styles)]),
        KeepTogether(_payment_flowables(doc, styles)),
    ]
    if doc.notes:
        story.append(_p("Notes", styles["heading"]))
        story.extend(_p(note, styles["body"]) for note in doc.notes)
    story.append(Spacer(1, 4 * mm))
    story.append(
        _p(
            "Officer time provided under section 113 of the Local Government Act 1972 "
            "through the LocalGov Talent Pool.",
            styles["small"],
        )
    )
    footer = f"{_title(doc)} {doc.number} · {doc.seller.name}"
    template.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()
