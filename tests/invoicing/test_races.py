"""Guarded UPDATEs under real concurrency (DESIGN.md rule 9): a real server on loopback,
threads each with their own HTTP connection (so their own database connection in the server),
real commits, on both engines. Issue 8, point 1: six simultaneous "credit the rest" requests
on one invoice all answered 201 on PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.core import clock
from app.invoicing import service as invoicing
from app.invoicing.models import CreditNote, Invoice
from tests.factories import Factory
from tests.invoicing.conftest import BANK, PERIOD, WEEKS, completed, make_lender
from tests.server import running_server

THREADS = 8


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """One server for the module (starting one costs seconds); each test makes its own councils."""
    log = tmp_path_factory.mktemp("races") / "server.log"
    with running_server(database_url, log, TP_TODAY="2027-01-06") as base:
        yield base


def _invoice(committed_engine, issue: bool = True):
    """An invoice of two lines (the second 315 min at £45.02/h), issued unless told not to."""
    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        lender = make_lender(make, session, **BANK)
        booker = make.user(make.council(), "booker")
        completed(session, lender, booker, WEEKS[1], 120)
        completed(session, lender, booker, WEEKS[2], 315)
        finance = auth.actor_for(lender.finance.user, "token")
        with clock.travel_to(date(2027, 1, 6)):
            [draft] = invoicing.run_recharge(session, finance, PERIOD)
            session.commit()
            if issue:
                invoicing.issue(session, finance, draft.id)
                session.commit()
        return lender, draft.id


def _race(server: str, token: str, method: str, paths_and_bodies) -> list[httpx.Response]:
    barrier = threading.Barrier(len(paths_and_bodies))

    def call(path_and_body):
        path, body = path_and_body
        with httpx.Client(
            base_url=server, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            client.get("/api/ping")  # the connection is open before the race starts
            barrier.wait()
            return client.request(method, path, json=body)

    with ThreadPoolExecutor(len(paths_and_bodies)) as pool:
        return list(pool.map(call, paths_and_bodies))


def test_racing_credit_the_rest_makes_exactly_one_credit_note(committed_engine, server):
    lender, invoice_id = _invoice(committed_engine)
    path = f"/api/v1/invoices/{invoice_id}/credit-notes"
    answers = _race(
        server, lender.finance.token, "POST", [(path, {"lines": [], "reason": "Race"})] * THREADS
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * (THREADS - 1), [a.text for a in answers]
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.headers["content-type"].startswith("application/problem+json")
    with Session(committed_engine) as session:
        invoice = session.get(Invoice, invoice_id)
        notes = session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice_id)).all()
        assert invoice is not None and invoice.status == "credited"
        assert len(notes) == 1
        assert invoice.credited_net_pence == sum(n.net_pence for n in notes) == invoice.net_pence
        assert invoice.credited_vat_pence == sum(n.vat_pence for n in notes) == invoice.vat_pence
        assert invoice.credited_gross_pence == sum(n.gross_pence for n in notes)


def test_racing_partial_credit_notes_never_credit_more_than_the_line(committed_engine, server):
    """Each asks for 200 of the line's 315 minutes: only one fits, whoever is first."""
    lender, invoice_id = _invoice(committed_engine)
    with Session(committed_engine) as session:
        invoice = invoicing._load(session, invoice_id)
        assert invoice is not None
        booking_id = str(invoice.lines[1].booking_id)
    path = f"/api/v1/invoices/{invoice_id}/credit-notes"
    body = {"lines": [{"booking_id": booking_id, "minutes": 200}], "reason": "Race"}
    answers = _race(server, lender.finance.token, "POST", [(path, body)] * THREADS)
    codes = sorted(a.status_code for a in answers)
    assert codes[0] == 201 and codes.count(201) == 1, [a.text for a in answers]
    assert set(codes[1:]) <= {409, 422}
    with Session(committed_engine) as session:
        credited = session.scalar(
            select(func.sum(CreditNote.net_pence)).where(CreditNote.invoice_id == invoice_id)
        )
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None and credited == invoice.credited_net_pence


def test_racing_issues_of_one_draft_take_one_number(committed_engine, server):
    lender, invoice_id = _invoice(committed_engine, issue=False)
    path = f"/api/v1/invoices/{invoice_id}/issue"
    answers = _race(server, lender.finance.token, "POST", [(path, None)] * THREADS)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * (THREADS - 1), [a.text for a in answers]
    with Session(committed_engine) as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None and invoice.number == f"{lender.council.code}-2027-000001"


def test_racing_mark_paid_records_one_payment(committed_engine, server):
    lender, invoice_id = _invoice(committed_engine)
    path = f"/api/v1/invoices/{invoice_id}/mark-paid"
    bodies = [(path, {"reference": f"BACS {n}", "paid_on": "2027-01-06"}) for n in range(THREADS)]
    answers = _race(server, lender.finance.token, "POST", bodies)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * (THREADS - 1), [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 200).json()["payment_reference"]
    with Session(committed_engine) as session:
        invoice = session.get(Invoice, uuid.UUID(str(invoice_id)))
        assert invoice is not None and invoice.payment_reference == winner
