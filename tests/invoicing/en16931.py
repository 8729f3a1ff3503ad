"""EN 16931 / PEPPOL BIS Billing 3.0 rules checked in Python on UBL 2.1 XML, for the tests.

No XSD or Schematron runs offline here, so this is our reading of the rules our documents rely
on; it is not the official validator. `check_en16931(xml) -> list[str]` returns
'RULE-ID: message' per violation (empty: passes). It covers:

- well-formedness, no DOCTYPE, UBL namespaces, no empty elements (PEPPOL-EN16931-R008);
- mandatory elements: BR-01..BR-16, BR-21..BR-27, BR-45..BR-48, BR-55, BR-62/63, BR-CO-04,
  BR-CO-18, BR-CO-26, PEPPOL R001..R004, R007, R010, R020, F001 (dates);
- calculations: BR-CO-10..BR-CO-16 (with document allowances and charges: BR-CO-11/12/13),
  BR-CO-17 with its one-minor-unit tolerance, the per-category BR-S/Z/E/O-08 (taxable amount =
  lines + document charges - allowances of the category) and -09, PEPPOL R120 (line net =
  quantity x price / base quantity + line charges - line allowances, 0.02 tolerance), R121,
  R130, R051 (currency), R053, BR-DEC-* (two decimals);
- VAT: BR-x-02, BR-x-05, BR-x-10, BR-O-02/11/12, BR-CO-09, and PEPPOL's warnings UBL-CR-600 and
  UBL-CR-601 (no exemption reason, coded or text, in a line's ClassifiedTaxCategory);
- payment: BR-49, BR-61, BR-CO-25.

Not covered: code lists beyond document type codes, BR-CO-03/05/06/07/08 and the rules on
invoiced items' identifiers, attachments, deliveries and tax representatives (our documents
carry none of these).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from app.invoicing.documents import (
    CUSTOMIZATION_ID,
    NAMESPACES,
    NS_CAC,
    NS_CBC,
    NS_CREDIT_NOTE,
    NS_EXT,
    NS_INVOICE,
    VAT_CATEGORIES,
)

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
    """The document-level rules, one function each."""
    for rule in (
        _specification,
        _mandatory_header,
        _one_note,
        _buyer_or_order_reference,
        _iso_dates,
        _preceding_invoice,
        _parties,
        _seller_identifier,
    ):
        rule(c, credit)


def _specification(c: _Checker, credit: bool) -> None:
    """BR-01, PEPPOL-EN16931-R004 (CustomizationID), R001 and R007 (ProfileID)."""
    customization = c.require("BR-01", c.root, "cbc:CustomizationID", "Specification identifier")
    if customization is not None and not customization.startswith(CUSTOMIZATION_ID):
        c.fail("PEPPOL-EN16931-R004", f"CustomizationID must be {CUSTOMIZATION_ID}")
    profile = c.text(c.root, "cbc:ProfileID")
    if profile is None:
        c.fail("PEPPOL-EN16931-R001", "Business process (ProfileID) is missing")
    elif not _PROFILE.match(profile):
        c.fail("PEPPOL-EN16931-R007", f"ProfileID {profile!r} is not a PEPPOL billing process")


def _mandatory_header(c: _Checker, credit: bool) -> None:
    """BR-02..BR-05: number, issue date, type code (BR-CL-01: an allowed one), currency."""
    c.require("BR-02", c.root, "cbc:ID", "Invoice number")
    c.require("BR-03", c.root, "cbc:IssueDate", "Issue date")
    type_path = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    type_code = c.require("BR-04", c.root, type_path, "Invoice type code")
    allowed = _ALLOWED_CREDIT_NOTE_TYPES if credit else _ALLOWED_INVOICE_TYPES
    if type_code is not None and type_code not in allowed:
        c.fail("BR-CL-01", f"type code {type_code} is not allowed for this document")
    if c.require("BR-05", c.root, "cbc:DocumentCurrencyCode", "Invoice currency code") is None:
        c.currency = None


def _one_note(c: _Checker, credit: bool) -> None:
    """PEPPOL-EN16931-R002: at most one note on document level."""
    if len(c.findall(c.root, "cbc:Note")) > 1:
        c.fail("PEPPOL-EN16931-R002", "no more than one note on document level")


def _buyer_or_order_reference(c: _Checker, credit: bool) -> None:
    """PEPPOL-EN16931-R003: a buyer reference or a purchase order reference."""
    if (
        c.text(c.root, "cbc:BuyerReference") is None
        and c.text(c.root, "cac:OrderReference/cbc:ID") is None
    ):
        c.fail("PEPPOL-EN16931-R003", "a buyer reference or purchase order reference is needed")


def _iso_dates(c: _Checker, credit: bool) -> None:
    """PEPPOL-EN16931-F001: dates are YYYY-MM-DD."""
    for element in c.root.iter(
        *(f"{{{NS_CBC}}}{name}" for name in _DATES),
    ):
        value = (element.text or "").strip()
        if not _is_iso_date(value):
            c.fail(
                "PEPPOL-EN16931-F001",
                f"{etree.QName(element).localname} {value!r} is not YYYY-MM-DD",
            )


_DATES = ("IssueDate", "DueDate", "StartDate", "EndDate", "PaymentDueDate", "TaxPointDate")


def _preceding_invoice(c: _Checker, credit: bool) -> None:
    """BR-55: a preceding invoice reference has the invoice's number."""
    for reference in c.findall(c.root, "cac:BillingReference"):
        if c.text(reference, "cac:InvoiceDocumentReference/cbc:ID") is None:
            c.fail("BR-55", "a preceding invoice reference has no invoice number")


def _parties(c: _Checker, credit: bool) -> None:
    """BR-06..BR-11 (names, addresses, countries), R010/R020 and BR-62/63 (electronic
    addresses), BR-CO-09 (VAT identifiers with a country prefix), for seller and buyer."""
    for role, prefix, rules in (
        ("Seller", "cac:AccountingSupplierParty/cac:Party", ("BR-06", "BR-08", "BR-09")),
        ("Buyer", "cac:AccountingCustomerParty/cac:Party", ("BR-07", "BR-10", "BR-11")),
    ):
        party = c.find(c.root, prefix)
        if party is None:
            c.fail(rules[0], f"{role} party is missing")
            continue
        c.require(rules[0], party, "cac:PartyLegalEntity/cbc:RegistrationName", f"{role} name")
        if c.find(party, "cac:PostalAddress") is None:
            c.fail(rules[1], f"{role} postal address is missing")
        country = "cac:PostalAddress/cac:Country/cbc:IdentificationCode"
        c.require(rules[2], party, country, f"{role} country code")
        _endpoint(c, party, role)
        for vat_id in _vat_ids(c, party):
            if not re.match(r"^[A-Z]{2}", vat_id):
                c.fail("BR-CO-09", f"{role} VAT identifier {vat_id!r} has no country prefix")


def _endpoint(c: _Checker, party: etree._Element, role: str) -> None:
    endpoint = c.find(party, "cbc:EndpointID")
    endpoint_rule = "PEPPOL-EN16931-R020" if role == "Seller" else "PEPPOL-EN16931-R010"
    if endpoint is None:
        c.fail(endpoint_rule, f"{role} electronic address (EndpointID) is missing")
    elif not endpoint.get("schemeID"):
        c.fail("BR-62" if role == "Seller" else "BR-63", f"{role} EndpointID has no schemeID")


def _seller_identifier(c: _Checker, credit: bool) -> None:
    """BR-CO-26: the seller has an identifier, a legal registration or a VAT identifier."""
    seller = c.find(c.root, "cac:AccountingSupplierParty/cac:Party")
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
            expected += _line_allowance_charge(c, line)
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
        if c.find(tax_category, "cbc:TaxExemptionReasonCode") is not None:
            c.fail("UBL-CR-600", f"{where} has a VAT exemption reason code in the line")
        if c.find(tax_category, "cbc:TaxExemptionReason") is not None:
            c.fail("UBL-CR-601", f"{where} has a VAT exemption reason in the line")
    _add_document_allowances_and_charges(c, sums)
    return sums


def _line_allowance_charge(c: _Checker, line: etree._Element) -> Decimal:
    """A line's charges less its allowances (BT-141 / BT-136): part of its net amount."""
    total = _ZERO
    for node in c.findall(line, "cac:AllowanceCharge"):
        amount = c.decimal(node, "cbc:Amount", "line allowance/charge amount") or _ZERO
        total += amount if c.text(node, "cbc:ChargeIndicator") == "true" else -amount
    return total


def _add_document_allowances_and_charges(c: _Checker, sums: _LineSums) -> None:
    """Document-level allowances and charges count in their VAT category's taxable amount
    (BR-S-08 and the like: lines + charges - allowances)."""
    for node in c.findall(c.root, "cac:AllowanceCharge"):
        amount = c.decimal(node, "cbc:Amount", "document allowance/charge amount") or _ZERO
        category = c.find(node, "cac:TaxCategory")
        key = _category_key(c, category, "allowance/charge") if category is not None else None
        if key is None:
            c.fail(
                "BR-32" if c.text(node, "cbc:ChargeIndicator") != "true" else "BR-37",
                "a document allowance or charge has no VAT category",
            )
            continue
        signed = amount if c.text(node, "cbc:ChargeIndicator") == "true" else -amount
        sums.by_category[key] = sums.by_category.get(key, _ZERO) + signed
        sums.categories.add(key[0])


def _allowance_charge_sums(c: _Checker) -> tuple[Decimal, Decimal]:
    allowances = charges = _ZERO
    for node in c.findall(c.root, "cac:AllowanceCharge"):
        amount = c.decimal(node, "cbc:Amount", "document allowance/charge amount") or _ZERO
        if c.text(node, "cbc:ChargeIndicator") == "true":
            charges += amount
        else:
            allowances += amount
    return allowances, charges


class _Totals:
    """The document totals (BT-106..BT-115), read once with BR-12..BR-15 and BR-DEC-*."""

    def __init__(self, c: _Checker, totals: etree._Element) -> None:
        def amount(name: str, rule: str, dec_rule: str, what: str) -> Decimal | None:
            value = c.decimal(totals, f"cbc:{name}", what, dec_rule=dec_rule)
            if value is None and rule:
                c.fail(rule, f"{what} ({name}) is missing")
            return value

        self.lines = amount("LineExtensionAmount", "BR-12", "BR-DEC-09", "Sum of line net amounts")
        self.tax_exclusive = amount("TaxExclusiveAmount", "BR-13", "BR-DEC-12", "Total without VAT")
        self.tax_inclusive = amount("TaxInclusiveAmount", "BR-14", "BR-DEC-14", "Total with VAT")
        self.payable = amount("PayableAmount", "BR-15", "BR-DEC-18", "Amount due for payment")
        self.allowances = amount("AllowanceTotalAmount", "", "BR-DEC-10", "Sum of allowances")
        self.charges = amount("ChargeTotalAmount", "", "BR-DEC-11", "Sum of charges")
        self.prepaid = amount("PrepaidAmount", "", "BR-DEC-16", "Paid amount") or _ZERO
        self.rounding = amount("PayableRoundingAmount", "", "BR-DEC-17", "Rounding amount") or _ZERO
        self.tax: Decimal | None = None


def _check_totals(c: _Checker, sums: _LineSums) -> None:
    """The calculation rules on the totals, one function each."""
    node = c.find(c.root, "cac:LegalMonetaryTotal")
    if node is None:
        for rule in ("BR-12", "BR-13", "BR-14", "BR-15"):
            c.fail(rule, "LegalMonetaryTotal is missing")
        return
    totals = _Totals(c, node)
    for rule in (_br_co_10, _br_co_11_12, _br_co_13, _br_co_14, _br_co_15, _br_co_16, _br_co_25):
        rule(c, totals, sums)


def _br_co_10(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """Sum of line net amounts = sum of the lines' net amounts."""
    if t.lines is not None and t.lines != sums.total:
        c.fail("BR-CO-10", f"LineExtensionAmount {t.lines} ≠ sum of line net amounts {sums.total}")


def _br_co_11_12(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """Sums of document allowances (BR-CO-11) and charges (BR-CO-12)."""
    allowances, charges = _allowance_charge_sums(c)
    if (t.allowances or _ZERO) != allowances:
        c.fail("BR-CO-11", f"AllowanceTotalAmount {t.allowances} ≠ sum of allowances {allowances}")
    if (t.charges or _ZERO) != charges:
        c.fail("BR-CO-12", f"ChargeTotalAmount {t.charges} ≠ sum of charges {charges}")


def _br_co_13(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """Total without VAT = lines - allowances + charges."""
    if t.lines is not None and t.tax_exclusive is not None:
        expected = t.lines - (t.allowances or _ZERO) + (t.charges or _ZERO)
        if t.tax_exclusive != expected:
            c.fail("BR-CO-13", f"TaxExclusiveAmount {t.tax_exclusive} ≠ {expected}")


def _br_co_14(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """One TaxTotal with subtotals (PEPPOL R053); its VAT = the subtotals' (BR-CO-14)."""
    tax_totals = c.findall(c.root, "cac:TaxTotal")
    with_subtotals = [node for node in tax_totals if c.find(node, "cac:TaxSubtotal") is not None]
    if len(with_subtotals) != 1:
        c.fail("PEPPOL-EN16931-R053", "exactly one TaxTotal with tax subtotals is needed")
    if not with_subtotals:
        return
    tax_total = with_subtotals[0]
    t.tax = c.decimal(tax_total, "cbc:TaxAmount", "Invoice total VAT", dec_rule="BR-DEC-13")
    subtotal_sum = _ZERO
    for sub in c.findall(tax_total, "cac:TaxSubtotal"):
        subtotal_sum += c.decimal(sub, "cbc:TaxAmount", "VAT category tax amount") or _ZERO
    if t.tax is None:
        c.fail("BR-CO-14", "Invoice total VAT amount is missing")
    elif t.tax != subtotal_sum:
        c.fail("BR-CO-14", f"TaxTotal TaxAmount {t.tax} ≠ sum of subtotals {subtotal_sum}")


def _br_co_15(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """Total with VAT = total without VAT + VAT."""
    if t.tax_exclusive is not None and t.tax_inclusive is not None:
        expected = t.tax_exclusive + (t.tax or _ZERO)
        if t.tax_inclusive != expected:
            c.fail(
                "BR-CO-15",
                f"TaxInclusiveAmount {t.tax_inclusive} ≠ {t.tax_exclusive} + VAT = {expected}",
            )


def _br_co_16(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """Amount due = total with VAT - paid + rounding."""
    if t.tax_inclusive is not None and t.payable is not None:
        expected = t.tax_inclusive - t.prepaid + t.rounding
        if t.payable != expected:
            c.fail("BR-CO-16", f"PayableAmount {t.payable} ≠ {expected}")


def _br_co_25(c: _Checker, t: _Totals, sums: _LineSums) -> None:
    """An amount due needs a due date or payment terms."""
    if t.payable is not None and t.payable > 0:
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
                if abs(tax - expected) > _CENT:  # BR-CO-17 allows one minor unit either way
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
