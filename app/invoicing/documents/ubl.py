"""The document as UBL 2.1 XML following PEPPOL BIS Billing 3.0.

Time in UBL: `InvoicedQuantity` is the whole number of minutes (`unitCode="MIN"`) and the price
is the hourly rate per `BaseQuantity` 60 MIN, so quantity * price / base quantity is minutes *
rate / 60; the line amount is what was stored (within PEPPOL-EN16931-R120's 0.02 tolerance),
and the totals are the stored totals. Payment is a credit transfer (PaymentMeansCode 30) to
the issuer's UK account (PayeeFinancialAccount: account number, name, sort code as the branch),
with the terms in words (PaymentTerms). Addresses are structured (StreetName,
AdditionalStreetName, CityName, PostalZone, CountrySubentity, Country) for both parties; an
invoice quotes its one purchase order as OrderReference.
"""

from __future__ import annotations

from lxml import etree

from app.core import money
from app.invoicing.documents.model import (
    CURRENCY,
    DocumentLine,
    InvoiceDocument,
    Party,
    VatCategory,
    terms_text,
    xml_safe,
)

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


def _ubl_party(parent: etree._Element, party: Party, *, with_vat_id: bool) -> None:
    u = _Ubl
    node = u.cac(parent, "Party")
    endpoint = party.endpoint
    if endpoint is not None:
        u.cbc(node, "EndpointID", endpoint[1], schemeID=endpoint[0])
    u.cbc(u.cac(node, "PartyIdentification"), "ID", party.identifier)
    u.cbc(u.cac(node, "PartyName"), "Name", party.name)
    address = u.cac(node, "PostalAddress")
    parts = party.postal_address
    for name in (
        "StreetName",
        "AdditionalStreetName",
        "CityName",
        "PostalZone",
        "CountrySubentity",
    ):
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
    """A VAT category. Exemption reasons (code and text) go only in the VAT breakdown: in a
    line's ClassifiedTaxCategory PEPPOL warns about them (UBL-CR-600, UBL-CR-601)."""
    u = _Ubl
    node = u.cac(parent, name)
    u.cbc(node, "ID", category)
    if category != "O":  # BR-O-05 / BR-O-xx: "not subject to VAT" has no rate
        u.cbc(node, "Percent", _percent(rate_bps))
    if category == "O" and name == "TaxCategory":
        u.cbc(node, "TaxExemptionReasonCode", VATEX_OUTSIDE_SCOPE)
    if category in ("E", "O") and reason:  # BR-S-10 / BR-Z-10: never for S or Z
        u.cbc(node, "TaxExemptionReason", reason)
    u.cbc(u.cac(node, "TaxScheme"), "ID", "VAT")


def _line_note(line: DocumentLine) -> str:
    parts = [line.description, line.week_text]
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
    _ubl_header(root, doc)
    # BR-O-02: a document with "not subject to VAT" lines carries no VAT identifiers.
    with_vat_ids = all(line.vat_category != "O" for line in doc.lines)
    _ubl_party(u.cac(root, "AccountingSupplierParty"), doc.seller, with_vat_id=with_vat_ids)
    _ubl_party(u.cac(root, "AccountingCustomerParty"), doc.buyer, with_vat_id=with_vat_ids)
    _ubl_payment(root, doc)
    _ubl_totals(root, doc)
    for index, line in enumerate(doc.lines, start=1):
        _ubl_line(u.cac(root, "CreditNoteLine" if credit else "InvoiceLine"), index, line, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _ubl_header(root: etree._Element, doc: InvoiceDocument) -> None:
    """Identifiers, dates, type, note, currency and the references, in schema order."""
    u = _Ubl
    credit = doc.is_credit_note
    u.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    u.cbc(root, "ProfileID", PROFILE_ID)
    u.cbc(root, "ID", doc.number)
    u.cbc(root, "IssueDate", doc.issue_date.isoformat())
    tax_point = doc.effective_tax_point.isoformat()
    if not credit and doc.due_date is not None:
        u.cbc(root, "DueDate", doc.due_date.isoformat())
    if credit:
        u.cbc(root, "TaxPointDate", tax_point)  # CreditNote-2 puts it before the type code
        u.cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    else:
        u.cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    if doc.notes:  # PEPPOL-EN16931-R002: at most one note on the document
        u.cbc(root, "Note", "\n".join(doc.notes))
    if not credit:
        u.cbc(root, "TaxPointDate", tax_point)
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


def _ubl_payment(root: etree._Element, doc: InvoiceDocument) -> None:
    """A credit transfer to the issuer's UK account (its number, name and the sort code of its
    branch), and the terms in words."""
    u = _Ubl
    if doc.payment is not None:
        means = u.cac(root, "PaymentMeans")
        has_account = doc.payment.account_number is not None
        code = PAYMENT_MEANS_CREDIT_TRANSFER if has_account else PAYMENT_MEANS_NOT_DEFINED
        u.cbc(means, "PaymentMeansCode", code)
        if doc.is_credit_note and doc.due_date is not None:  # BT-9 of a UBL 2.1 credit note
            u.cbc(means, "PaymentDueDate", doc.due_date.isoformat())
        u.cbc(means, "PaymentID", doc.payment_reference)
        if doc.payment.account_number is not None:
            account = u.cac(means, "PayeeFinancialAccount")
            u.cbc(account, "ID", doc.payment.account_number)
            u.cbc(account, "Name", doc.payment.payee_name)
            if doc.payment.sort_code:
                branch = u.cac(account, "FinancialInstitutionBranch")
                u.cbc(branch, "ID", doc.payment.sort_code)
    terms = terms_text(doc)
    if terms:
        u.cbc(u.cac(root, "PaymentTerms"), "Note", terms)


def _ubl_totals(root: etree._Element, doc: InvoiceDocument) -> None:
    """The VAT breakdown and the document totals, as stored."""
    u = _Ubl
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


def _ubl_line(node: etree._Element, index: int, line: DocumentLine, credit: bool) -> None:
    u = _Ubl
    u.cbc(node, "ID", str(index))
    u.cbc(node, "Note", _line_note(line))
    quantity = "CreditedQuantity" if credit else "InvoicedQuantity"
    u.cbc(node, quantity, str(line.minutes), unitCode=UNIT_MINUTE)
    u.money(node, "LineExtensionAmount", line.amount_pence)
    reference = u.cac(node, "DocumentReference")  # BT-128: the invoiced object
    u.cbc(reference, "ID", line.booking_reference)
    u.cbc(reference, "DocumentTypeCode", "130")
    item = u.cac(node, "Item")
    kind = "Late cancellation" if line.kind == "late_cancellation" else "Officer time"
    u.cbc(item, "Name", f"{kind}: {line.officer_name}, {line.week_text}")
    _ubl_tax_category(item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate_bps)
    properties = [
        ("Officer", line.officer_name),
        ("Week commencing", line.week_text[4:]),
        ("Booking reference", line.booking_reference),
    ]
    if line.purpose:
        properties.append(("Purpose", line.purpose[:200]))
    if line.purchase_order:
        properties.append(("Purchase order", line.purchase_order))
    for name, value in properties:
        prop = u.cac(item, "AdditionalItemProperty")
        u.cbc(prop, "Name", name)
        u.cbc(prop, "Value", value)
    price = u.cac(node, "Price")
    u.money(price, "PriceAmount", line.rate_pence_per_hour)
    u.cbc(price, "BaseQuantity", str(PRICE_BASE_MINUTES), unitCode=UNIT_MINUTE)
