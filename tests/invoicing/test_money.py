"""Issue 8: documents print what is stored and reconcile with the ledger export; every credit
note sequence renders; an invoice tells the customer how and when to pay.

The property test runs the real services on the test database: random invoices (minutes, rates,
VAT treatments and rates including 17.5%, zero, exempt and outside the scope) and random
sequences of partial, whole-line and remainder credit notes."""

from __future__ import annotations

import csv
import io
import re
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select, update

from app.auth import service as auth
from app.bookings.models import Booking
from app.core.errors import Conflict, InvalidInput
from app.councils.models import CouncilSettings
from app.invoicing import service as invoicing
from app.invoicing.models import CreditNote, Invoice, NumberCounter
from app.officers import service as officers
from tests.invoicing.conftest import BANK, PERIOD, WEEKS, completed, make_lender
from tests.invoicing.en16931 import check_en16931

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
TREATMENTS = [
    ("standard", 2000, None),
    ("standard", 1750, None),
    ("zero", 0, "Zero-rated supply of staff"),
    ("exempt", 0, "Exempt under Schedule 9"),
    ("outside_scope", 0, "Non-business supply between local authorities (s113 LGA 1972)"),
]
ADDRESS = {
    "address_lines": ["Town Hall", "1 High Street"],
    "town": "Anytown",
    "postcode": "AB1 2CD",
}
CUSTOMER = {**ADDRESS, "finance_email": "ap@customer.gov.uk"}


def pence(text: str) -> int:
    return int(Decimal(text) * 100)


def ubl_amounts(xml: bytes) -> tuple[int, int, int, list[int]]:
    root = etree.fromstring(xml)
    totals = root.find("cac:LegalMonetaryTotal", NS)
    tax = root.find("cac:TaxTotal/cbc:TaxAmount", NS)
    assert totals is not None and tax is not None
    lines = root.findall("cac:InvoiceLine", NS) + root.findall("cac:CreditNoteLine", NS)
    return (
        pence(totals.findtext("cbc:TaxExclusiveAmount", namespaces=NS)),
        pence(tax.text or ""),
        pence(totals.findtext("cbc:PayableAmount", namespaces=NS)),
        [pence(line.findtext("cbc:LineExtensionAmount", namespaces=NS)) for line in lines],
    )


def csv_totals(text: str) -> set[tuple[int, int, int]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {
        (-pence(r["document_net"]) if pence(r["document_net"]) < 0 else pence(r["document_net"]),
         abs(pence(r["document_vat"])), abs(pence(r["document_gross"])))
        for r in rows
    }  # fmt: skip


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def ledger_vat_by_document(client, finance) -> dict[str, tuple[int, int]]:
    response = client.get(
        "/api/v1/exports/invoices.csv",
        params={"from": "2027-01-01", "to": "2027-01-31"},
        headers=finance.headers,
    )
    assert response.status_code == 200, response.text
    sums: dict[str, tuple[int, int]] = {}
    for row in csv.DictReader(io.StringIO(response.text)):
        if row["document_type"] == "CONTROL":
            continue
        net, vat = sums.get(row["document_number"], (0, 0))
        sums[row["document_number"]] = (net + pence(row["net"]), vat + pence(row["vat_amount"]))
    return {number: (abs(n), abs(v)) for number, (n, v) in sums.items()}


def check_renders_as_stored(kind: str, doc, stored_lines: list[int]) -> None:
    """`doc` in all three formats: UBL passes the rules and its totals are the stored ones."""
    number, net, vat, gross = doc
    for fmt in ("pdf", "csv", "ubl"):
        content, _media, _name = RENDERERS[kind](fmt)
        if fmt == "ubl":
            assert check_en16931(content) == [], number
            assert ubl_amounts(content) == (net, vat, gross, stored_lines), number
        elif fmt == "csv":
            assert csv_totals(content.decode()) == {(net, vat, gross)}, number
        else:
            text = pdf_text(content)
            assert f"£{gross // 100:,}.{gross % 100:02d}" in text, number


RENDERERS: dict = {}


def _issue(db, lender, booker, minutes_and_rates, treatment):
    name, rate_bps, reason = treatment
    row = db.get(CouncilSettings, lender.council.id)
    row.vat_treatment, row.vat_rate_bps, row.vat_reason = name, rate_bps, reason
    officer = officers.load_officer(db, lender.officer_id)
    for index, (minutes, rate) in enumerate(minutes_and_rates):
        officer.rate_pence_per_hour = rate
        db.commit()
        completed(db, lender, booker, WEEKS[1 + index % 2], minutes)
    finance = auth.actor_for(lender.finance.user, "token")
    [draft] = invoicing.run_recharge(db, finance, PERIOD)
    invoice = invoicing.issue(db, finance, draft.id)
    db.commit()
    return finance, invoice


# --- the remainder credit note of the issue ---------------------------------------------------


def test_the_remainder_credit_note_renders_and_reconciles(client, db, make):
    lender = make_lender(make, db, vat_number="GB123456789", **BANK, **ADDRESS)
    booker = make.user(make.council(**CUSTOMER), "booker")
    finance, invoice = _issue(db, lender, booker, [(315, 4502)], TREATMENTS[0])
    [line] = invoice.lines
    assert line.amount_pence == 23636  # 315 min at £45.02/h = 23635.5p
    first = invoicing.credit(
        db, finance, invoice.id, [invoicing.CreditRequest(line.booking_id, 314)], "Over"
    )
    rest = invoicing.credit(db, finance, invoice.id, [], "The rest")
    db.commit()
    assert [part.amount_pence for part in first.lines] == [23560]  # 314 min = 23560.47p
    assert [part.amount_pence for part in rest.lines] == [76]  # what was left of the line
    assert (first.vat_pence, rest.vat_pence) == (4712, 15)  # 20% of 23560; 4727 - 4712
    invoice = invoicing.get_invoice(db, finance, invoice.id)
    assert invoice.status == "credited"
    assert invoice.credited_vat_pence == invoice.vat_pence == 4727
    for note in (first, rest):
        for fmt in ("pdf", "csv", "ubl"):
            response = client.get(
                f"/api/v1/credit-notes/{note.id}/document?format={fmt}",
                headers=lender.finance.headers,
            )
            assert response.status_code == 200, (fmt, response.text)
            if fmt == "ubl":
                assert check_en16931(response.content) == []
                net, vat, gross, _ = ubl_amounts(response.content)
                assert (net, vat, gross) == (note.net_pence, note.vat_pence, note.gross_pence)
    ledger = ledger_vat_by_document(client, lender.finance)
    assert ledger[rest.number] == (76, 15) and ledger[first.number] == (23560, 4712)


# --- the property --------------------------------------------------------------------------

credit_step = st.one_of(
    st.tuples(st.just("part"), st.integers(0, 3), st.integers(1, 600)),
    st.tuples(st.just("line"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("rest"), st.just(0), st.just(0)),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(
        st.tuples(st.integers(1, 40).map(lambda q: q * 15), st.integers(1, 25_000)),
        min_size=1,
        max_size=3,
    ),
    treatment=st.sampled_from(TREATMENTS),
    steps=st.lists(credit_step, max_size=5),
)
def test_every_document_renders_and_reconciles(client, db, make, lines, treatment, steps):
    vat_number = None if treatment[0] == "outside_scope" else "GB123456789"
    lender = make_lender(
        make, db, vat_number=vat_number, finance_email="ar@lender.gov.uk", **BANK, **ADDRESS
    )
    booker = make.user(make.council(**CUSTOMER), "booker")
    finance, invoice = _issue(db, lender, booker, lines, treatment)
    notes: list[CreditNote] = []
    for kind, index, minutes in steps:
        line = invoice.lines[index % len(invoice.lines)]
        requests = [] if kind == "rest" else [
            invoicing.CreditRequest(line.booking_id, line.minutes if kind == "line" else minutes)
        ]  # fmt: skip
        try:
            with db.begin_nested():
                notes.append(invoicing.credit(db, finance, invoice.id, requests, kind))
        except (InvalidInput, Conflict):
            pass  # more than is left, or nothing left: refused, nothing changed
    db.commit()
    invoice = invoicing.get_invoice(db, finance, invoice.id)
    notes = invoicing.credit_notes_of(db, finance, invoice.id)
    # Credits never exceed the invoice, and the invoice's running totals are the notes' sums.
    assert sum(n.net_pence for n in notes) == invoice.credited_net_pence <= invoice.net_pence
    assert sum(n.vat_pence for n in notes) == invoice.credited_vat_pence <= invoice.vat_pence
    assert sum(n.gross_pence for n in notes) == invoice.credited_gross_pence
    if invoice.credited_net_pence == invoice.net_pence:
        assert invoice.credited_vat_pence == invoice.vat_pence
    documents = [("invoice", invoice, [line.amount_pence for line in invoice.lines])]
    documents += [("note", n, [part.amount_pence for part in n.lines]) for n in notes]
    ledger = ledger_vat_by_document(client, lender.finance)
    for kind, doc, stored_lines in documents:
        RENDERERS["invoice"] = lambda fmt: invoicing.render(db, finance, invoice.id, fmt)
        RENDERERS["note"] = lambda fmt, note=doc: invoicing.render_credit_note(
            db, finance, note.id, fmt
        )
        stored = (doc.number, doc.net_pence, doc.vat_pence, doc.gross_pence)
        check_renders_as_stored(kind, stored, stored_lines)
        assert ledger[doc.number] == (doc.net_pence, doc.vat_pence), doc.number


# --- how and when to pay ---------------------------------------------------------------------


def _issued_with_po(client, db, make):
    lender = make_lender(
        make,
        db,
        vat_number="GB123456789",
        remittance_email="remittances@lender.gov.uk",
        payment_terms_days=30,
        **BANK,
        **ADDRESS,
    )
    customer = make.council(
        address_lines=["Civic Centre", "Bridge Street", "Floor 2", "Room 7"],
        town="Reading",
        postcode="RG1 2LU",
        finance_email="ap@reading.gov.uk",
    )
    booker = make.user(customer, "booker")
    completed(db, lender, booker, WEEKS[1], 120, purchase_order="PO-1")
    completed(db, lender, booker, WEEKS[2], 60, purchase_order="PO-1")
    completed(db, lender, booker, WEEKS[2], 45, purchase_order="PO-2")
    completed(db, lender, booker, WEEKS[1], 30, purchase_order=None)
    drafts = client.post(
        "/api/v1/invoice-runs", json={"period": PERIOD}, headers=lender.finance.headers
    ).json()["invoices"]
    return lender, customer, drafts


def test_a_run_makes_one_draft_per_customer_and_purchase_order(client, db, make):
    _lender, _customer, drafts = _issued_with_po(client, db, make)
    by_po = {
        tuple(sorted({line["purchase_order"] or "-" for line in d["lines"]})): d for d in drafts
    }
    assert sorted(by_po) == [("-",), ("PO-1",), ("PO-2",)]
    assert len(by_po[("PO-1",)]["lines"]) == 2


def test_the_ubl_carries_bank_account_terms_order_reference_and_addresses(client, db, make):
    lender, _customer, drafts = _issued_with_po(client, db, make)
    draft = next(d for d in drafts if d["lines"][0]["purchase_order"] == "PO-1")
    issued = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    assert issued.status_code == 200, issued.text
    xml = client.get(
        f"/api/v1/invoices/{draft['id']}/document?format=ubl", headers=lender.finance.headers
    ).content
    assert check_en16931(xml) == []
    root = etree.fromstring(xml)

    def text(path: str) -> str | None:
        return root.findtext(path, namespaces=NS)

    assert text("cac:OrderReference/cbc:ID") == "PO-1"
    assert text("cbc:TaxPointDate") == "2027-01-06"
    assert text("cac:PaymentMeans/cbc:PaymentMeansCode") == "30"
    assert text("cac:PaymentMeans/cbc:PaymentID") == issued.json()["number"]
    account = "cac:PaymentMeans/cac:PayeeFinancialAccount/"
    assert text(account + "cbc:ID") == BANK["bank_account_number"]
    assert text(account + "cbc:Name") == BANK["bank_account_name"]
    assert text(account + "cac:FinancialInstitutionBranch/cbc:ID") == BANK["bank_sort_code"]
    terms = text("cac:PaymentTerms/cbc:Note")
    assert terms and "within 30 days" in terms and "5 February 2027" in terms
    seller = "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/"
    assert text(seller + "cbc:StreetName") == "Town Hall"
    assert text(seller + "cbc:AdditionalStreetName") == "1 High Street"
    assert text(seller + "cbc:CityName") == "Anytown"
    assert text(seller + "cbc:PostalZone") == "AB1 2CD"
    assert text(seller + "cbc:CountrySubentity") == "England"
    assert text(seller + "cac:Country/cbc:IdentificationCode") == "GB"
    buyer = "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/"
    assert text(buyer + "cbc:StreetName") == "Civic Centre"
    assert text(buyer + "cbc:CityName") == "Reading"
    assert text(buyer + "cbc:PostalZone") == "RG1 2LU"
    assert text(buyer + "cac:AddressLine/cbc:Line") == "Floor 2, Room 7"
    # No exemption reason code in the lines' ClassifiedTaxCategory (UBL-CR-600).
    assert not root.findall(".//cac:ClassifiedTaxCategory/cbc:TaxExemptionReasonCode", NS)


def test_the_pdf_is_a_vat_invoice_that_says_how_and_when_to_pay(client, db, make):
    lender, _customer, drafts = _issued_with_po(client, db, make)
    draft = next(d for d in drafts if d["lines"][0]["purchase_order"] == "PO-2")
    issued = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    number = issued.json()["number"]
    pdf = client.get(
        f"/api/v1/invoices/{draft['id']}/document?format=pdf", headers=lender.finance.headers
    ).content
    text = pdf_text(pdf)
    reference = db.get(Booking, uuid.UUID(draft["lines"][0]["booking_id"])).reference
    assert re.fullmatch(rf"{re.escape(lender.council.code)}-\d{{4}}", reference)
    for expected in (
        "VAT invoice",
        "VAT registration number GB123456789",
        "Tax point 6 January 2027",
        "w/c 14 Dec 2026",
        f"booking {reference}",  # the booking's own reference, as people quote it
        "Work",  # the booking's purpose
        "20%",  # the VAT rate on the line
        "How to pay",
        "bank transfer",
        "Sort code 30-99-50",
        f"Account number {BANK['bank_account_number']}",
        f"Payment reference {number}",
        "Due date 5 February 2027",
        "within 30 days of the invoice date",
        "remittances@lender.gov.uk",
        "Town Hall",
        "AB1 2CD",
    ):
        assert expected in text, expected
    assert not re.search(r"\b2026-W\d\d\b", text)  # weeks are dates, not codes


def test_an_issued_invoice_prints_the_booking_reference_it_was_issued_with(client, db, make):
    """Issue 13: lines store the booking's reference; a later change to the booking never
    reaches an issued document, its API view or the ledger."""
    lender, _customer, drafts = _issued_with_po(client, db, make)
    draft = next(d for d in drafts if d["lines"][0]["purchase_order"] == "PO-2")
    [line] = draft["lines"]
    booking = db.get(Booking, uuid.UUID(line["booking_id"]))
    issued_with = booking.reference
    assert line["booking_reference"] == issued_with
    headers = lender.finance.headers
    assert client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=headers).is_success
    db.execute(update(Booking).where(Booking.id == booking.id).values(reference="ZZZ-9999"))
    db.commit()

    url = f"/api/v1/invoices/{draft['id']}"
    [shown] = client.get(url, headers=headers).json()["lines"]
    assert shown["booking_reference"] == issued_with
    for fmt in ("csv", "ubl", "pdf"):
        document = client.get(f"{url}/document?format={fmt}", headers=headers)
        text = pdf_text(document.content) if fmt == "pdf" else document.text
        assert issued_with in text and "ZZZ-9999" not in text, fmt
    ledger = client.get(
        "/api/v1/exports/invoices.csv",
        params={"from": "2027-01-01", "to": "2027-01-31"},
        headers=headers,
    )
    [row] = [
        r for r in csv.DictReader(io.StringIO(ledger.text)) if r["booking_id"] == line["booking_id"]
    ]
    assert row["booking_reference"] == issued_with


def test_issuing_without_bank_details_is_409_and_changes_nothing(client, db, make):
    lender = make_lender(make, db, bank_sort_code=None, bank_account_number=None)
    completed(db, lender, make.user(make.council(), "booker"), WEEKS[1], 60)
    [draft] = client.post(
        "/api/v1/invoice-runs", json={"period": PERIOD}, headers=lender.finance.headers
    ).json()["invoices"]
    answer = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("application/problem+json")
    detail = answer.json()["detail"]
    assert "sort code" in detail and "account number" in detail and "Payments" in detail
    assert "bank account name" not in detail
    db.expire_all()
    stored = db.scalar(select(Invoice).where(Invoice.issuer_council_id == lender.council.id))
    assert stored is not None and stored.status == "draft" and stored.number is None
    assert db.scalar(
        select(NumberCounter.next_value).where(NumberCounter.council_id == lender.council.id)
    ) in (None, 1)
    # Filled in, it issues.
    db.execute(
        update(CouncilSettings)
        .where(CouncilSettings.council_id == lender.council.id)
        .values(bank_sort_code="309950", bank_account_number="12345678")
    )
    db.commit()
    again = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    assert again.status_code == 200 and again.json()["number"].endswith("-000001")


@pytest.mark.parametrize("period", ["2027-02", "2030-01"])
def test_a_future_month_is_422(client, db, make, period):
    lender = make_lender(make, db)
    answer = client.post(
        "/api/v1/invoice-runs", json={"period": period}, headers=lender.finance.headers
    )
    assert answer.status_code == 422


def test_one_line_twice_in_a_credit_note_is_422_not_an_over_credit(client, db, make):
    lender = make_lender(make, db, **BANK)
    booker = make.user(make.council(**CUSTOMER), "booker")
    finance, invoice = _issue(db, lender, booker, [(120, 4500)], TREATMENTS[0])
    booking_id = str(invoice.lines[0].booking_id)
    answer = client.post(
        f"/api/v1/invoices/{invoice.id}/credit-notes",
        json={"reason": "Twice", "lines": [{"booking_id": booking_id, "minutes": 90}] * 2},
        headers=lender.finance.headers,
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == ["body", "lines", 1, "booking_id"]
    assert invoicing.credit_notes_of(db, finance, invoice.id) == []
