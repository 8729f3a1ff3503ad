"""Finance exports (app/invoicing/exports.py): the ledger CSV and the payroll CSV, on both
engines. Invoices are made through the API (runs, issue, credit notes) from bookings completed
through the services; the streaming test bulk-inserts a few thousand lines."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from fastapi.responses import StreamingResponse
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, update

from app.auth import service as auth
from app.bookings.models import Booking
from app.core import clock
from app.invoicing import api as invoicing_api
from app.invoicing import exports
from app.invoicing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from app.officers import service as officers
from tests.invoicing.conftest import PERIOD, WEEKS, Lender, completed, make_lender

LEDGER_HEADER = [
    "batch_id", "document_type", "document_number", "issue_date", "due_date", "currency",
    "issuer_code", "issuer_gss_code", "issuer_vat_number", "customer_code", "customer_gss_code",
    "customer_vat_number", "customer_account_reference", "purchase_order", "booking_id",
    "officer_id", "officer_name", "week", "minutes", "rate", "net",
    "vat_code", "vat_rate", "vat_amount", "gross", "status", "ledger_code", "cost_centre",
    "subjective_code", "booking_reference",
]  # fmt: skip
PAYROLL_HEADER = [
    "record_type", "period", "officer_name", "officer_id", "payroll_reference",
    "completed_hours", "completed_minutes", "booking_count", "booking_references",
    "booking_councils",
]  # fmt: skip
JANUARY = {"from": "2027-01-01", "to": "2027-01-31"}


def run_and_issue(client, finance, period=PERIOD):
    drafts = client.post("/api/v1/invoice-runs", json={"period": period}, headers=finance.headers)
    assert drafts.status_code == 201, drafts.text
    issued = []
    for draft in drafts.json()["invoices"]:
        answer = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=finance.headers)
        assert answer.status_code == 200, answer.text
        issued.append(answer.json())
    return issued


def ledger(client, member, **params):
    response = client.get(
        "/api/v1/exports/invoices.csv", params={**JANUARY, **params}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    return response, list(csv.reader(io.StringIO(response.text)))


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def lines_and_control(rows):
    records = as_dicts(rows)
    assert records[-1]["document_type"] == "CONTROL"
    return records[:-1], records[-1]


def pence(text: str) -> int:
    return int(Decimal(text) * 100)


def customer_of(make, **settings):
    council = make.council(**settings)
    return council, make.user(council, "booker"), make.user(council, "finance")


# --- the ledger export -----------------------------------------------------------------------


def test_columns_rows_and_control_total(client, db, make):
    lender = make_lender(
        make,
        db,
        vat_number="GB123456789",
        ledger_code="4010",
        cost_centre="CC-7",  # a text cell that starts with a letter stays as it is
        subjective_code="S123",
    )
    lender.council.gss_code = "E06000037"
    customer, booker, customer_finance = customer_of(make, vat_number="GB987654321")
    customer.gss_code = "E07000084"
    db.commit()
    first = completed(db, lender, booker, WEEKS[1], 120, actual=105, purchase_order="PO-77")
    completed(db, lender, booker, WEEKS[2], 60, purchase_order="PO-77")  # one PO per invoice
    [invoice] = run_and_issue(client, lender.finance)

    response, rows = ledger(client, lender.finance)

    assert rows[0] == LEDGER_HEADER
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition == (
        f'attachment; filename="invoices-{lender.council.code}-outgoing-2027-01-01-2027-01-31.csv"'
    )
    assert "content-length" not in response.headers  # streamed
    assert response.text.endswith("\r\n")
    lines, control = lines_and_control(rows)
    assert len(lines) == 2
    batch = response.headers["x-export-batch-id"]
    assert {line["batch_id"] for line in lines} == {batch} == {control["batch_id"]}
    by_booking = {line["booking_id"]: line for line in lines}
    line = by_booking[str(first.id)]
    assert line == {
        "batch_id": batch,
        "document_type": "invoice",
        "document_number": invoice["number"],
        "issue_date": "2027-01-06",
        "due_date": "2027-02-05",
        "currency": "GBP",
        "issuer_code": lender.council.code,
        "issuer_gss_code": "E06000037",
        "issuer_vat_number": "GB123456789",
        "customer_code": customer.code,
        "customer_gss_code": "E07000084",
        "customer_vat_number": "GB987654321",
        "customer_account_reference": customer.code,
        "purchase_order": "PO-77",
        "booking_id": str(first.id),
        "booking_reference": first.reference,  # the lender's code and a number
        "officer_id": str(lender.officer_id),
        "officer_name": lender.officer.user.name,
        "week": WEEKS[1],
        "minutes": "105",
        "rate": "45.00",
        "net": "78.75",  # 105 min at £45/h
        "vat_code": "S",
        "vat_rate": "20.00",
        "vat_amount": "15.75",
        "gross": "94.50",
        "status": "issued",
        "ledger_code": "4010",
        "cost_centre": "CC-7",
        "subjective_code": "S123",
    }
    other = next(row for row in lines if row is not line)
    assert other["purchase_order"] == "PO-77"
    assert (other["net"], other["vat_amount"], other["gross"]) == ("45.00", "9.00", "54.00")
    # The control row: the number of lines and the sums of net, VAT and gross; nothing else.
    assert control["document_number"] == "2"
    assert control["currency"] == "GBP"
    for column in ("net", "vat_amount", "gross"):
        assert pence(control[column]) == sum(pence(row[column]) for row in lines)
    assert pence(control["net"]) == invoice["net_pence"]
    assert pence(control["vat_amount"]) == invoice["vat_pence"]
    assert pence(control["gross"]) == invoice["gross_pence"]
    filled = {k for k, v in control.items() if v}
    assert filled == {"batch_id", "document_type", "document_number", "currency", "net",
                      "vat_amount", "gross"}  # fmt: skip
    # The customer sees the same invoice as incoming, with its own (empty) ledger coding.
    their_lines, _control = lines_and_control(
        ledger(client, customer_finance, direction="incoming")[1]
    )
    assert {row["document_number"] for row in their_lines} == {invoice["number"]}
    assert {row["ledger_code"] for row in their_lines} == {""}


def test_vat_column_adds_up_to_each_documents_vat_exactly(client, db, make):
    lender = make_lender(make, db)
    officers.load_officer(db, lender.officer_id).rate_pence_per_hour = 4999
    db.commit()
    _customer, booker, _finance = customer_of(make)
    for _ in range(3):  # 20 min at £49.99 = 1666.33p -> 1666p each; net 4998p
        completed(db, lender, booker, WEEKS[1], 60, actual=20)
    other_customer, other_booker, _ = customer_of(make)
    completed(db, lender, other_booker, WEEKS[2], 60, actual=45)  # 3749.25 -> 3749p
    invoices = run_and_issue(client, lender.finance)
    by_number = {i["number"]: i for i in invoices}

    _response, rows = ledger(client, lender.finance)

    lines, control = lines_and_control(rows)
    three = [row for row in lines if row["customer_code"] != other_customer.code]
    # VAT on the document: 20% of 4998p = 999.6 -> 1000p. Per line it would be 333 x 3 = 999p.
    assert [row["vat_amount"] for row in three] == ["3.34", "3.33", "3.33"]
    for number, invoice in by_number.items():
        rows_of = [row for row in lines if row["document_number"] == number]
        assert sum(pence(r["net"]) for r in rows_of) == invoice["net_pence"]
        assert sum(pence(r["vat_amount"]) for r in rows_of) == invoice["vat_pence"]
        assert sum(pence(r["gross"]) for r in rows_of) == invoice["gross_pence"]
        for row in rows_of:
            assert pence(row["gross"]) == pence(row["net"]) + pence(row["vat_amount"])
    assert pence(control["vat_amount"]) == sum(i["vat_pence"] for i in invoices)


def test_credit_note_rows_are_negative_and_the_totals_net_off(client, db, make):
    lender = make_lender(make, db)
    _customer, booker, _ = customer_of(make)
    booking = completed(db, lender, booker, WEEKS[1], 120)
    completed(db, lender, booker, WEEKS[2], 60)
    [invoice] = run_and_issue(client, lender.finance)
    note = client.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        json={"reason": "Half a day not worked",
              "lines": [{"booking_id": str(booking.id), "minutes": 30}]},
        headers=lender.finance.headers,
    )  # fmt: skip
    assert note.status_code == 201, note.text
    note = note.json()

    _response, rows = ledger(client, lender.finance)

    lines, control = lines_and_control(rows)
    assert [row["document_type"] for row in lines] == ["invoice", "invoice", "credit_note"]
    [credit] = [row for row in lines if row["document_type"] == "credit_note"]
    assert credit["document_number"] == note["number"]
    assert credit["booking_id"] == str(booking.id)
    assert credit["booking_reference"] == booking.reference
    assert credit["minutes"] == "30"  # the minutes credited, positive
    assert credit["rate"] == "45.00"
    assert (credit["net"], credit["vat_amount"], credit["gross"]) == ("-22.50", "-4.50", "-27.00")
    assert credit["due_date"] == "" and credit["status"] == "issued"
    assert pence(credit["net"]) == -note["net_pence"]
    assert pence(credit["vat_amount"]) == -note["vat_pence"]
    for column, invoiced, credited in (
        ("net", invoice["net_pence"], note["net_pence"]),
        ("vat_amount", invoice["vat_pence"], note["vat_pence"]),
        ("gross", invoice["gross_pence"], note["gross_pence"]),
    ):
        assert pence(control[column]) == invoiced - credited
    assert control["document_number"] == "3"
    # The invoice's rows now say it is partly credited but still issued (unpaid).
    assert {row["status"] for row in lines if row["document_type"] == "invoice"} == {"issued"}


def test_outgoing_incoming_and_both(client, db, make):
    home = make_lender(make, db)
    away = make_lender(make, db)
    home_booker = make.user(home.council, "booker")
    away_booker = make.user(away.council, "booker")
    completed(db, home, away_booker, WEEKS[1], 60)  # home lends to away
    completed(db, away, home_booker, WEEKS[1], 90)  # away lends to home
    stranger = make_lender(make, db)
    completed(db, stranger, make.user(make.council(), "booker"), WEEKS[1], 60)
    [sale] = run_and_issue(client, home.finance)
    [purchase] = run_and_issue(client, away.finance)
    run_and_issue(client, stranger.finance)

    def numbers(member, direction):
        lines, control = lines_and_control(ledger(client, member, direction=direction)[1])
        assert control["document_number"] == str(len(lines))
        return sorted(row["document_number"] for row in lines)

    assert numbers(home.finance, "outgoing") == [sale["number"]]
    assert numbers(home.finance, "incoming") == [purchase["number"]]
    assert numbers(home.finance, "both") == sorted([sale["number"], purchase["number"]])
    assert numbers(away.finance, "outgoing") == [purchase["number"]]
    # The default is outgoing, like GET /invoices.
    default = lines_and_control(ledger(client, home.finance)[1])[0]
    assert [row["document_number"] for row in default] == [sale["number"]]
    # Drafts never appear.
    completed(db, home, away_booker, WEEKS[2], 60)
    client.post("/api/v1/invoice-runs", json={"period": PERIOD}, headers=home.finance.headers)
    assert numbers(home.finance, "outgoing") == [sale["number"]]


def test_the_date_range_is_by_issue_date_and_inclusive(client, db, make):
    lender = make_lender(make, db)
    _c1, booker1, _ = customer_of(make)
    _c2, booker2, _ = customer_of(make)
    completed(db, lender, booker1, WEEKS[1], 60)
    [early] = run_and_issue(client, lender.finance)  # issued 6 January
    completed(db, lender, booker2, WEEKS[2], 60)
    with clock.travel_to(date(2027, 1, 8)):
        [late] = run_and_issue(client, lender.finance)
    assert (early["issue_date"], late["issue_date"]) == ("2027-01-06", "2027-01-08")

    def numbers(first, last):
        rows = ledger(client, lender.finance, **{"from": first, "to": last})[1]
        return [row["document_number"] for row in lines_and_control(rows)[0]]

    assert numbers("2027-01-06", "2027-01-08") == [early["number"], late["number"]]
    assert numbers("2027-01-06", "2027-01-07") == [early["number"]]
    assert numbers("2027-01-07", "2027-01-08") == [late["number"]]
    assert numbers("2027-01-08", "2027-01-08") == [late["number"]]
    assert numbers("2026-01-01", "2027-01-05") == []
    backwards = client.get(
        "/api/v1/exports/invoices.csv",
        params={"from": "2027-01-08", "to": "2027-01-06"},
        headers=lender.finance.headers,
    )
    assert backwards.status_code == 422
    assert backwards.headers["content-type"] == "application/problem+json"
    assert backwards.json()["errors"][0]["loc"] == ["query", "to"]


@pytest.mark.parametrize(
    "params",
    [{**JANUARY, "direction": "sideways"}, {"from": "01/01/2027", "to": "2027-01-31"},
     {"from": "0"}, {"to": "1767225600"}, {"from": "2027-02-30"}, {"from": "2027-01-07"}],
    ids=["bad direction", "not ISO", "a number", "a timestamp", "no such day",
         "from after today"],
)  # fmt: skip
def test_bad_parameters_are_refused(client, make, params):
    finance = make.user(make.council(), "finance")
    response = client.get("/api/v1/exports/invoices.csv", params=params, headers=finance.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_without_dates_from_the_first_of_last_month_to_today(client, db, make):
    lender = make_lender(make, db)
    _customer, booker, _ = customer_of(make)
    completed(db, lender, booker, WEEKS[1], 60)
    [invoice] = run_and_issue(client, lender.finance)  # today, 6 January 2027
    response = client.get("/api/v1/exports/invoices.csv", headers=lender.finance.headers)
    assert response.status_code == 200
    assert "2026-12-01-2027-01-06.csv" in response.headers["content-disposition"]
    lines, _ = lines_and_control(list(csv.reader(io.StringIO(response.text))))
    assert [row["document_number"] for row in lines] == [invoice["number"]]
    payroll = client.get("/api/v1/exports/payroll.csv", headers=lender.finance.headers)
    assert payroll.status_code == 200
    assert f"-{PERIOD}.csv" in payroll.headers["content-disposition"]  # last month: December


def test_formulas_in_names_and_purchase_orders_are_neutralised(client, db, make):
    lender = make_lender(make, db)
    officers.load_officer(db, lender.officer_id).display_name = '=HYPERLINK("http://x","Click")'
    db.commit()
    _customer, booker, _ = customer_of(make)
    completed(db, lender, booker, WEEKS[1], 60, purchase_order="+SUM(A1:A9)")
    completed(db, lender, booker, WEEKS[2], 60, purchase_order="@cmd")
    run_and_issue(client, lender.finance)

    _response, rows = ledger(client, lender.finance)

    lines, _control = lines_and_control(rows)
    assert {row["officer_name"] for row in lines} == {'\'=HYPERLINK("http://x","Click")'}
    assert sorted(row["purchase_order"] for row in lines) == ["'+SUM(A1:A9)", "'@cmd"]
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "@")), value
            # Only amounts may start with a minus sign (none here: no credit notes).
            assert not value.startswith("-"), value


def test_only_finance_and_council_admins_export(client, make):
    council = make.council()
    for roles, status in [(("booker",), 403), (("manager", "officer"), 403),
                          (("council_admin",), 200), (("finance",), 200)]:  # fmt: skip
        member = make.user(council, *roles)
        for url in ("/api/v1/exports/invoices.csv", "/api/v1/exports/payroll.csv"):
            params = JANUARY if "invoices" in url else {"period": PERIOD}
            answer = client.get(url, params=params, headers=member.headers)
            assert answer.status_code == status, (roles, url, answer.text)
    admin = make.user(council, platform_admin=True)  # a platform admin holds no finance role
    answer = client.get("/api/v1/exports/invoices.csv", params=JANUARY, headers=admin.headers)
    assert answer.status_code == 403
    assert client.get("/api/v1/exports/invoices.csv", params=JANUARY).status_code == 401


def test_an_empty_export_has_a_header_and_a_zero_control_row(client, make):
    finance = make.user(make.council(), "finance")
    _response, rows = ledger(client, finance, direction="both")
    lines, control = lines_and_control(rows)
    assert lines == []
    assert (control["document_number"], control["net"], control["vat_amount"],
            control["gross"]) == ("0", "0.00", "0.00", "0.00")  # fmt: skip


@given(
    vat=st.integers(min_value=0, max_value=10**7),
    amounts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60),
)
def test_vat_shares_add_up_and_stay_within_a_penny(vat, amounts):
    if sum(amounts) == 0:
        assert exports.vat_shares(0, amounts) == [0] * len(amounts)
        return
    shares = exports.vat_shares(vat, amounts)
    assert sum(shares) == vat
    net = sum(amounts)
    for share, amount in zip(shares, amounts, strict=True):
        exact = Decimal(vat * amount) / net
        assert abs(share - exact) < 1
        assert share >= 0


# --- streaming -------------------------------------------------------------------------------


def bulk_documents(db, lender: Lender, customer_id, booker_id, sizes, notes_on_day):
    """Issued invoices of the given line counts (bulk inserted), all issued on 6 January 2027,
    and, for the first `notes_on_day` of them, a credit note for their first line the same day.

    Returns the documents in the order the export must give them and the total line count.
    """
    row = lender.weeks[WEEKS[1]]
    issue_day = date(2027, 1, 6)
    base = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    expires = datetime(2026, 12, 7, tzinfo=UTC)
    order: list[tuple[str, str, int]] = []
    notes: list[tuple[str, str, int]] = []
    total = 0
    for index, size in enumerate(sizes):
        invoice_id = uuid.uuid4()
        number = f"{lender.council.code}-2027-{index + 1:06d}"
        bookings = [
            {
                "id": uuid.uuid4(),
                "availability_id": row.id,
                "officer_id": lender.officer_id,
                "lending_council_id": lender.council.id,
                "booking_council_id": customer_id,
                "booker_id": booker_id,
                "week": WEEKS[1],
                "week_start": date(2026, 12, 7),
                "minutes": 60,
                "actual_minutes": 60 - 15 * (n % 3),
                "rate_pence_per_hour": 4500 + n % 7,
                "purpose": "Bulk",
                "purchase_order": f"PO-{n % 5}",
                "status": "invoiced",
                "expires_at": expires,
            }
            for n in range(size)
        ]
        db.execute(insert(Booking), bookings)
        lines = [
            {
                "id": uuid.uuid4(),
                "invoice_id": invoice_id,
                "position": n + 1,
                "booking_id": b["id"],
                "officer_id": lender.officer_id,
                "officer_name": "Bulk Officer",
                "week": WEEKS[1],
                "purchase_order": b["purchase_order"],
                "minutes": b["actual_minutes"],
                "rate_pence_per_hour": b["rate_pence_per_hour"],
                "amount_pence": (b["actual_minutes"] * b["rate_pence_per_hour"] + 30) // 60,
                "vat_category": "S",
                "vat_rate_bps": 2000,
            }
            for n, b in enumerate(bookings)
        ]
        net = sum(line["amount_pence"] for line in lines)
        vat = (net * 2000 + 5000) // 10000
        db.execute(
            insert(Invoice),
            [{"id": invoice_id, "issuer_council_id": lender.council.id,
              "customer_council_id": customer_id, "period": PERIOD, "status": "draft",
              "vat_category": "S", "vat_rate_bps": 2000, "net_pence": net, "vat_pence": vat,
              "gross_pence": net + vat}],
        )  # fmt: skip
        db.execute(insert(InvoiceLine), lines)
        db.execute(
            update(Invoice)
            .where(Invoice.id == invoice_id)
            .values(status="issued", number=number, issue_date=issue_day,
                    due_date=issue_day + timedelta(days=30),
                    issued_at=base + timedelta(minutes=index),
                    parties={"seller": {"code": lender.council.code},
                             "buyer": {"code": "BULK"}})
        )  # fmt: skip
        order.append(("invoice", number, size))
        total += size
        if index < notes_on_day:
            first = lines[0]
            amount = first["amount_pence"]
            note_vat = (amount * 2000 + 5000) // 10000
            note_id = uuid.uuid4()
            note_number = f"{lender.council.code}-CN-2027-{index + 1:06d}"
            db.execute(
                insert(CreditNote),
                [{"id": note_id, "invoice_id": invoice_id,
                  "issuer_council_id": lender.council.id, "customer_council_id": customer_id,
                  "number": note_number, "reason": "Bulk", "net_pence": amount,
                  "vat_pence": note_vat, "gross_pence": amount + note_vat,
                  "issue_date": issue_day, "issued_at": base + timedelta(hours=1, minutes=index)}],
            )  # fmt: skip
            db.execute(
                insert(CreditNoteLine),
                [{"id": uuid.uuid4(), "credit_note_id": note_id, "invoice_line_id": first["id"],
                  "position": 1, "minutes": first["minutes"], "amount_pence": amount}],
            )  # fmt: skip
            notes.append(("credit_note", note_number, 1))
            total += 1
    db.commit()
    return order + notes, total


def test_a_few_thousand_lines_stream_in_windows(client, db, make, session_factory, monkeypatch):
    lender = make_lender(make, db)
    customer, booker, _ = customer_of(make)
    # Small windows, so the keyset has to carry on across kinds and within one day.
    monkeypatch.setattr(exports, "LINE_WINDOW", 700)
    monkeypatch.setattr(exports, "HEADER_WINDOW", 3)
    sizes = [900, 400, 400, 250, 1, 1, 500, 800]
    expected, total = bulk_documents(db, lender, customer.id, booker.user.id, sizes, 5)
    assert total == sum(sizes) + 5

    _response, rows = ledger(client, lender.finance)

    lines, control = lines_and_control(rows)
    assert len(lines) == total == int(control["document_number"])
    # Documents in order (invoices of the day by issue, then that day's credit notes), each
    # with all its lines together, and each line once.
    seen: list[tuple[str, str, int]] = []
    for row in lines:
        if seen and seen[-1][1] == row["document_number"]:
            seen[-1] = (seen[-1][0], seen[-1][1], seen[-1][2] + 1)
        else:
            seen.append((row["document_type"], row["document_number"], 1))
    assert seen == expected
    assert len({(row["document_number"], row["booking_id"]) for row in lines}) == total
    # These lines were stored without a booking reference (as lines made before lines kept
    # one): they print the id-based reference such documents were issued with.
    assert {row["booking_reference"] for row in lines} == {
        f"B-{row['booking_id'].replace('-', '')[:8].upper()}" for row in lines
    }
    assert sum(pence(row["net"]) for row in lines) == pence(control["net"])
    assert sum(pence(row["gross"]) for row in lines) == pence(control["gross"])

    # The route answers with a StreamingResponse over the generator, which yields a window
    # at a time (header, windows, control row) and reads in sessions of its own.
    actor = auth.actor_for(lender.finance.user, "token")
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(
        session_factory=session_factory)))  # fmt: skip
    answer = invoicing_api.export_invoices(
        request,  # type: ignore[arg-type]
        actor,
        db,
        date(2027, 1, 1),
        date(2027, 1, 31),
        "outgoing",
    )
    assert isinstance(answer, StreamingResponse)
    export = exports.ledger_export(db, actor, "outgoing", date(2027, 1, 1), date(2027, 1, 31))
    chunks = list(export.stream(session_factory))
    assert len(chunks) > 5
    assert sum(chunk.count("\r\n") for chunk in chunks) == total + 2


# --- the payroll export ----------------------------------------------------------------------


def test_payroll_hours_per_officer(client, db, make):
    lender = make_lender(make, db)
    second = make.officer(lender.council, name="Aaron Able")
    with clock.travel_to(date(2026, 11, 25)):
        from tests.factories import approved_week

        weeks = {w: approved_week(db, second, lender.manager, w, 10) for w in WEEKS}
    other = Lender(lender.council, second, lender.manager, lender.finance,
                   officer_id=weeks[WEEKS[0]].officer_id, weeks=weeks)  # fmt: skip
    north, north_booker, _ = customer_of(make)
    south, south_booker, _ = customer_of(make)
    a1 = completed(db, lender, north_booker, WEEKS[1], 60, actual=45)
    a2 = completed(db, lender, south_booker, WEEKS[2], 120)
    completed(db, lender, north_booker, WEEKS[0], 60)  # week of 30 November: November's
    b1 = completed(db, other, north_booker, WEEKS[2], 60, actual=30)
    run_and_issue(client, lender.finance)  # some are invoiced by now: they still count
    # A confirmed booking that was never completed is not paid.
    from app.bookings import service as bookings
    from app.core.isoweek import Week

    with clock.travel_to(date(2026, 11, 25)):
        pending = bookings.request_booking(
            db, auth.actor_for(south_booker.user, "token"), other.officer_id, Week(WEEKS[1]),
            60, "Work", None,
        )  # fmt: skip
        bookings.confirm(db, auth.actor_for(second.user, "token"), pending.id)
    db.commit()

    response = client.get(
        "/api/v1/exports/payroll.csv", params={"period": PERIOD}, headers=lender.finance.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="payroll-{lender.council.code}-{PERIOD}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == PAYROLL_HEADER
    records = as_dicts(rows)
    assert [r["record_type"] for r in records] == ["officer", "officer", "TOTAL"]
    aaron, first, total = records
    assert aaron == {
        "record_type": "officer",
        "period": PERIOD,
        "officer_name": "Aaron Able",
        "officer_id": str(other.officer_id),
        "payroll_reference": "",
        "completed_hours": "0.50",
        "completed_minutes": "30",
        "booking_count": "1",
        "booking_references": b1.reference,
        "booking_councils": north.name,
    }
    assert first["officer_id"] == str(lender.officer_id)
    assert (first["completed_hours"], first["completed_minutes"]) == ("2.75", "165")
    assert first["booking_references"] == f"{a1.reference};{a2.reference}"
    assert first["booking_councils"] == f"{north.name};{south.name}"
    assert total == {
        "record_type": "TOTAL",
        "period": PERIOD,
        "officer_name": "",
        "officer_id": "",
        "payroll_reference": "",
        "completed_hours": "3.25",
        "completed_minutes": "195",
        "booking_count": "3",
        "booking_references": "",
        "booking_councils": "",
    }
    # November has the week of 30 November only.
    november = client.get(
        "/api/v1/exports/payroll.csv", params={"period": "2026-11"}, headers=lender.finance.headers
    )
    assert [r["completed_minutes"] for r in as_dicts(list(csv.reader(io.StringIO(
        november.text))))] == ["60", "60"]  # fmt: skip
    # The booking councils' finance see none of the lender's officers in their payroll.
    north_finance = make.user(north, "finance")
    theirs = client.get(
        "/api/v1/exports/payroll.csv", params={"period": PERIOD}, headers=north_finance.headers
    )
    assert [r["record_type"] for r in as_dicts(list(csv.reader(io.StringIO(theirs.text))))] == [
        "TOTAL"
    ]
    bad = client.get(
        "/api/v1/exports/payroll.csv", params={"period": "2026-13"}, headers=lender.finance.headers
    )
    assert bad.status_code == 422
