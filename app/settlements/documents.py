"""A settlement statement as PDF and CSV: what is stored, never recomputed (DESIGN.md rule 10)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core import money
from app.core.csvsafe import csv_row


@dataclass(frozen=True)
class Line:
    kind: str
    number: str
    issuer: str
    issue_date: date
    gross_pence: int


@dataclass(frozen=True)
class StatementDocument:
    reference: str
    period: str
    status: str
    council_a: str
    council_b: str
    a_to_b_pence: int
    b_to_a_pence: int
    payer: str
    payee: str
    net_pence: int
    payment_reference: str | None
    paid_on: date | None
    lines: tuple[Line, ...]


def _signed(line: Line) -> int:
    return -line.gross_pence if line.kind == "credit_note" else line.gross_pence


def render_csv(doc: StatementDocument) -> str:
    out = [
        csv_row(("statement", "period", "kind", "number", "issued_by", "issue_date", "gross_gbp")),
    ]
    for line in doc.lines:
        out.append(
            csv_row(
                (
                    doc.reference,
                    doc.period,
                    line.kind.replace("_", " "),
                    line.number,
                    line.issuer,
                    line.issue_date,
                    money.pounds_decimal(_signed(line))
                    if _signed(line) >= 0
                    else f"-{money.pounds_decimal(line.gross_pence)}",
                )
            )
        )
    out.append(
        csv_row(
            (
                doc.reference,
                doc.period,
                "net payment",
                doc.payment_reference or "",
                f"{doc.payer} pays {doc.payee}",
                doc.paid_on,
                money.pounds_decimal(doc.net_pence),
            )
        )
    )
    return "".join(out)


def render_pdf(doc: StatementDocument) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Settlement statement {doc.reference}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )

    def para(text: str, style: str = "BodyText") -> Paragraph:
        return Paragraph(escape(text), styles[style])

    rows = [["Document", "Number", "Issued by", "Date", "Gross"]]
    for line in doc.lines:
        rows.append(
            [
                "Credit note" if line.kind == "credit_note" else "Invoice",
                line.number,
                line.issuer,
                line.issue_date.isoformat(),
                money.format_pounds(_signed(line), symbol=True)
                if _signed(line) >= 0
                else "-" + money.format_pounds(line.gross_pence, symbol=True),
            ]
        )
    table = Table(rows, repeatRows=1, colWidths=[26 * mm, 40 * mm, 56 * mm, 24 * mm, 28 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    paid = (
        f"Payment recorded: {doc.payment_reference}, {doc.paid_on}."
        if doc.payment_reference
        else "No payment recorded yet."
    )
    story = [
        para(f"Settlement statement {doc.reference}", "Title"),
        para(
            f"Between {doc.council_a} and {doc.council_b}, for {doc.period}. Status: "
            f"{doc.status.replace('_', ' ')}."
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        para(
            f"{doc.council_a}'s documents: {money.format_pounds(doc.a_to_b_pence, symbol=True)}. "
            f"{doc.council_b}'s documents: {money.format_pounds(doc.b_to_a_pence, symbol=True)}."
        ),
        para(
            f"Net: {doc.payer} pays {doc.payee} "
            f"{money.format_pounds(doc.net_pence, symbol=True)}, quoting {doc.reference}.",
            "Heading3",
        ),
        para(paid),
        para(
            "The VAT invoices are unchanged: each council accounts for the VAT on its own "
            "invoices. This statement only nets the amounts to pay."
        ),
    ]
    pdf.build(story)
    return buffer.getvalue()
