"""A finished invoice or credit note, and its three renderings: PEPPOL UBL, PDF and CSV.

`InvoiceDocument` is a plain frozen dataclass: everything a rendering shows, already computed
in integer pence (DESIGN.md rule 2) and checked for consistency when it is built, so the
renderers never compute money, they only lay it out. No database here: the invoicing service
builds a document from its tables (`build_document` does the sums) and hands it to

- `render_ubl(doc) -> bytes`: UBL 2.1 XML following PEPPOL BIS Billing 3.0;
- `check_en16931(xml) -> list[str]`: the EN 16931 / PEPPOL rules this code relies on, checked
  in Python on the XML itself (no XSD or Schematron files are available offline);
- `render_pdf(doc) -> bytes`: an A4 document for people;
- `render_csv(doc) -> str`: one row per line for a ledger or a spreadsheet.

Conventions worth knowing:

- Amounts on a credit note are positive, as UBL's CreditNote wants them; only the CSV export
  shows them negative (a ledger adds credit notes up as negatives).
- VAT is computed per VAT category and rate on the sum of that category's lines
  (`app.core.money.vat_pence`), which is EN 16931's BR-CO-17.
- VAT categories are UNCL5305 codes: S standard, Z zero-rated, E exempt, O outside the scope
  (`VAT_CATEGORY_BY_TREATMENT` maps `CouncilSettings.vat_treatment`). A reason is required for
  E and O; for Z it is printed on the PDF and in the line note, but never as a UBL exemption
  reason, which EN 16931 forbids for S and Z (BR-S-10, BR-Z-10).
- Time in UBL: `InvoicedQuantity` is the whole number of minutes (`unitCode="MIN"`) and the
  price is the hourly rate per `BaseQuantity` 60 MIN, so quantity * price / base quantity is
  exactly minutes * rate / 60; the line amount is that rounded half-up to the penny once, within
  PEPPOL-EN16931-R120's 0.02 tolerance, and the line amounts are what the totals add up.
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal, get_args
from xml.sax.saxutils import escape

from lxml import etree
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
from app.core.csvsafe import CsvValue, csv_row
from app.core.isoweek import Week

# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

DocumentKind = Literal["invoice", "credit_note"]
VatCategory = Literal["S", "Z", "E", "O"]
VAT_CATEGORIES: tuple[VatCategory, ...] = get_args(VatCategory)

VAT_CATEGORY_BY_TREATMENT: dict[str, VatCategory] = {
    "standard": "S",
    "zero": "Z",
    "exempt": "E",
    "outside_scope": "O",
}
VAT_CATEGORY_LABELS: dict[VatCategory, str] = {
    "S": "Standard rate",
    "Z": "Zero-rated",
    "E": "Exempt from VAT",
    "O": "Outside the scope of VAT",
}
DEFAULT_EXEMPTION_REASONS: dict[VatCategory, str] = {
    "E": "Exempt from VAT",
    "O": "Outside the scope of VAT",
}
CURRENCY = "GBP"

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_VAT_ID = re.compile(r"^[A-Z]{2}[A-Z0-9]{2,13}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Characters XML 1.0 cannot carry at all (a renderer replaces them rather than failing).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-blank text")
    return value


def _optional_text(name: str, value: object) -> str | None:
    return None if value is None else _text(name, value)


def _int(name: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum} (got {value})")
    return value


def normalise_vat_number(vat_number: str) -> str:
    """A VAT identifier with its country prefix: "123 4567 89" → "GB123456789" (BR-CO-09)."""
    compact = re.sub(r"[\s.\-]", "", vat_number).upper()
    if compact[:1].isdigit():
        compact = "GB" + compact
    if not _VAT_ID.match(compact):
        raise ValueError(f"not a VAT number: {vat_number!r}")
    return compact


@dataclass(frozen=True)
class Party:
    """A council as seller (the lending council) or buyer (the booking council)."""

    name: str
    code: str
    gss_code: str | None = None
    address_lines: tuple[str, ...] = ()
    vat_number: str | None = None
    contact_email: str | None = None
    country_code: str = "GB"
    # Its PEPPOL electronic address (EAS scheme and id) when it has one; otherwise a UK VAT
    # number serves (scheme 9932).
    endpoint_scheme: str | None = None
    endpoint_id: str | None = None

    def __post_init__(self) -> None:
        _text("party name", self.name)
        _text("party code", self.code)
        _optional_text("GSS code", self.gss_code)
        _optional_text("contact email", self.contact_email)
        lines = tuple(line.strip() for line in self.address_lines if line and line.strip())
        object.__setattr__(self, "address_lines", lines)
        if self.vat_number is not None:
            normalise_vat_number(_text("VAT number", self.vat_number))
        if not _COUNTRY.match(self.country_code):
            raise ValueError("country_code must be an ISO 3166 alpha-2 code")
        if (self.endpoint_scheme is None) != (self.endpoint_id is None):
            raise ValueError("endpoint_scheme and endpoint_id go together")
        _optional_text("endpoint id", self.endpoint_id)

    @property
    def vat_identifier(self) -> str | None:
        return normalise_vat_number(self.vat_number) if self.vat_number else None

    @property
    def identifier(self) -> str:
        """The identifier shown to the other side: the GSS code, else the pool's council code."""
        return self.gss_code or self.code

    @property
    def endpoint(self) -> tuple[str, str] | None:
        if self.endpoint_scheme and self.endpoint_id:
            return self.endpoint_scheme, self.endpoint_id
        vat = self.vat_identifier
        if vat and vat.startswith("GB"):
            return "9932", vat
        # PEPPOL's EAS list has "EM" (electronic mail) for a party with no other identifier.
        return ("EM", self.contact_email) if self.contact_email else None


@dataclass(frozen=True)
class DocumentLine:
    """One booking's time: `amount_pence` must be `line_amount_pence(minutes, rate)`."""

    booking_reference: str
    officer_name: str
    week: str
    purchase_order: str | None
    minutes: int
    rate_pence_per_hour: int
    amount_pence: int
    vat_category: VatCategory
    vat_rate_bps: int
    exemption_reason: str | None = None

    def __post_init__(self) -> None:
        _text("booking reference", self.booking_reference)
        _text("officer name", self.officer_name)
        Week(self.week)
        _optional_text("purchase order", self.purchase_order)
        _int("minutes", self.minutes)
        _int("rate_pence_per_hour", self.rate_pence_per_hour)
        expected = money.line_amount_pence(self.minutes, self.rate_pence_per_hour)
        if self.amount_pence != expected:
            raise ValueError(
                f"line {self.booking_reference}: amount_pence {self.amount_pence} is not "
                f"{self.minutes} min * {self.rate_pence_per_hour}p/h = {expected}"
            )
        _check_category(self.vat_category, self.vat_rate_bps, self.exemption_reason)


def _check_category(category: str, rate_bps: int, reason: str | None) -> None:
    if category not in VAT_CATEGORIES:
        raise ValueError(f"VAT category must be one of {', '.join(VAT_CATEGORIES)}")
    _int("VAT rate", rate_bps)
    if category == "S" and not 0 < rate_bps <= money.MAX_VAT_RATE_BPS:
        raise ValueError("a standard-rated line needs a VAT rate above 0")
    if category != "S" and rate_bps != 0:
        raise ValueError(f"VAT category {category} has a rate of 0")
    if category in ("E", "O"):
        _text(f"exemption reason (VAT category {category})", reason)
    elif category == "S" and reason is not None:
        raise ValueError("a standard-rated line has no exemption reason")
    else:
        _optional_text("VAT reason", reason)


@dataclass(frozen=True)
class VatSubtotal:
    """The VAT breakdown for one VAT category and rate."""

    category: VatCategory
    rate_bps: int
    taxable_pence: int
    tax_pence: int
    exemption_reason: str | None = None


@dataclass(frozen=True)
class PaymentDetails:
    """How to pay the issuer, from the issuer's settings."""

    payee_name: str
    account_reference: str | None = None  # what the payer quotes; the document number if None
    sort_code: str | None = None
    account_number: str | None = None

    def __post_init__(self) -> None:
        _text("payee name", self.payee_name)
        _optional_text("account reference", self.account_reference)
        _optional_text("sort code", self.sort_code)
        _optional_text("account number", self.account_number)


@dataclass(frozen=True)
class InvoiceDocument:
    """A finished invoice or credit note. Building one checks every sum (ValueError if off)."""

    kind: DocumentKind
    number: str
    issue_date: date
    due_date: date | None
    period: str  # 'YYYY-MM': the month whose weeks' Mondays the lines belong to
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat_breakdown: tuple[VatSubtotal, ...]
    net_pence: int
    vat_pence: int
    gross_pence: int
    buyer_reference: str | None = None
    referenced_invoice_number: str | None = None  # credit notes: the invoice they credit
    referenced_invoice_issue_date: date | None = None
    payment: PaymentDetails | None = None
    payment_terms_days: int | None = None
    notes: tuple[str, ...] = field(default=())
    currency: str = CURRENCY

    def __post_init__(self) -> None:
        if self.kind not in ("invoice", "credit_note"):
            raise ValueError("kind must be 'invoice' or 'credit_note'")
        _text("document number", self.number)
        if self.currency != CURRENCY:
            raise ValueError("the pool invoices in GBP only")
        if not _PERIOD.match(self.period):
            raise ValueError("period must be a month like 2026-11")
        if self.due_date is not None and self.due_date < self.issue_date:
            raise ValueError("the due date is before the issue date")
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "vat_breakdown", tuple(self.vat_breakdown))
        object.__setattr__(self, "notes", tuple(self.notes))
        if not self.lines:
            raise ValueError("a document has at least one line")
        _optional_text("buyer reference", self.buyer_reference)
        for note in self.notes:
            _text("note", note)
        if self.payment_terms_days is not None:
            _int("payment_terms_days", self.payment_terms_days)
        if self.kind == "credit_note":
            _text("referenced invoice number", self.referenced_invoice_number)
        else:
            if self.referenced_invoice_number or self.referenced_invoice_issue_date:
                raise ValueError("only a credit note references an invoice")
            if self.due_date is None and self.payment_terms_days is None:
                raise ValueError("an invoice needs a due date or payment terms (BR-CO-25)")
        expected = compute_vat_breakdown(self.lines)
        if self.vat_breakdown != expected:
            raise ValueError(f"VAT breakdown {self.vat_breakdown} should be {expected}")
        totals = money.totals((sub.taxable_pence, sub.rate_bps) for sub in expected)
        actual = (self.net_pence, self.vat_pence, self.gross_pence)
        wanted = (totals.net_pence, totals.vat_pence, totals.gross_pence)
        if actual != wanted:
            raise ValueError(f"net/VAT/gross {actual} should be {wanted}")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def title(self) -> str:
        return "Credit note" if self.is_credit_note else "Invoice"

    @property
    def purchase_orders(self) -> tuple[str, ...]:
        """The distinct PO numbers of the lines, in line order."""
        return tuple(
            dict.fromkeys(line.purchase_order for line in self.lines if line.purchase_order)
        )

    @property
    def period_start(self) -> date:
        year, month = int(self.period[:4]), int(self.period[5:])
        return date(year, month, 1)

    @property
    def period_end(self) -> date:
        start = self.period_start
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])

    @property
    def effective_buyer_reference(self) -> str:
        """BT-10: the buyer's own reference, else its PO number(s), else the period.

        PEPPOL needs a buyer reference or an order reference (PEPPOL-EN16931-R003), so a
        document always has one.
        """
        if self.buyer_reference:
            return self.buyer_reference
        if self.purchase_orders:
            return ", ".join(self.purchase_orders)
        return f"Talent Pool recharge {self.period}"

    @property
    def payment_reference(self) -> str:
        if self.payment and self.payment.account_reference:
            return self.payment.account_reference
        return self.number


def vat_treatment_category(
    treatment: str, rate_bps: int, reason: str | None
) -> tuple[VatCategory, int, str | None]:
    """(category, rate_bps, reason) for a line from the issuer's `CouncilSettings`.

    Zero, exempt and outside-the-scope lines have a rate of 0 whatever `vat_rate_bps` says;
    exempt and outside-the-scope lines get a generic reason when the council gave none.
    """
    try:
        category = VAT_CATEGORY_BY_TREATMENT[treatment]
    except KeyError:
        raise ValueError(f"unknown VAT treatment {treatment!r}") from None
    if category == "S":
        return category, rate_bps, None
    reason = reason.strip() if reason and reason.strip() else None
    return category, 0, reason or DEFAULT_EXEMPTION_REASONS.get(category)


def make_line(
    *,
    booking_reference: str,
    officer_name: str,
    week: str,
    purchase_order: str | None,
    minutes: int,
    rate_pence_per_hour: int,
    vat_category: VatCategory,
    vat_rate_bps: int,
    exemption_reason: str | None = None,
) -> DocumentLine:
    """A line with its amount computed (rule 2: rounded half-up once, per line)."""
    return DocumentLine(
        booking_reference=booking_reference,
        officer_name=officer_name,
        week=week,
        purchase_order=purchase_order,
        minutes=minutes,
        rate_pence_per_hour=rate_pence_per_hour,
        amount_pence=money.line_amount_pence(minutes, rate_pence_per_hour),
        vat_category=vat_category,
        vat_rate_bps=vat_rate_bps,
        exemption_reason=exemption_reason,
    )


def compute_vat_breakdown(lines: Iterable[DocumentLine]) -> tuple[VatSubtotal, ...]:
    """One subtotal per (category, rate): the lines' sum and its VAT, rounded once.

    Ordered S, Z, E, O, higher rates first. Lines of one category and rate must share their
    exemption reason (a breakdown carries one).
    """
    taxable: dict[tuple[VatCategory, int], int] = {}
    reasons: dict[tuple[VatCategory, int], str | None] = {}
    for line in lines:
        key = (line.vat_category, line.vat_rate_bps)
        if key in reasons and reasons[key] != line.exemption_reason:
            raise ValueError(f"lines of VAT category {key[0]} give different reasons")
        reasons[key] = line.exemption_reason
        taxable[key] = taxable.get(key, 0) + line.amount_pence
    order = sorted(taxable, key=lambda key: (VAT_CATEGORIES.index(key[0]), -key[1]))
    return tuple(
        VatSubtotal(
            category=category,
            rate_bps=rate,
            taxable_pence=taxable[(category, rate)],
            tax_pence=money.vat_pence(taxable[(category, rate)], rate),
            exemption_reason=reasons[(category, rate)] if category != "S" else None,
        )
        for category, rate in order
    )


def build_document(
    *,
    kind: DocumentKind,
    number: str,
    issue_date: date,
    due_date: date | None,
    period: str,
    seller: Party,
    buyer: Party,
    lines: Sequence[DocumentLine],
    buyer_reference: str | None = None,
    referenced_invoice_number: str | None = None,
    referenced_invoice_issue_date: date | None = None,
    payment: PaymentDetails | None = None,
    payment_terms_days: int | None = None,
    notes: Sequence[str] = (),
) -> InvoiceDocument:
    """A document with its VAT breakdown and totals computed from its lines."""
    breakdown = compute_vat_breakdown(lines)
    totals = money.totals((sub.taxable_pence, sub.rate_bps) for sub in breakdown)
    return InvoiceDocument(
        kind=kind,
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        period=period,
        seller=seller,
        buyer=buyer,
        lines=tuple(lines),
        vat_breakdown=breakdown,
        net_pence=totals.net_pence,
        vat_pence=totals.vat_pence,
        gross_pence=totals.gross_pence,
        buyer_reference=buyer_reference,
        referenced_invoice_number=referenced_invoice_number,
        referenced_invoice_issue_date=referenced_invoice_issue_date,
        payment=payment,
        payment_terms_days=payment_terms_days,
        notes=tuple(notes),
    )


def vat_label(category: VatCategory, rate_bps: int) -> str:
    """ "VAT at 20%", "Zero-rated", "Exempt from VAT", "Outside the scope of VAT"."""
    if category == "S":
        return f"VAT at {money.format_rate_percent(rate_bps)}%"
    return VAT_CATEGORY_LABELS[category]


# --------------------------------------------------------------------------------------------
# UBL 2.1 / PEPPOL BIS Billing 3.0
# --------------------------------------------------------------------------------------------

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"  # credit note
UNIT_MINUTE = "MIN"  # UN/ECE Recommendation 20
PRICE_BASE_MINUTES = 60
PAYMENT_MEANS_CREDIT_TRANSFER = "30"
PAYMENT_MEANS_NOT_DEFINED = "1"
VATEX_OUTSIDE_SCOPE = "VATEX-EU-O"

NAMESPACES = {"cac": NS_CAC, "cbc": NS_CBC}
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (each becomes U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


def _amount(pence: int) -> str:
    return money.format_pounds(pence, grouping=False)


def _percent(rate_bps: int) -> str:
    return money.format_rate_percent(rate_bps)


class _Ubl:
    """Appends UBL elements in schema order; skips empty values (PEPPOL-EN16931-R008)."""

    @staticmethod
    def cbc(parent: etree._Element, name: str, text: str, **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attrib=attrs)
        element.text = xml_safe(text)
        return element

    @staticmethod
    def cac(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")

    @classmethod
    def money(cls, parent: etree._Element, name: str, pence: int) -> etree._Element:
        return cls.cbc(parent, name, _amount(pence), currencyID=CURRENCY)


def split_address(lines: Sequence[str]) -> dict[str, str]:
    """Free-text address lines → UBL address parts (a UK postcode last, the town before it)."""
    rest = [line for line in lines if line.strip()]
    parts: dict[str, str] = {}
    if rest and _UK_POSTCODE.match(rest[-1].strip()):
        parts["PostalZone"] = rest.pop().strip().upper()
    if len(rest) >= 2:
        parts["CityName"] = rest.pop()
    if rest:
        parts["StreetName"] = rest.pop(0)
    if rest:
        parts["AdditionalStreetName"] = rest.pop(0)
    if rest:
        parts["AddressLine"] = ", ".join(rest)
    return parts


def _ubl_party(parent: etree._Element, party: Party, *, with_vat_id: bool) -> None:
    u = _Ubl
    node = u.cac(parent, "Party")
    endpoint = party.endpoint
    if endpoint is not None:
        u.cbc(node, "EndpointID", endpoint[1], schemeID=endpoint[0])
    u.cbc(u.cac(node, "PartyIdentification"), "ID", party.identifier)
    u.cbc(u.cac(node, "PartyName"), "Name", party.name)
    address = u.cac(node, "PostalAddress")
    parts = split_address(party.address_lines)
    for name in ("StreetName", "AdditionalStreetName", "CityName", "PostalZone"):
        if name in parts:
            u.cbc(address, name, parts[name])
    if "AddressLine" in parts:
        u.cbc(u.cac(address, "AddressLine"), "Line", parts["AddressLine"])
    u.cbc(u.cac(address, "Country"), "IdentificationCode", party.country_code)
    vat_id = party.vat_identifier
    if with_vat_id and vat_id:
        tax_scheme = u.cac(node, "PartyTaxScheme")
        u.cbc(tax_scheme, "CompanyID", vat_id)
        u.cbc(u.cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    u.cbc(u.cac(node, "PartyLegalEntity"), "RegistrationName", party.name)
    if party.contact_email:
        u.cbc(u.cac(node, "Contact"), "ElectronicMail", party.contact_email)


def _ubl_tax_category(
    parent: etree._Element,
    name: str,
    category: VatCategory,
    rate_bps: int,
    reason: str | None = None,
) -> None:
    u = _Ubl
    node = u.cac(parent, name)
    u.cbc(node, "ID", category)
    if category != "O":  # BR-O-05 / BR-O-xx: "not subject to VAT" has no rate
        u.cbc(node, "Percent", _percent(rate_bps))
    if category == "O":
        u.cbc(node, "TaxExemptionReasonCode", VATEX_OUTSIDE_SCOPE)
    if category in ("E", "O") and reason:  # BR-S-10 / BR-Z-10: never for S or Z
        u.cbc(node, "TaxExemptionReason", reason)
    u.cbc(u.cac(node, "TaxScheme"), "ID", "VAT")


def _line_note(line: DocumentLine) -> str:
    parts = [f"{line.officer_name}, week {line.week}", f"booking {line.booking_reference}"]
    if line.purchase_order:
        parts.append(f"PO {line.purchase_order}")
    if line.vat_category != "S" and line.exemption_reason:
        parts.append(line.exemption_reason)
    return "; ".join(parts)


def render_ubl(doc: InvoiceDocument) -> bytes:
    """The document as UBL 2.1 XML (PEPPOL BIS Billing 3.0), UTF-8 with an XML declaration."""
    u = _Ubl
    credit = doc.is_credit_note
    root_ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
        # lxml-stubs does not know that None names the default namespace.
        nsmap={None: root_ns, "cac": NS_CAC, "cbc": NS_CBC},  # type: ignore[dict-item]
    )
    u.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    u.cbc(root, "ProfileID", PROFILE_ID)
    u.cbc(root, "ID", doc.number)
    u.cbc(root, "IssueDate", doc.issue_date.isoformat())
    if not credit and doc.due_date is not None:
        u.cbc(root, "DueDate", doc.due_date.isoformat())
    if credit:
        u.cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    else:
        u.cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    if doc.notes:  # PEPPOL-EN16931-R002: at most one note on the document
        u.cbc(root, "Note", "\n".join(doc.notes))
    u.cbc(root, "DocumentCurrencyCode", doc.currency)
    u.cbc(root, "BuyerReference", doc.effective_buyer_reference)
    period = u.cac(root, "InvoicePeriod")
    u.cbc(period, "StartDate", doc.period_start.isoformat())
    u.cbc(period, "EndDate", doc.period_end.isoformat())
    if len(doc.purchase_orders) == 1:
        u.cbc(u.cac(root, "OrderReference"), "ID", doc.purchase_orders[0])
    if credit and doc.referenced_invoice_number:
        reference = u.cac(u.cac(root, "BillingReference"), "InvoiceDocumentReference")
        u.cbc(reference, "ID", doc.referenced_invoice_number)
        if doc.referenced_invoice_issue_date is not None:
            u.cbc(reference, "IssueDate", doc.referenced_invoice_issue_date.isoformat())

    # BR-O-02: a document with "not subject to VAT" lines carries no VAT identifiers.
    with_vat_ids = all(line.vat_category != "O" for line in doc.lines)
    _ubl_party(u.cac(root, "AccountingSupplierParty"), doc.seller, with_vat_id=with_vat_ids)
    _ubl_party(u.cac(root, "AccountingCustomerParty"), doc.buyer, with_vat_id=with_vat_ids)

    if doc.payment is not None:
        means = u.cac(root, "PaymentMeans")
        has_account = doc.payment.account_number is not None
        code = PAYMENT_MEANS_CREDIT_TRANSFER if has_account else PAYMENT_MEANS_NOT_DEFINED
        u.cbc(means, "PaymentMeansCode", code)
        if credit and doc.due_date is not None:  # BT-9 of a UBL 2.1 credit note
            u.cbc(means, "PaymentDueDate", doc.due_date.isoformat())
        u.cbc(means, "PaymentID", doc.payment_reference)
        if doc.payment.account_number is not None:
            account = u.cac(means, "PayeeFinancialAccount")
            u.cbc(account, "ID", doc.payment.account_number)
            u.cbc(account, "Name", doc.payment.payee_name)
            if doc.payment.sort_code:
                branch = u.cac(account, "FinancialInstitutionBranch")
                u.cbc(branch, "ID", doc.payment.sort_code)
    terms = _terms_text(doc)
    if terms:
        u.cbc(u.cac(root, "PaymentTerms"), "Note", terms)

    tax_total = u.cac(root, "TaxTotal")
    u.money(tax_total, "TaxAmount", doc.vat_pence)
    for sub in doc.vat_breakdown:
        node = u.cac(tax_total, "TaxSubtotal")
        u.money(node, "TaxableAmount", sub.taxable_pence)
        u.money(node, "TaxAmount", sub.tax_pence)
        _ubl_tax_category(node, "TaxCategory", sub.category, sub.rate_bps, sub.exemption_reason)

    totals = u.cac(root, "LegalMonetaryTotal")
    u.money(totals, "LineExtensionAmount", doc.net_pence)
    u.money(totals, "TaxExclusiveAmount", doc.net_pence)
    u.money(totals, "TaxInclusiveAmount", doc.gross_pence)
    u.money(totals, "PayableAmount", doc.gross_pence)

    for index, line in enumerate(doc.lines, start=1):
        node = u.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        u.cbc(node, "ID", str(index))
        u.cbc(node, "Note", _line_note(line))
        quantity = "CreditedQuantity" if credit else "InvoicedQuantity"
        u.cbc(node, quantity, str(line.minutes), unitCode=UNIT_MINUTE)
        u.money(node, "LineExtensionAmount", line.amount_pence)
        reference = u.cac(node, "DocumentReference")  # BT-128: the invoiced object
        u.cbc(reference, "ID", line.booking_reference)
        u.cbc(reference, "DocumentTypeCode", "130")
        item = u.cac(node, "Item")
        u.cbc(item, "Name", f"Officer time: {line.officer_name}, {line.week}")
        _ubl_tax_category(item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate_bps)
        properties = [("Officer", line.officer_name), ("ISO week", line.week)]
        if line.purchase_order:
            properties.append(("Purchase order", line.purchase_order))
        for name, value in properties:
            prop = u.cac(item, "AdditionalItemProperty")
            u.cbc(prop, "Name", name)
            u.cbc(prop, "Value", value)
        price = u.cac(node, "Price")
        u.money(price, "PriceAmount", line.rate_pence_per_hour)
        u.cbc(price, "BaseQuantity", str(PRICE_BASE_MINUTES), unitCode=UNIT_MINUTE)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --------------------------------------------------------------------------------------------
# EN 16931 checks on UBL
# --------------------------------------------------------------------------------------------

# Document type codes (UNTDID 1001) that PEPPOL BIS Billing 3.0 accepts.
_ALLOWED_INVOICE_TYPES = frozenset(
    re.findall(
        r"\d+",
        "71 80 82 84 102 218 219 331 380 382 383 386 388 393 395 553 575 623 780 817 870 "
        "875 876 877",
    )
)
_ALLOWED_CREDIT_NOTE_TYPES = frozenset(
    re.findall(r"\d+", "81 83 261 262 296 308 381 396 420 458 532")
)
_PROFILE = re.compile(r"^urn:fdc:peppol\.eu:2017:poacc:billing:\d{2}:1\.0$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UBL_NAMESPACES = frozenset({NS_INVOICE, NS_CREDIT_NOTE, NS_CAC, NS_CBC, NS_EXT})
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_CategoryKey = tuple[str, Decimal | None]


class _Checker:
    """Collects rule violations as 'RULE-ID: message'."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.problems: list[str] = []
        self.currency = self.text(root, "cbc:DocumentCurrencyCode")

    def fail(self, rule: str, message: str) -> None:
        self.problems.append(f"{rule}: {message}")

    @staticmethod
    def find(node: etree._Element, path: str) -> etree._Element | None:
        return node.find(path, NAMESPACES)

    @staticmethod
    def findall(node: etree._Element, path: str) -> list[etree._Element]:
        return list(node.findall(path, NAMESPACES))

    def text(self, node: etree._Element, path: str) -> str | None:
        found = self.find(node, path)
        if found is None or found.text is None or not found.text.strip():
            return None
        return found.text.strip()

    def require(self, rule: str, node: etree._Element, path: str, what: str) -> str | None:
        value = self.text(node, path)
        if value is None:
            self.fail(rule, f"{what} is missing ({path})")
        return value

    def decimal(
        self,
        node: etree._Element,
        path: str,
        what: str,
        *,
        dec_rule: str | None = None,
        currency: bool = True,
    ) -> Decimal | None:
        """A number at `path`, checked for currency (R051) and two decimals (`dec_rule`)."""
        found = self.find(node, path)
        if found is None or found.text is None or not found.text.strip():
            return None
        raw = found.text.strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail("UBL-NUMBER", f"{what} is not a number: {raw!r}")
            return None
        if not value.is_finite():
            self.fail("UBL-NUMBER", f"{what} is not a finite number: {raw!r}")
            return None
        if currency and found.get("currencyID") != self.currency:
            self.fail(
                "PEPPOL-EN16931-R051",
                f"{what} has currencyID {found.get('currencyID')!r}, not the document's "
                f"{self.currency!r}",
            )
        if dec_rule and "." in raw and len(raw.split(".", 1)[1]) > 2:
            self.fail(dec_rule, f"{what} has more than two decimals: {raw}")
        return value


def _parse(xml_bytes: bytes) -> tuple[etree._Element | None, list[str]]:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False
    )
    try:
        root = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as exc:
        return None, [f"XML-WELLFORMED: the document is not well-formed XML: {exc}"]
    if getattr(root.getroottree().docinfo, "doctype", ""):
        return None, ["XML-DOCTYPE: a UBL document has no DOCTYPE"]
    return root, []


def check_en16931(xml_bytes: bytes) -> list[str]:
    """The EN 16931 (and PEPPOL BIS 3) rules our documents must meet, checked on the XML.

    Returns 'RULE-ID: message' for each violation; an empty list means the document passes.
    Covers well-formedness and namespaces, the mandatory elements (BR-01..BR-16, BR-21..BR-27,
    BR-45..BR-48, BR-CO-04, BR-CO-18), the calculation rules (BR-CO-10..BR-CO-17 and the
    per-category BR-S/Z/E/O-08 and -09), VAT identifiers and exemption reasons (BR-x-02,
    BR-x-05, BR-x-10, BR-O-11/12, BR-CO-09, BR-CO-26), decimals (BR-DEC-*), payment (BR-49,
    BR-61, BR-CO-25) and the PEPPOL rules R001..R008, R010/R020, R051, R053, R120/R121/R130.
    Amounts are compared exactly as decimals; VAT rounding is half-up (BR-CO-17 as published).
    """
    root, problems = _parse(xml_bytes)
    if root is None:
        return problems
    qname = etree.QName(root)
    if (qname.namespace, qname.localname) not in (
        (NS_INVOICE, "Invoice"),
        (NS_CREDIT_NOTE, "CreditNote"),
    ):
        return [f"UBL-ROOT: the root element {root.tag} is not a UBL 2.1 Invoice or CreditNote"]
    credit = qname.localname == "CreditNote"
    c = _Checker(root)
    _check_namespaces(c)
    _check_header(c, credit)
    line_sums = _check_lines(c, credit)
    _check_totals(c, line_sums)
    _check_vat(c, line_sums)
    _check_payment(c, credit)
    return c.problems


def _check_namespaces(c: _Checker) -> None:
    strays: set[str] = set()
    for element in c.root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        namespace = etree.QName(element).namespace
        if namespace not in _UBL_NAMESPACES:
            strays.add(element.tag)
        elif not list(element) and not (element.text or "").strip():
            c.fail("PEPPOL-EN16931-R008", f"empty element {etree.QName(element).localname}")
    for tag in sorted(strays):
        c.fail("UBL-NAMESPACE", f"element {tag} is not in a UBL 2.1 namespace")


def _check_header(c: _Checker, credit: bool) -> None:
    root = c.root
    customization = c.require("BR-01", root, "cbc:CustomizationID", "Specification identifier")
    if customization is not None and not customization.startswith(CUSTOMIZATION_ID):
        c.fail("PEPPOL-EN16931-R004", f"CustomizationID must be {CUSTOMIZATION_ID}")
    profile = c.text(root, "cbc:ProfileID")
    if profile is None:
        c.fail("PEPPOL-EN16931-R001", "Business process (ProfileID) is missing")
    elif not _PROFILE.match(profile):
        c.fail("PEPPOL-EN16931-R007", f"ProfileID {profile!r} is not a PEPPOL billing process")
    c.require("BR-02", root, "cbc:ID", "Invoice number")
    c.require("BR-03", root, "cbc:IssueDate", "Issue date")
    type_path = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    type_code = c.require("BR-04", root, type_path, "Invoice type code")
    allowed = _ALLOWED_CREDIT_NOTE_TYPES if credit else _ALLOWED_INVOICE_TYPES
    if type_code is not None and type_code not in allowed:
        c.fail("BR-CL-01", f"type code {type_code} is not allowed for this document")
    if c.require("BR-05", root, "cbc:DocumentCurrencyCode", "Invoice currency code") is None:
        c.currency = None
    if len(c.findall(root, "cbc:Note")) > 1:
        c.fail("PEPPOL-EN16931-R002", "no more than one note on document level")
    if (
        c.text(root, "cbc:BuyerReference") is None
        and c.text(root, "cac:OrderReference/cbc:ID") is None
    ):
        c.fail("PEPPOL-EN16931-R003", "a buyer reference or purchase order reference is needed")
    for element in root.iter(
        f"{{{NS_CBC}}}IssueDate",
        f"{{{NS_CBC}}}DueDate",
        f"{{{NS_CBC}}}StartDate",
        f"{{{NS_CBC}}}EndDate",
        f"{{{NS_CBC}}}PaymentDueDate",
    ):
        value = (element.text or "").strip()
        if not _is_iso_date(value):
            c.fail(
                "PEPPOL-EN16931-F001",
                f"{etree.QName(element).localname} {value!r} is not YYYY-MM-DD",
            )
    for reference in c.findall(root, "cac:BillingReference"):
        if c.text(reference, "cac:InvoiceDocumentReference/cbc:ID") is None:
            c.fail("BR-55", "a preceding invoice reference has no invoice number")

    for role, prefix, rules in (
        ("Seller", "cac:AccountingSupplierParty/cac:Party", ("BR-06", "BR-08", "BR-09")),
        ("Buyer", "cac:AccountingCustomerParty/cac:Party", ("BR-07", "BR-10", "BR-11")),
    ):
        party = c.find(root, prefix)
        if party is None:
            c.fail(rules[0], f"{role} party is missing")
            continue
        c.require(rules[0], party, "cac:PartyLegalEntity/cbc:RegistrationName", f"{role} name")
        if c.find(party, "cac:PostalAddress") is None:
            c.fail(rules[1], f"{role} postal address is missing")
        c.require(
            rules[2],
            party,
            "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
            f"{role} country code",
        )
        endpoint = c.find(party, "cbc:EndpointID")
        endpoint_rule = "PEPPOL-EN16931-R020" if role == "Seller" else "PEPPOL-EN16931-R010"
        if endpoint is None:
            c.fail(endpoint_rule, f"{role} electronic address (EndpointID) is missing")
        elif not endpoint.get("schemeID"):
            c.fail("BR-62" if role == "Seller" else "BR-63", f"{role} EndpointID has no schemeID")
        for vat_id in _vat_ids(c, party):
            if not re.match(r"^[A-Z]{2}", vat_id):
                c.fail("BR-CO-09", f"{role} VAT identifier {vat_id!r} has no country prefix")
    seller = c.find(root, "cac:AccountingSupplierParty/cac:Party")
    if seller is not None and not (
        c.text(seller, "cac:PartyIdentification/cbc:ID")
        or c.text(seller, "cac:PartyLegalEntity/cbc:CompanyID")
        or _vat_ids(c, seller)
    ):
        c.fail("BR-CO-26", "the seller has no identifier, legal registration or VAT identifier")


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _vat_ids(c: _Checker, party: etree._Element) -> list[str]:
    ids = []
    for scheme in c.findall(party, "cac:PartyTaxScheme"):
        if c.text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
            company_id = c.text(scheme, "cbc:CompanyID")
            if company_id:
                ids.append(company_id)
    return ids


def _category_key(c: _Checker, tax_category: etree._Element, where: str) -> _CategoryKey | None:
    code = c.text(tax_category, "cbc:ID")
    if code is None:
        return None
    percent = c.decimal(tax_category, "cbc:Percent", f"{where} VAT rate", currency=False)
    return code, percent


class _LineSums:
    def __init__(self) -> None:
        self.total = _ZERO
        self.by_category: dict[_CategoryKey, Decimal] = {}
        self.categories: set[str] = set()


def _check_lines(c: _Checker, credit: bool) -> _LineSums:
    sums = _LineSums()
    line_path = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    quantity_path = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    lines = c.findall(c.root, line_path)
    if not lines:
        c.fail("BR-16", "the document has no lines")
    for position, line in enumerate(lines, start=1):
        where = f"line {c.text(line, 'cbc:ID') or position}"
        c.require("BR-21", line, "cbc:ID", f"{where} identifier")
        quantity = c.decimal(line, quantity_path, f"{where} quantity", currency=False)
        if quantity is None:
            c.fail("BR-22", f"{where} has no quantity")
        quantity_node = c.find(line, quantity_path)
        unit = quantity_node.get("unitCode") if quantity_node is not None else None
        if quantity_node is not None and not unit:
            c.fail("BR-23", f"{where} quantity has no unit of measure")
        net = c.decimal(
            line, "cbc:LineExtensionAmount", f"{where} net amount", dec_rule="BR-DEC-23"
        )
        if net is None:
            c.fail("BR-24", f"{where} has no net amount")
        else:
            sums.total += net
        if c.text(line, "cac:Item/cbc:Name") is None:
            c.fail("BR-25", f"{where} has no item name")
        price = c.decimal(line, "cac:Price/cbc:PriceAmount", f"{where} price")
        if price is None:
            c.fail("BR-26", f"{where} has no item net price")
        elif price < 0:
            c.fail("BR-27", f"{where} price is negative")
        base_node = c.find(line, "cac:Price/cbc:BaseQuantity")
        base = c.decimal(
            line, "cac:Price/cbc:BaseQuantity", f"{where} base quantity", currency=False
        )
        if base is not None and base <= 0:
            c.fail("PEPPOL-EN16931-R121", f"{where} base quantity must be above zero")
        if (
            base_node is not None
            and base_node.get("unitCode")
            and base_node.get("unitCode") != unit
        ):
            c.fail("PEPPOL-EN16931-R130", f"{where} base quantity unit differs from the quantity's")
        if net is not None and price is not None:
            per_unit = price / (base if base and base > 0 else Decimal(1))
            expected = (quantity if quantity is not None else Decimal(1)) * per_unit
            if abs(net - expected) > Decimal("0.02"):
                c.fail(
                    "PEPPOL-EN16931-R120",
                    f"{where} net amount {net} is not quantity * price / base quantity "
                    f"({expected.quantize(Decimal('0.0001'))})",
                )
        tax_category = c.find(line, "cac:Item/cac:ClassifiedTaxCategory")
        key = _category_key(c, tax_category, where) if tax_category is not None else None
        if key is None:
            c.fail("BR-CO-04", f"{where} has no VAT category code")
            continue
        code, percent = key
        sums.categories.add(code)
        if code == "S" and (percent is None or percent <= 0):
            c.fail("BR-S-05", f"{where} is standard rated without a rate above zero")
        if code in ("Z", "E") and percent != 0:
            c.fail(f"BR-{code}-05", f"{where} in category {code} must have a rate of 0")
        if code == "O" and percent is not None:
            c.fail("BR-O-05", f"{where} is not subject to VAT and must have no rate")
        if net is not None:
            sums.by_category[key] = sums.by_category.get(key, _ZERO) + net
    return sums


def _allowance_charge_sums(c: _Checker) -> tuple[Decimal, Decimal]:
    allowances = charges = _ZERO
    for node in c.findall(c.root, "cac:AllowanceCharge"):
        amount = c.decimal(node, "cbc:Amount", "document allowance/charge amount") or _ZERO
        if c.text(node, "cbc:ChargeIndicator") == "true":
            charges += amount
        else:
            allowances += amount
    return allowances, charges


def _check_totals(c: _Checker, sums: _LineSums) -> None:
    totals = c.find(c.root, "cac:LegalMonetaryTotal")
    if totals is None:
        for rule in ("BR-12", "BR-13", "BR-14", "BR-15"):
            c.fail(rule, "LegalMonetaryTotal is missing")
        return

    def amount(name: str, rule: str, dec_rule: str, what: str) -> Decimal | None:
        value = c.decimal(totals, f"cbc:{name}", what, dec_rule=dec_rule)
        if value is None and rule:
            c.fail(rule, f"{what} ({name}) is missing")
        return value

    line_total = amount("LineExtensionAmount", "BR-12", "BR-DEC-09", "Sum of line net amounts")
    tax_exclusive = amount("TaxExclusiveAmount", "BR-13", "BR-DEC-12", "Total without VAT")
    tax_inclusive = amount("TaxInclusiveAmount", "BR-14", "BR-DEC-14", "Total with VAT")
    payable = amount("PayableAmount", "BR-15", "BR-DEC-18", "Amount due for payment")
    allowance_total = amount("AllowanceTotalAmount", "", "BR-DEC-10", "Sum of allowances")
    charge_total = amount("ChargeTotalAmount", "", "BR-DEC-11", "Sum of charges")
    prepaid = amount("PrepaidAmount", "", "BR-DEC-16", "Paid amount") or _ZERO
    rounding = amount("PayableRoundingAmount", "", "BR-DEC-17", "Rounding amount") or _ZERO
    allowances, charges = _allowance_charge_sums(c)

    if line_total is not None and line_total != sums.total:
        c.fail(
            "BR-CO-10", f"LineExtensionAmount {line_total} ≠ sum of line net amounts {sums.total}"
        )
    if (allowance_total or _ZERO) != allowances:
        c.fail(
            "BR-CO-11", f"AllowanceTotalAmount {allowance_total} ≠ sum of allowances {allowances}"
        )
    if (charge_total or _ZERO) != charges:
        c.fail("BR-CO-12", f"ChargeTotalAmount {charge_total} ≠ sum of charges {charges}")
    if line_total is not None and tax_exclusive is not None:
        expected = line_total - (allowance_total or _ZERO) + (charge_total or _ZERO)
        if tax_exclusive != expected:
            c.fail("BR-CO-13", f"TaxExclusiveAmount {tax_exclusive} ≠ {expected}")

    tax_totals = c.findall(c.root, "cac:TaxTotal")
    with_subtotals = [node for node in tax_totals if c.find(node, "cac:TaxSubtotal") is not None]
    if len(with_subtotals) != 1:
        c.fail("PEPPOL-EN16931-R053", "exactly one TaxTotal with tax subtotals is needed")
    tax_amount: Decimal | None = None
    if with_subtotals:
        tax_total = with_subtotals[0]
        tax_amount = c.decimal(
            tax_total, "cbc:TaxAmount", "Invoice total VAT", dec_rule="BR-DEC-13"
        )
        subtotal_sum = _ZERO
        for sub in c.findall(tax_total, "cac:TaxSubtotal"):
            subtotal_sum += c.decimal(sub, "cbc:TaxAmount", "VAT category tax amount") or _ZERO
        if tax_amount is None:
            c.fail("BR-CO-14", "Invoice total VAT amount is missing")
        elif tax_amount != subtotal_sum:
            c.fail("BR-CO-14", f"TaxTotal TaxAmount {tax_amount} ≠ sum of subtotals {subtotal_sum}")
    if tax_exclusive is not None and tax_inclusive is not None:
        expected = tax_exclusive + (tax_amount or _ZERO)
        if tax_inclusive != expected:
            c.fail(
                "BR-CO-15",
                f"TaxInclusiveAmount {tax_inclusive} ≠ {tax_exclusive} + VAT = {expected}",
            )
    if tax_inclusive is not None and payable is not None:
        expected = tax_inclusive - prepaid + rounding
        if payable != expected:
            c.fail("BR-CO-16", f"PayableAmount {payable} ≠ {expected}")
    if payable is not None and payable > 0:
        has_due = (
            c.text(c.root, "cbc:DueDate")
            or c.text(c.root, "cac:PaymentMeans/cbc:PaymentDueDate")
            or c.text(c.root, "cac:PaymentTerms/cbc:Note")
        )
        if not has_due:
            c.fail("BR-CO-25", "an amount is due but there is no due date nor payment terms")


def _check_vat(c: _Checker, sums: _LineSums) -> None:
    tax_total = next(
        (
            node
            for node in c.findall(c.root, "cac:TaxTotal")
            if c.find(node, "cac:TaxSubtotal") is not None
        ),
        None,
    )
    subtotals = c.findall(tax_total, "cac:TaxSubtotal") if tax_total is not None else []
    if not subtotals:
        c.fail("BR-CO-18", "the document has no VAT breakdown")
    seen: set[str] = set()
    subtotal_keys: set[_CategoryKey] = set()
    for position, sub in enumerate(subtotals, start=1):
        where = f"VAT breakdown {position}"
        taxable = c.decimal(
            sub, "cbc:TaxableAmount", f"{where} taxable amount", dec_rule="BR-DEC-19"
        )
        tax = c.decimal(sub, "cbc:TaxAmount", f"{where} tax amount", dec_rule="BR-DEC-20")
        if taxable is None:
            c.fail("BR-45", f"{where} has no taxable amount")
        if tax is None:
            c.fail("BR-46", f"{where} has no tax amount")
        category = c.find(sub, "cac:TaxCategory")
        key = _category_key(c, category, where) if category is not None else None
        if key is None or category is None:
            c.fail("BR-47", f"{where} has no VAT category code")
            continue
        code, percent = key
        seen.add(code)
        subtotal_keys.add(key)
        if percent is None and code != "O":
            c.fail("BR-48", f"{where} has no VAT rate")
        if code == "O" and percent is not None:
            c.fail("BR-O-05", f"{where} is not subject to VAT and must have no rate")
        if taxable is not None and tax is not None:
            if percent is not None and percent != 0:
                expected = (taxable * percent / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
                if tax != expected:
                    c.fail("BR-CO-17", f"{where}: {tax} ≠ {taxable} * {percent}% = {expected}")
            elif tax != 0:
                rule = f"BR-{code}-09" if code in ("Z", "E", "O") else "BR-CO-17"
                c.fail(rule, f"{where} tax must be 0")
        if taxable is not None and code in VAT_CATEGORIES:
            line_sum = sums.by_category.get(key, _ZERO)
            if taxable != line_sum:
                c.fail(
                    f"BR-{code}-08",
                    f"{where} taxable amount {taxable} ≠ sum of category {code} lines {line_sum}",
                )
        has_reason = bool(c.text(category, "cbc:TaxExemptionReason")) or bool(
            c.text(category, "cbc:TaxExemptionReasonCode")
        )
        if code in ("S", "Z") and has_reason:
            c.fail(f"BR-{code}-10", f"{where} in category {code} must have no exemption reason")
        if code in ("E", "O") and not has_reason:
            c.fail(f"BR-{code}-10", f"{where} in category {code} needs an exemption reason")
    for code in sorted(sums.categories - seen):
        rule = f"BR-{code}-01" if code in VAT_CATEGORIES else "BR-CO-18"
        c.fail(rule, f"no VAT breakdown for category {code}")
    for code, percent in sorted(sums.by_category.keys() - subtotal_keys, key=str):
        if code in seen:
            c.fail(f"BR-{code}-08", f"no VAT breakdown for category {code} at rate {percent}")

    seller = c.find(c.root, "cac:AccountingSupplierParty/cac:Party")
    buyer = c.find(c.root, "cac:AccountingCustomerParty/cac:Party")
    seller_vat = _vat_ids(c, seller) if seller is not None else []
    buyer_vat = _vat_ids(c, buyer) if buyer is not None else []
    for code in ("S", "Z", "E"):
        if code in sums.categories and not seller_vat:
            c.fail(f"BR-{code}-02", f"lines in category {code} need the seller's VAT identifier")
    if "O" in sums.categories or "O" in seen:
        if seller_vat or buyer_vat:
            c.fail("BR-O-02", "a document not subject to VAT must not carry VAT identifiers")
        if len(subtotals) != 1:
            c.fail("BR-O-11", "a document not subject to VAT has exactly one VAT breakdown")
        if sums.categories - {"O"}:
            c.fail("BR-O-12", "a document not subject to VAT has only category O lines")


def _check_payment(c: _Checker, credit: bool) -> None:
    for means in c.findall(c.root, "cac:PaymentMeans"):
        code = c.text(means, "cbc:PaymentMeansCode")
        if code is None:
            c.fail("BR-49", "a payment instruction has no payment means type code")
        elif code in ("30", "58") and c.text(means, "cac:PayeeFinancialAccount/cbc:ID") is None:
            c.fail("BR-61", "a credit transfer needs the payment account identifier")
    if credit and c.find(c.root, "cbc:DueDate") is not None:
        c.fail("UBL-SCHEMA", "a UBL 2.1 credit note has no DueDate element")


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_INK = colors.HexColor("#0b0c0c")
_RULE = colors.HexColor("#b1b4b6")
_HEADER_FILL = colors.HexColor("#f3f2f1")


def format_date_long(day: date) -> str:
    """ "21 December 2026" (no locale involved)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _terms_text(doc: InvoiceDocument) -> str:
    if doc.is_credit_note:
        # BR-CO-25 wants terms on any document with an amount due, a credit note included.
        return (
            f"Credit for invoice {doc.referenced_invoice_number}: set against amounts owed "
            f"to {doc.seller.name} or refunded. Nothing is to be paid."
        )
    days = doc.payment_terms_days
    if days is None:
        return ""
    if days == 0:
        return "Payment is due on receipt."
    return f"Payment is due within {days} days of the invoice date."


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
    lines = [*party.address_lines]
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


def _meta_rows(doc: InvoiceDocument) -> list[tuple[str, str]]:
    rows = [(f"{doc.title} number", doc.number), ("Issue date", format_date_long(doc.issue_date))]
    if doc.due_date is not None:
        rows.append(("Due date", format_date_long(doc.due_date)))
    rows.append(("Period", f"{_MONTHS[doc.period_start.month - 1]} {doc.period_start.year}"))
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


def _lines_table(doc: InvoiceDocument, styles: dict[str, ParagraphStyle], width: float) -> Table:
    cell, right = styles["cell"], styles["cell_right"]
    header: list[Flowable] = [
        _p("Officer", cell),
        _p("Week", cell),
        _p("Purchase order", cell),
        _p("Time (h:mm)", right),
        _p("Rate (£/hour)", right),
        _p("Amount (£)", right),
    ]
    rows: list[list[Flowable]] = [header]
    for line in doc.lines:
        officer = line.officer_name
        if line.vat_category != "S" and line.exemption_reason:
            officer += (
                f"\n{vat_label(line.vat_category, line.vat_rate_bps)}: {line.exemption_reason}"
            )
        rows.append(
            [
                _p(officer, cell),
                _p(line.week, cell),
                _p(line.purchase_order or "-", cell),
                _p(money.format_duration(line.minutes), right),
                _p(money.format_pounds(line.rate_pence_per_hour), right),
                _p(money.format_pounds(line.amount_pence), right),
            ]
        )
    fractions = (0.29, 0.11, 0.18, 0.13, 0.14, 0.15)
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
    terms = _terms_text(doc)
    if doc.due_date is not None:
        terms = f"{terms} Please pay by {format_date_long(doc.due_date)}.".strip()
    if terms:
        flowables.append(_p(terms, body))
    if doc.payment is not None:
        rows = [("Pay to", doc.payment.payee_name)]
        if doc.payment.sort_code:
            rows.append(("Sort code", doc.payment.sort_code))
        if doc.payment.account_number:
            rows.append(("Account number", doc.payment.account_number))
        rows.append(("Payment reference", doc.payment_reference))
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
        title=f"{doc.title} {doc.number}",
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
        _p(doc.title, styles["title"]),
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
    footer = f"{doc.title} {doc.number} · {doc.seller.name}"
    template.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

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
        ]
        out.append(csv_row(values))
    return "".join(out)
