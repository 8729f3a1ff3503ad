"""The document model: a finished invoice or credit note, everything its renderings show.

`InvoiceDocument` is a plain frozen dataclass in integer pence (DESIGN.md rule 2), checked for
consistency when built, so the renderers (`pdf`, `csv`, `ubl`) never compute money, they only
lay it out. An issued document carries its amounts as stored (DESIGN.md rule 10): line amounts,
net, VAT and gross come from the invoice or credit note rows, and the checks here only make
sure they agree with each other.

Conventions worth knowing:

- Amounts on a credit note are positive, as UBL's CreditNote wants them; only the CSV export
  shows them negative (a ledger adds credit notes up as negatives).
- VAT is per VAT category and rate on the sum of that category's lines, within one penny of
  taxable x rate (EN 16931 BR-CO-17): a credit note's VAT keeps the running total credited
  exact, so the last credit note of an invoice brings it to the invoice's VAT to the penny.
- VAT categories are UNCL5305 codes: S standard, Z zero-rated, E exempt, O outside the scope
  (`VAT_CATEGORY_BY_TREATMENT` maps `CouncilSettings.vat_treatment`). A reason is required for
  E and O; for Z it is printed on the PDF and in the line note, but never as a UBL exemption
  reason, which EN 16931 forbids for S and Z (BR-S-10, BR-Z-10).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, get_args

from app.core import money
from app.core.isoweek import Week, week_text

DocumentKind = Literal["invoice", "credit_note"]
LineKind = Literal["time", "late_cancellation"]
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
    # Street lines; with `town` and `postcode` when the address is structured (issue 8), else
    # free text whose last lines are the town and postcode (invoices issued before).
    address_lines: tuple[str, ...] = ()
    vat_number: str | None = None
    contact_email: str | None = None
    country_code: str = "GB"
    town: str | None = None
    postcode: str | None = None
    country_subentity: str | None = None  # England, Scotland, Wales, Northern Ireland
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
        _optional_text("town", self.town)
        _optional_text("postcode", self.postcode)
        _optional_text("country subentity", self.country_subentity)

    @property
    def printed_address(self) -> tuple[str, ...]:
        """The address as printed: street lines, then town and postcode."""
        return tuple(p for p in (*self.address_lines, self.town, self.postcode) if p)

    @property
    def postal_address(self) -> dict[str, str]:
        """UBL address parts: StreetName, AdditionalStreetName, CityName, PostalZone,
        CountrySubentity, AddressLine (a third and fourth line)."""
        if self.town is None and self.postcode is None:
            parts = split_address(self.address_lines)
        else:
            lines = list(self.address_lines)
            parts = dict(zip(("StreetName", "AdditionalStreetName"), lines, strict=False))
            if lines[2:]:
                parts["AddressLine"] = ", ".join(lines[2:])
            if self.town:
                parts["CityName"] = self.town
            if self.postcode:
                parts["PostalZone"] = self.postcode
        if self.country_subentity:
            parts["CountrySubentity"] = self.country_subentity
        return parts

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
    """One booking's time (or a late cancellation's charge), with its amount as stored.

    The stored amount is `minutes * rate / 60` rounded half-up once, or, for the part of a
    line credited last, what was left of the line; either way within a penny of the exact
    product (PEPPOL-EN16931-R120 allows two), which is all this checks.
    """

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
    purpose: str | None = None
    kind: LineKind = "time"
    charge_percent: int | None = None  # a late cancellation's share of the booked hours

    def __post_init__(self) -> None:
        _text("booking reference", self.booking_reference)
        _text("officer name", self.officer_name)
        Week(self.week)
        _optional_text("purchase order", self.purchase_order)
        _optional_text("purpose", self.purpose)
        _int("minutes", self.minutes)
        _int("rate_pence_per_hour", self.rate_pence_per_hour)
        _int("amount_pence", self.amount_pence)
        if abs(self.amount_pence * 60 - self.minutes * self.rate_pence_per_hour) > 60:
            raise ValueError(
                f"line {self.booking_reference}: amount_pence {self.amount_pence} is not "
                f"{self.minutes} min * {self.rate_pence_per_hour}p/h within a penny"
            )
        if self.kind not in ("time", "late_cancellation"):
            raise ValueError("a line is 'time' or 'late_cancellation'")
        if self.kind == "late_cancellation":
            _int("charge_percent", self.charge_percent)
        _check_category(self.vat_category, self.vat_rate_bps, self.exemption_reason)

    @property
    def week_text(self) -> str:
        """ "w/c 2 Nov 2026": the week by its Monday, as people read it."""
        return week_text(self.week)

    @property
    def description(self) -> str:
        """What the line is for, in words: officer, booking reference, purpose."""
        if self.kind == "late_cancellation":
            what = (
                f"Late cancellation charge ({self.charge_percent}% of the booked hours): "
                f"{self.officer_name}"
            )
        else:
            what = f"Officer time: {self.officer_name}"
        parts = [what, f"booking {self.booking_reference}"]
        if self.purpose:
            parts.append(self.purpose)
        return ", ".join(parts)


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
    sort_code: str | None = None  # 6 digits
    account_number: str | None = None  # 8 digits
    remittance_email: str | None = None

    def __post_init__(self) -> None:
        _text("payee name", self.payee_name)
        _optional_text("account reference", self.account_reference)
        _optional_text("sort code", self.sort_code)
        _optional_text("account number", self.account_number)
        _optional_text("remittance email", self.remittance_email)

    @property
    def sort_code_text(self) -> str | None:
        """ "30-99-50", as a UK sort code is written."""
        code = self.sort_code
        if code and len(code) == 6 and code.isdigit():
            return f"{code[:2]}-{code[2:4]}-{code[4:]}"
        return code


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
    # HMRC's tax point for continuous supplies of services invoiced periodically: the date the
    # invoice is issued (payment first is not possible here), so the issue date unless given.
    tax_point: date | None = None
    purchase_order: str | None = None  # the one PO this invoice answers (OrderReference)

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
        _optional_text("purchase order", self.purchase_order)
        _check_stored_totals(self)

    @property
    def effective_tax_point(self) -> date:
        return self.tax_point or self.issue_date

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def title(self) -> str:
        return "Credit note" if self.is_credit_note else "Invoice"

    @property
    def purchase_orders(self) -> tuple[str, ...]:
        """The invoice's PO, else the distinct PO numbers of the lines, in line order."""
        if self.purchase_order:
            return (self.purchase_order,)
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
    vat_pence: int | None = None,
    tax_point: date | None = None,
    purchase_order: str | None = None,
) -> InvoiceDocument:
    """A document with its VAT breakdown and totals from its lines.

    `vat_pence` is the VAT as stored (an issued invoice or credit note): the document prints
    it, never a figure of its own. With one VAT category (every document the pool issues) the
    breakdown's tax is that figure; with several, the per-category figures must add up to it.
    Without `vat_pence` (documents made by hand), VAT is computed per category.
    """
    breakdown = compute_vat_breakdown(lines)
    if vat_pence is not None and len(breakdown) == 1:
        breakdown = (replace(breakdown[0], tax_pence=vat_pence),)
    totals = money.totals((sub.taxable_pence, sub.rate_bps) for sub in breakdown)
    vat = totals.vat_pence if vat_pence is None else vat_pence
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
        vat_pence=vat,
        gross_pence=totals.net_pence + vat,
        buyer_reference=buyer_reference,
        referenced_invoice_number=referenced_invoice_number,
        referenced_invoice_issue_date=referenced_invoice_issue_date,
        payment=payment,
        payment_terms_days=payment_terms_days,
        notes=tuple(notes),
        tax_point=tax_point,
        purchase_order=purchase_order,
    )


def _check_stored_totals(doc: InvoiceDocument) -> None:
    """The stored figures agree with each other: lines add up to the breakdown and the net,
    the breakdown's tax to the VAT, and each category's tax is its taxable amount times its
    rate within one penny either way (EN 16931 BR-CO-17's tolerance)."""
    expected = compute_vat_breakdown(doc.lines)
    without_tax = [replace(sub, tax_pence=0) for sub in doc.vat_breakdown]
    if without_tax != [replace(sub, tax_pence=0) for sub in expected]:
        raise ValueError(f"VAT breakdown {doc.vat_breakdown} should be {expected}")
    for sub in doc.vat_breakdown:
        exact = money.vat_pence(sub.taxable_pence, sub.rate_bps)
        if abs(sub.tax_pence - exact) > 1:
            raise ValueError(
                f"VAT {sub.tax_pence}p on {sub.taxable_pence}p at {sub.rate_bps} bps is more "
                f"than a penny from {exact}p (BR-CO-17)"
            )
    net = sum(line.amount_pence for line in doc.lines)
    vat = sum(sub.tax_pence for sub in doc.vat_breakdown)
    actual = (doc.net_pence, doc.vat_pence, doc.gross_pence)
    if actual != (net, vat, net + vat):
        raise ValueError(f"net/VAT/gross {actual} should be {(net, vat, net + vat)}")


def vat_label(category: VatCategory, rate_bps: int) -> str:
    """ "VAT at 20%", "Zero-rated", "Exempt from VAT", "Outside the scope of VAT"."""
    if category == "S":
        return f"VAT at {money.format_rate_percent(rate_bps)}%"
    return VAT_CATEGORY_LABELS[category]


_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)


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


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (each becomes U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


MONTHS = (
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


def format_date_long(day: date) -> str:
    """ "21 December 2026" (no locale involved)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def terms_text(doc: InvoiceDocument) -> str:
    """The payment terms in words, with the due date (PDF "How to pay", UBL PaymentTerms)."""
    if doc.is_credit_note:
        # BR-CO-25 wants terms on any document with an amount due, a credit note included.
        return (
            f"Credit for invoice {doc.referenced_invoice_number}: set against amounts owed "
            f"to {doc.seller.name} or refunded. Nothing is to be paid."
        )
    days = doc.payment_terms_days
    due = f" Please pay by {format_date_long(doc.due_date)}." if doc.due_date else ""
    if days is None:
        return due.strip()
    if days == 0:
        return f"Payment is due on receipt.{due}"
    return f"Payment is due within {days} days of the invoice date.{due}"
