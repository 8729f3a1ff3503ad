from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.bookings.models import Booking
from app.core.errors import Conflict
from app.invoicing import service as invoicing
from app.invoicing.models import Invoice, InvoiceLine
from tests.factories import Factory
from tests.invoicing.conftest import BANK, PERIOD, WEEKS, completed, make_lender
from tests.invoicing.en16931 import check_en16931


def run(client, finance, period=PERIOD):
    response = client.post("/api/v1/invoice-runs", json={"period": period}, headers=finance.headers)
    assert response.status_code == 201, response.text
    return response.json()["invoices"]


def test_lines_are_rounded_half_up_once_and_add_up(client, db, make):
    lender = make_lender(make, db)
    booker = make.user(make.council(), "booker")
    from app.officers import service as officers

    officers.load_officer(db, lender.officer_id).rate_pence_per_hour = 4999
    db.commit()
    completed(db, lender, booker, WEEKS[1], 60, actual=20)  # 20 min at £49.99 = 1666.33p
    completed(db, lender, booker, WEEKS[2], 60, actual=45)  # 45 min at £49.99 = 3749.25p
    [draft] = run(client, lender.finance)
    amounts = sorted(line["amount_pence"] for line in draft["lines"])
    assert amounts == [1666, 3749]
    assert draft["net_pence"] == 5415
    assert draft["vat_pence"] == 1083  # 20% of 5415 = 1083.0
    assert draft["gross_pence"] == 6498
    assert draft["status"] == "draft" and draft["number"] is None


def test_a_booking_belongs_to_the_month_of_its_weeks_monday(client, db, make):
    lender = make_lender(make, db)
    booker = make.user(make.council(), "booker")
    completed(db, lender, booker, WEEKS[0], 60)  # Monday 30 November: November's
    completed(db, lender, booker, WEEKS[1], 60)
    [december] = run(client, lender.finance, "2026-12")
    assert [line["week"] for line in december["lines"]] == [WEEKS[1]]
    [november] = run(client, lender.finance, "2026-11")
    assert [line["week"] for line in november["lines"]] == [WEEKS[0]]


def test_one_draft_per_booking_council_and_rebuilding_replaces_drafts(client, db, make):
    lender = make_lender(make, db)
    bookers = [make.user(make.council(), "booker") for _ in range(2)]
    for booker in bookers:
        completed(db, lender, booker, WEEKS[1], 60)
    first = run(client, lender.finance)
    assert len(first) == 2
    second = run(client, lender.finance)
    assert len(second) == 2
    assert {i["id"] for i in first}.isdisjoint({i["id"] for i in second})
    stored = db.scalars(select(Invoice).where(Invoice.issuer_council_id == lender.council.id)).all()
    assert len(stored) == 2


def test_issuing_numbers_and_a_second_run_never_reinvoices(client, db, make):
    lender = make_lender(make, db)
    booker = make.user(make.council(), "booker")
    booking = completed(db, lender, booker, WEEKS[1], 90)
    [draft] = run(client, lender.finance)
    issued = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["number"] == f"{lender.council.code}-2027-000001"
    assert body["issue_date"] == "2027-01-06" and body["due_date"] == "2027-02-05"
    assert db.scalar(select(Booking.status).where(Booking.id == booking.id)) == "invoiced"
    assert run(client, lender.finance) == []
    again = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers)
    assert again.status_code == 409


def test_the_database_refuses_a_second_live_line_for_a_booking(db, make):
    lender = make_lender(make, db)
    booker = make.user(make.council(), "booker")
    completed(db, lender, booker, WEEKS[1], 60)
    finance = auth.actor_for(lender.finance.user, "token")
    [draft] = invoicing.run_recharge(db, finance, PERIOD)
    line = db.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == draft.id)).one()
    copy = Invoice(
        issuer_council_id=draft.issuer_council_id,
        customer_council_id=draft.customer_council_id,
        period=PERIOD,
        vat_category="S",
        vat_rate_bps=2000,
    )
    db.add(copy)
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(
            InvoiceLine(
                invoice_id=copy.id,
                position=1,
                booking_id=line.booking_id,
                officer_id=line.officer_id,
                officer_name="x",
                week=line.week,
                minutes=1,
                rate_pence_per_hour=1,
                amount_pence=0,
                vat_category="S",
                vat_rate_bps=2000,
            )
        )
        db.flush()


def _issued(client, db, make):
    lender = make_lender(
        make,
        db,
        vat_number="GB123456789",
        finance_email="ap@lender.gov.uk",
        address_lines=["Town Hall", "High Street"],
        town="Anytown",
        postcode="AB1 2CD",
        remittance_email="remittances@lender.gov.uk",
        **BANK,
    )
    customer = make.council(
        finance_email="ap@customer.gov.uk",
        address_lines=["Civic Centre"],
        town="Felpersham",
        postcode="FE1 1AA",
    )
    booker = make.user(customer, "booker")
    completed(db, lender, booker, WEEKS[1], 120)
    completed(db, lender, booker, WEEKS[2], 60)
    [draft] = run(client, lender.finance)
    invoice = client.post(
        f"/api/v1/invoices/{draft['id']}/issue", headers=lender.finance.headers
    ).json()
    return lender, customer, invoice


@pytest.mark.parametrize("statement", ["invoice", "line", "delete"])
def test_issued_invoices_refuse_changes_in_the_database(client, db, make, statement):
    _lender, _customer, invoice = _issued(client, db, make)
    invoice_id = uuid.UUID(invoice["id"])
    stmt = {
        "invoice": update(Invoice).where(Invoice.id == invoice_id).values(net_pence=1),
        "line": update(InvoiceLine)
        .where(InvoiceLine.invoice_id == invoice_id)
        .values(amount_pence=1),
        "delete": delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id),
    }[statement]
    with pytest.raises(IntegrityError), db.begin_nested():
        db.execute(stmt)
    # What may change after issue still can: being paid.
    db.execute(update(Invoice).where(Invoice.id == invoice_id).values(status="paid"))


def test_customer_reads_but_never_issues_changes_or_marks_paid(client, db, make):
    _lender, customer, invoice = _issued(client, db, make)
    customer_finance = make.user(customer, "finance")
    url = f"/api/v1/invoices/{invoice['id']}"
    incoming = client.get(
        "/api/v1/invoices?direction=incoming", headers=customer_finance.headers
    ).json()["items"]
    assert [i["id"] for i in incoming] == [invoice["id"]]
    assert client.get(url, headers=customer_finance.headers).status_code == 200
    for action, body in [
        ("issue", None),
        ("mark-paid", {"reference": "x", "paid_on": "2027-01-06"}),
        ("credit-notes", {"reason": "x"}),
    ]:
        response = client.post(f"{url}/{action}", json=body, headers=customer_finance.headers)
        assert response.status_code == 403, action
    stranger = make.user(make.council(), "finance", "council_admin")
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert (
        client.post(
            f"{url}/mark-paid",
            json={"reference": "x", "paid_on": "2027-01-06"},
            headers=stranger.headers,
        ).status_code
        == 404
    )


def test_drafts_are_invisible_to_the_customer(client, db, make):
    lender = make_lender(make, db)
    customer = make.council()
    completed(db, lender, make.user(customer, "booker"), WEEKS[1], 60)
    [draft] = run(client, lender.finance)
    customer_finance = make.user(customer, "finance")
    assert (
        client.get(f"/api/v1/invoices/{draft['id']}", headers=customer_finance.headers).status_code
        == 404
    )


def test_mark_paid(client, db, make):
    lender, _customer, invoice = _issued(client, db, make)
    url = f"/api/v1/invoices/{invoice['id']}/mark-paid"
    future = client.post(
        url, json={"reference": "BACS 1", "paid_on": "2027-02-01"}, headers=lender.finance.headers
    )
    assert future.status_code == 422
    paid = client.post(
        url, json={"reference": "BACS 1", "paid_on": "2027-01-06"}, headers=lender.finance.headers
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert paid.json()["payment_reference"] == "BACS 1"
    twice = client.post(
        url, json={"reference": "BACS 1", "paid_on": "2027-01-06"}, headers=lender.finance.headers
    )
    assert twice.status_code == 409


def test_credit_notes_never_exceed_what_was_invoiced(client, db, make):
    lender, _customer, invoice = _issued(client, db, make)
    url = f"/api/v1/invoices/{invoice['id']}/credit-notes"
    first_line = invoice["lines"][0]
    too_many = client.post(
        url,
        json={
            "reason": "Over",
            "lines": [
                {"booking_id": first_line["booking_id"], "minutes": first_line["minutes"] + 15}
            ],
        },
        headers=lender.finance.headers,
    )
    assert too_many.status_code == 422
    part = client.post(
        url,
        json={"reason": "Half", "lines": [{"booking_id": first_line["booking_id"], "minutes": 30}]},
        headers=lender.finance.headers,
    )
    assert part.status_code == 201, part.text
    assert part.json()["number"] == f"{lender.council.code}-CN-2027-000001"
    rest = client.post(url, json={"reason": "The rest"}, headers=lender.finance.headers)
    assert rest.status_code == 201
    assert rest.json()["number"] == f"{lender.council.code}-CN-2027-000002"
    after = client.get(f"/api/v1/invoices/{invoice['id']}", headers=lender.finance.headers).json()
    assert after["status"] == "credited"
    assert sum(n["gross_pence"] for n in after["credit_notes"]) == invoice["gross_pence"]
    assert sum(n["net_pence"] for n in after["credit_notes"]) == invoice["net_pence"]
    nothing_left = client.post(url, json={"reason": "Again"}, headers=lender.finance.headers)
    assert nothing_left.status_code == 409


@pytest.mark.parametrize("fmt,start", [("pdf", b"%PDF"), ("csv", b"line,"), ("ubl", b"<?xml")])
def test_documents_in_three_formats(client, db, make, fmt, start):
    _lender, customer, invoice = _issued(client, db, make)
    customer_finance = make.user(customer, "finance")
    response = client.get(
        f"/api/v1/invoices/{invoice['id']}/document?format={fmt}", headers=customer_finance.headers
    )
    assert response.status_code == 200
    assert invoice["number"] in response.headers["content-disposition"]
    assert response.content[:16].lower().startswith(start.lower()) or fmt == "csv"
    if fmt == "ubl":
        assert check_en16931(response.content) == []
        assert invoice["number"].encode() in response.content
        assert b"PO-1" in response.content


def test_a_draft_has_no_document(client, db, make):
    lender = make_lender(make, db)
    completed(db, lender, make.user(make.council(), "booker"), WEEKS[1], 60)
    [draft] = run(client, lender.finance)
    response = client.get(
        f"/api/v1/invoices/{draft['id']}/document?format=pdf", headers=lender.finance.headers
    )
    assert response.status_code == 409


def test_only_finance_runs_and_issues(client, db, make):
    lender = make_lender(make, db)
    booker = make.user(lender.council, "booker")
    response = client.post("/api/v1/invoice-runs", json={"period": PERIOD}, headers=booker.headers)
    assert response.status_code == 403
    bad = client.post(
        "/api/v1/invoice-runs", json={"period": "2026-13"}, headers=lender.finance.headers
    )
    assert bad.status_code == 422


def test_twenty_concurrent_issues_get_twenty_consecutive_numbers(committed_engine, database_url):
    from app.db import make_engine

    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        lender = make_lender(make, session, hours=40)
        for index in range(20):
            week = WEEKS[1 + index % 2]
            completed(session, lender, make.user(make.council(), "booker"), week, 60)
        finance = auth.actor_for(lender.finance.user, "token")
        from datetime import date

        from app.core import clock

        with clock.travel_to(date(2027, 1, 6)):
            drafts = [d.id for d in invoicing.run_recharge(session, finance, PERIOD)]
        session.commit()
    assert len(drafts) == 20
    engine = make_engine(database_url, pool_size=20, max_overflow=0)
    barrier = threading.Barrier(20)

    def issue(invoice_id):
        barrier.wait()
        with Session(engine, expire_on_commit=False) as session:
            from datetime import date

            from app.core import clock

            with clock.travel_to(date(2027, 1, 6)):
                try:
                    number = invoicing.issue(session, finance, invoice_id).number
                    session.commit()
                    return number
                except Conflict as exc:  # pragma: no cover - would be a failure below
                    return exc

    with ThreadPoolExecutor(20) as pool:
        numbers = list(pool.map(issue, drafts))
    engine.dispose()
    code = lender.council.code
    assert sorted(numbers) == [f"{code}-2027-{n:06d}" for n in range(1, 21)]


def test_credit_notes_have_documents_too(client, db, make):
    lender, customer, invoice = _issued(client, db, make)
    line = invoice["lines"][0]
    note = client.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        json={
            "reason": "Hours over-recorded",
            "lines": [{"booking_id": line["booking_id"], "minutes": 45}],
        },
        headers=lender.finance.headers,
    ).json()
    customer_finance = make.user(customer, "finance")
    ubl = client.get(
        f"/api/v1/credit-notes/{note['id']}/document?format=ubl", headers=customer_finance.headers
    )
    assert ubl.status_code == 200
    assert check_en16931(ubl.content) == []
    assert b"<CreditNote" in ubl.content and invoice["number"].encode() in ubl.content
    pdf = client.get(
        f"/api/v1/credit-notes/{note['id']}/document?format=pdf", headers=lender.finance.headers
    )
    assert pdf.content.startswith(b"%PDF")
    stranger = make.user(make.council(), "finance")
    assert (
        client.get(
            f"/api/v1/credit-notes/{note['id']}/document", headers=stranger.headers
        ).status_code
        == 404
    )
    shown = client.get(f"/api/v1/invoices/{invoice['id']}", headers=lender.finance.headers)
    assert shown.json()["parties"]["seller"]["vat_number"] == "GB123456789"


def test_a_run_for_a_month_that_has_not_started_is_refused(client, db, make):
    lender = make_lender(make, db)
    completed(db, lender, make.user(make.council(), "booker"), WEEKS[1], 60)
    future = client.post(
        "/api/v1/invoice-runs", json={"period": "2027-02"}, headers=lender.finance.headers
    )
    assert future.status_code == 422, future.text
    assert future.json()["errors"][0]["loc"] == ["body", "period"]
    assert "has not started" in future.json()["detail"]
    mine = select(Invoice.id).where(Invoice.issuer_council_id == lender.council.id)
    assert db.scalar(mine) is None
    assert len(run(client, lender.finance, "2027-01")) == 0  # this month has started: fine
