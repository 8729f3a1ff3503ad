"""Idempotency-Key on the POSTs that create money (issue 8, point 10), with the bookings'
semantics: a retry with the same key and body replays the first answer and changes nothing
more; the same key with another body is refused (422) and changes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.invoicing.models import CreditNote, Invoice
from tests.invoicing.conftest import PERIOD, WEEKS, completed, make_lender


def post(client, member, path, body=None, key=None):
    headers = {**member.headers, **({"Idempotency-Key": key} if key else {})}
    return client.post(f"/api/v1{path}", json=body, headers=headers)


@pytest.fixture
def drafted(client, db, make):
    lender = make_lender(make, db)
    completed(db, lender, make.user(make.council(), "booker"), WEEKS[1], 120)
    return lender


def _issued(client, lender):
    [draft] = post(client, lender.finance, "/invoice-runs", {"period": PERIOD}).json()["invoices"]
    assert post(client, lender.finance, f"/invoices/{draft['id']}/issue").status_code == 200
    return uuid.UUID(draft["id"])


def _replayed(first, again):
    assert again.status_code == first.status_code, again.text
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert first.headers.get("idempotent-replayed") is None


def test_a_run_retried_with_its_key_is_the_same_run(client, db, drafted):
    first = post(client, drafted.finance, "/invoice-runs", {"period": PERIOD}, key="run-1")
    assert first.status_code == 201
    again = post(client, drafted.finance, "/invoice-runs", {"period": PERIOD}, key="run-1")
    _replayed(first, again)
    drafts = db.scalars(select(Invoice.id).where(Invoice.issuer_council_id == drafted.council.id))
    assert [str(i) for i in drafts] == [first.json()["invoices"][0]["id"]]  # not rebuilt
    other = post(client, drafted.finance, "/invoice-runs", {"period": "2026-11"}, key="run-1")
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


def test_issue_retried_with_its_key(client, db, drafted):
    [draft] = post(client, drafted.finance, "/invoice-runs", {"period": PERIOD}).json()["invoices"]
    path = f"/invoices/{draft['id']}/issue"
    first = post(client, drafted.finance, path, key="issue-1")
    assert first.status_code == 200
    _replayed(first, post(client, drafted.finance, path, key="issue-1"))
    assert post(client, drafted.finance, path).status_code == 409  # without the key: issued


def test_a_credit_note_retried_with_its_key_is_made_once(client, db, drafted):
    invoice_id = _issued(client, drafted)
    path = f"/invoices/{invoice_id}/credit-notes"
    body = {"lines": [], "reason": "Cancelled"}
    first = post(client, drafted.finance, path, body, key="cn-1")
    assert first.status_code == 201
    _replayed(first, post(client, drafted.finance, path, body, key="cn-1"))
    count = select(func.count()).select_from(CreditNote).where(CreditNote.invoice_id == invoice_id)
    assert db.scalar(count) == 1
    other = post(client, drafted.finance, path, {**body, "reason": "Other"}, key="cn-1")
    assert other.status_code == 422
    assert db.scalar(count) == 1


def test_mark_paid_retried_with_its_key(client, db, drafted):
    invoice_id = _issued(client, drafted)
    path = f"/invoices/{invoice_id}/mark-paid"
    body = {"reference": "BACS 1", "paid_on": "2027-01-06"}
    first = post(client, drafted.finance, path, body, key="paid-1")
    assert first.status_code == 200 and first.json()["status"] == "paid"
    events = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "invoice.paid", AuditEvent.entity_id == invoice_id)
    )
    before = db.scalar(events)
    _replayed(first, post(client, drafted.finance, path, body, key="paid-1"))
    assert db.scalar(events) == before
    assert (
        post(client, drafted.finance, path, {**body, "reference": "x"}, key="paid-1").status_code
        == 422
    )


def test_a_failed_request_leaves_its_key_free(client, db, make):
    lender = make_lender(make, db, bank_account_number=None)
    completed(db, lender, make.user(make.council(), "booker"), WEEKS[1], 60)
    [draft] = post(client, lender.finance, "/invoice-runs", {"period": PERIOD}).json()["invoices"]
    path = f"/invoices/{draft['id']}/issue"
    assert post(client, lender.finance, path, key="issue-x").status_code == 409  # no bank details
    settings = client.patch(
        f"/api/v1/councils/{lender.council.id}/settings",
        json={"bank_account_number": "12345678"},
        headers=make.user(lender.council, "council_admin").headers,
    )
    assert settings.status_code == 200
    assert post(client, lender.finance, path, key="issue-x").status_code == 200
