from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth import service as auth
from app.core import clock
from app.core.errors import Conflict
from app.invoicing import service as invoicing
from app.invoicing.models import Invoice
from app.settlements import service as settlements
from app.settlements.service import Item, net_of
from tests.factories import Factory
from tests.reports.conftest import DEC_WEEK, complete, issue_december, make_side

PERIOD = "2026-12"


@pytest.fixture(autouse=True)
def _january():
    with clock.travel_to(date(2027, 1, 10)):
        yield


def _statements(client, member):
    response = client.get(f"/api/v1/settlements?period={PERIOD}", headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_one_statement_nets_both_ways_including_credit_notes(client, exchange):
    [west] = _statements(client, exchange.west.finance)
    [east] = _statements(client, exchange.east.finance)
    assert west["id"] == east["id"]
    # West: 9450 less its 1350 credit note = 8100; East: 10800. West pays East 2700.
    assert (west["payer"]["id"], west["payee"]["id"]) == (
        str(exchange.west.council.id),
        str(exchange.east.council.id),
    )
    assert west["net_pence"] == 2700 and west["status"] == "open"
    kinds = sorted((i["kind"], i["gross_pence"]) for i in west["invoices"])
    assert kinds == [("credit_note", 1350), ("invoice", 9450), ("invoice", 10800)]
    for fmt, media in (("pdf", "application/pdf"), ("csv", "text/csv")):
        doc = client.get(
            f"/api/v1/settlements/{west['id']}/document?format={fmt}",
            headers=exchange.east.finance.headers,
        )
        assert doc.status_code == 200 and doc.headers["content-type"].startswith(media)
    csv = client.get(
        f"/api/v1/settlements/{west['id']}/document?format=csv",
        headers=exchange.west.finance.headers,
    ).text
    assert "-13.50" in csv and "27.00" in csv


def test_payer_records_payee_confirms_and_every_invoice_is_paid(client, db, exchange):
    [statement] = _statements(client, exchange.west.finance)
    url = f"/api/v1/settlements/{statement['id']}"
    body = {"reference": "BACS 778899", "paid_on": "2027-01-09"}
    early = client.post(f"{url}/confirm", headers=exchange.east.finance.headers)
    assert early.status_code == 409
    wrong_side = client.post(f"{url}/payment", json=body, headers=exchange.east.finance.headers)
    assert wrong_side.status_code == 403
    future = client.post(
        f"{url}/payment",
        json={**body, "paid_on": "2027-02-01"},
        headers=exchange.west.finance.headers,
    )
    assert future.status_code == 422
    paid = client.post(f"{url}/payment", json=body, headers=exchange.west.finance.headers)
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "payment_recorded"
    again = client.post(f"{url}/payment", json=body, headers=exchange.west.finance.headers)
    assert again.status_code == 200  # the same request again: the same answer
    other = client.post(
        f"{url}/payment",
        json={**body, "reference": "Another"},
        headers=exchange.west.finance.headers,
    )
    assert other.status_code == 409
    payer_confirms = client.post(f"{url}/confirm", headers=exchange.west.finance.headers)
    assert payer_confirms.status_code == 403
    done = client.post(f"{url}/confirm", headers=exchange.east.finance.headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "settled"
    assert client.post(f"{url}/confirm", headers=exchange.east.finance.headers).status_code == 200
    for invoice in (exchange.west_invoice, exchange.east_invoice):
        row = db.get(Invoice, invoice.id)
        db.refresh(row)
        assert (row.status, row.payment_reference, row.paid_on) == (
            "paid",
            statement["reference"],
            date(2027, 1, 9),
        )
    for member in (exchange.west.finance, exchange.east.finance):
        seen = client.get(f"/api/v1/invoices/{exchange.west_invoice.id}", headers=member.headers)
        assert seen.json()["status"] == "paid"
    actions = set(
        db.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == uuid.UUID(statement["id"]))
        )
    )
    assert {"settlement.payment_recorded", "settlement.settled"} <= actions
    # Nothing is left owing: the dashboards agree.
    board = client.get("/api/v1/dashboard?months=3", headers=exchange.west.finance.headers).json()
    assert board["partners"][0]["outstanding_net_pence"] == 0


def test_regenerated_until_the_payment_is_recorded_never_after(client, db, make, exchange):
    [before] = _statements(client, exchange.west.finance)
    finance = auth.actor_for(exchange.east.finance.user, "token")
    invoicing.credit(
        db,
        finance,
        exchange.east_invoice.id,
        [invoicing.CreditRequest(exchange.bookings["e50"].id, 30)],
        "Shorter",
    )
    db.commit()
    # East credits 30 min: 2250 + 450 VAT = 2700, so nothing is owed either way now.
    [after] = _statements(client, exchange.west.finance)
    assert after["id"] == before["id"] and after["net_pence"] == 0
    payer = (
        exchange.west if after["payer"]["id"] == str(exchange.west.council.id) else exchange.east
    )
    paid = client.post(
        f"/api/v1/settlements/{after['id']}/payment",
        json={"reference": "Netted off", "paid_on": "2027-01-10"},
        headers=payer.finance.headers,
    )
    assert paid.status_code == 200, paid.text
    invoicing.credit(
        db,
        finance,
        exchange.east_invoice.id,
        [invoicing.CreditRequest(exchange.bookings["e50"].id, 15)],
        "Shorter still",
    )
    db.commit()
    [frozen] = _statements(client, exchange.west.finance)
    assert frozen["net_pence"] == 0 and frozen["status"] == "payment_recorded"
    assert len(frozen["invoices"]) == 4  # still the two invoices and two credit notes of then
    stale = client.post(
        f"/api/v1/settlements/{after['id']}/confirm", headers=exchange.west.finance.headers
    )
    assert stale.status_code in (403, 409)


def test_a_stale_statement_cannot_be_paid(client, db, exchange):
    [statement] = _statements(client, exchange.west.finance)
    invoicing.mark_paid(
        db,
        auth.actor_for(exchange.east.finance.user, "token"),
        exchange.east_invoice.id,
        "Paid directly",
        date(2027, 1, 8),
    )
    db.commit()
    paid = client.post(
        f"/api/v1/settlements/{statement['id']}/payment",
        json={"reference": "BACS", "paid_on": "2027-01-09"},
        headers=exchange.west.finance.headers,
    )
    assert paid.status_code in (403, 409)  # the payer may have changed sides; never paid stale


def test_platform_run_and_bad_input(client, make, exchange):
    admin = make.user(make.council(), platform_admin=True)
    run = client.post("/api/v1/settlement-runs", json={"period": PERIOD}, headers=admin.headers)
    assert run.status_code == 201
    bad = client.get("/api/v1/settlements?period=2026-13", headers=exchange.west.finance.headers)
    assert bad.status_code == 422
    assert (
        client.get(
            f"/api/v1/settlements/{uuid.uuid4()}", headers=exchange.west.finance.headers
        ).status_code
        == 404
    )
    blank = client.post(
        f"/api/v1/settlements/{uuid.uuid4()}/payment",
        json={"reference": "", "paid_on": "2027-01-09"},
        headers=exchange.west.finance.headers,
    )
    assert blank.status_code == 422


A, B = uuid.UUID(int=1), uuid.UUID(int=2)
documents = st.lists(
    st.tuples(
        st.sampled_from([A, B]),
        st.sampled_from(["invoice", "credit_note"]),
        st.integers(min_value=0, max_value=10_000_000),
    ),
    max_size=30,
)


@given(documents)
def test_net_is_one_direction_minus_the_other_credit_notes_included(docs):
    items = [
        Item(kind, uuid.uuid4(), None, "N", issuer, date(2027, 1, 1), gross)
        for issuer, kind, gross in docs
    ]
    net = net_of((A, B), items)

    def side(council):
        return sum(g if k == "invoice" else -g for i, k, g in docs if i == council)

    assert net.a_to_b_pence == side(A) and net.b_to_a_pence == side(B)
    assert net.net_pence >= 0 and {net.payer, net.payee} == {A, B}
    signed = net.net_pence if net.payee == A else -net.net_pence
    assert signed == side(A) - side(B)


def test_racing_payments_one_wins(committed_engine, database_url):
    from app.db import make_engine

    with (
        clock.travel_to(date(2027, 1, 10)),
        Session(committed_engine, expire_on_commit=False) as session,
    ):
        make = Factory(session)
        west = make_side(make, session, "data-analyst")
        east = make_side(make, session, "town-planning")
        complete(session, west, east, DEC_WEEK, 60)
        issue_december(session, west)
        actor = auth.actor_for(west.finance.user, "token")
        payer = auth.actor_for(east.finance.user, "token")
        [statement] = settlements.list_statements(session, actor, PERIOD)
        session.commit()
    engine = make_engine(database_url, pool_size=8, max_overflow=0)
    barrier = threading.Barrier(8)

    def pay(n):
        barrier.wait()
        with clock.travel_to(date(2027, 1, 10)), Session(engine) as session:
            try:
                settlements.record_payment(
                    session, payer, statement.id, f"BACS {n}", date(2027, 1, 9)
                )
                session.commit()
                return "won"
            except Conflict:
                session.rollback()
                return "lost"

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(pay, range(8)))
    engine.dispose()
    assert sorted(results) == ["lost"] * 7 + ["won"]
    with Session(committed_engine) as session:
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == statement.id,
                AuditEvent.action == "settlement.payment_recorded",
            )
        ).all()
        assert len(events) == 2  # once, for each of the two councils


def test_idempotency_key_replays_the_first_answer(client, exchange):
    [statement] = _statements(client, exchange.west.finance)
    url = f"/api/v1/settlements/{statement['id']}/payment"
    headers = {**exchange.west.finance.headers, "Idempotency-Key": "pay-once"}
    body = {"reference": "BACS 1", "paid_on": "2027-01-09"}
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    other = client.post(url, json={**body, "reference": "BACS 2"}, headers=headers)
    assert other.status_code == 422


def test_a_statement_with_nothing_left_to_settle_goes(client, db, exchange):
    [statement] = _statements(client, exchange.west.finance)
    for side, invoice in ((exchange.west, exchange.west_invoice),
                          (exchange.east, exchange.east_invoice)):
        invoicing.mark_paid(db, auth.actor_for(side.finance.user, "token"), invoice.id,
                            "Paid directly", date(2027, 1, 8))
    db.commit()
    assert _statements(client, exchange.east.finance) == []
    gone = client.get(f"/api/v1/settlements/{statement['id']}",
                      headers=exchange.west.finance.headers)
    assert gone.status_code == 404
