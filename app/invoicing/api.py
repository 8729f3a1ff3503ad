from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.pagination import Page, PageParams, page_params
from app.dependencies import CurrentActor, DbSession
from app.idempotency.api import Once, idempotent
from app.invoicing import exports, service
from app.invoicing.models import Invoice, InvoiceStatus
from app.invoicing.schemas import (
    CreditCreate,
    CreditNoteOut,
    InvoiceOut,
    MarkPaid,
    Period,
    RunCreate,
    RunOut,
)

router = APIRouter(tags=["invoicing"])


def invoice_out(
    db: Session, actor: Actor, invoice: Invoice, with_credit_notes: bool = False
) -> InvoiceOut:
    """An invoice as loaded by the service (lines and councils with it); on the views of one
    invoice, with its credit notes."""
    out = InvoiceOut.model_validate(invoice)
    if with_credit_notes:
        notes = service.credit_notes_of(db, actor, invoice.id)
        out.credit_notes = [CreditNoteOut.model_validate(n) for n in notes]
    return out


# Idempotency-Key on every POST that creates money (DESIGN.md rule 7), one scope each.
RunOnce = Annotated[Once, Depends(idempotent("invoice_runs.create"))]
IssueOnce = Annotated[Once, Depends(idempotent("invoices.issue"))]
MarkPaidOnce = Annotated[Once, Depends(idempotent("invoices.mark_paid"))]
CreditOnce = Annotated[Once, Depends(idempotent("invoices.credit_note"))]


@router.post(
    "/invoice-runs",
    response_model=RunOut,
    status_code=201,
    responses={422: {"description": "Not a month, or a month that has not started"}},
)
def create_run(body: RunCreate, actor: CurrentActor, db: DbSession, once: RunOnce) -> Response:
    if once.replay is not None:
        return once.replay
    drafts = service.run_recharge(db, actor, body.period)
    return once.respond(RunOut(invoices=[invoice_out(db, actor, d) for d in drafts]), 201)


@router.get("/invoices", response_model=Page[InvoiceOut])
def list_invoices(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    direction: Annotated[service.Direction, Query()] = "outgoing",
    status: Annotated[InvoiceStatus | None, Query()] = None,
    period: Annotated[Period | None, Query()] = None,
) -> Page[InvoiceOut]:
    rows, cursor = service.list_invoices(db, actor, direction, status, period, paging)
    return Page[InvoiceOut](items=[invoice_out(db, actor, i) for i in rows], next_cursor=cursor)


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut)
def get_invoice(invoice_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> InvoiceOut:
    return invoice_out(
        db, actor, service.get_invoice(db, actor, invoice_id), with_credit_notes=True
    )


@router.post(
    "/invoices/{invoice_id}/issue",
    response_model=InvoiceOut,
    responses={409: {"description": "Already issued, or the issuer has no bank details"}},
)
def issue(invoice_id: uuid.UUID, actor: CurrentActor, db: DbSession, once: IssueOnce) -> Response:
    if once.replay is not None:
        return once.replay
    issued = service.issue(db, actor, invoice_id)
    return once.respond(invoice_out(db, actor, issued, with_credit_notes=True))


@router.post(
    "/invoices/{invoice_id}/mark-paid",
    response_model=InvoiceOut,
    responses={409: {"description": "Not issued, or paid already"}},
)
def mark_paid(
    invoice_id: uuid.UUID,
    body: MarkPaid,
    actor: CurrentActor,
    db: DbSession,
    once: MarkPaidOnce,
) -> Response:
    if once.replay is not None:
        return once.replay
    paid = service.mark_paid(db, actor, invoice_id, body.reference, body.paid_on)
    return once.respond(invoice_out(db, actor, paid, with_credit_notes=True))


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response_model=CreditNoteOut,
    status_code=201,
    responses={409: {"description": "Nothing left to credit"}},
)
def create_credit_note(
    invoice_id: uuid.UUID,
    body: CreditCreate,
    actor: CurrentActor,
    db: DbSession,
    once: CreditOnce,
) -> Response:
    if once.replay is not None:
        return once.replay
    requests = [service.CreditRequest(line.booking_id, line.minutes) for line in body.lines]
    note = service.credit(db, actor, invoice_id, requests, body.reason)
    return once.respond(CreditNoteOut.model_validate(note), 201)


@router.get(
    "/credit-notes/{credit_note_id}/document",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/csv": {}, "application/xml": {}}}},
)
def credit_note_document(
    credit_note_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    format: Annotated[service.DocumentFormat, Query()] = "pdf",
) -> Response:
    content, media_type, filename = service.render_credit_note(db, actor, credit_note_id, format)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/invoices/{invoice_id}/document",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/csv": {}, "application/xml": {}}},
        409: {"description": "A draft has no document"},
    },
)
def document(
    invoice_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    format: Annotated[service.DocumentFormat, Query()] = "pdf",
) -> Response:
    content, media_type, filename = service.render(db, actor, invoice_id, format)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- finance exports (app/invoicing/exports.py describes the columns) -----------------------

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
}

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_text(value: Any) -> Any:
    """Dates in a query as ISO 8601 text only (`2027-01-31`), not pydantic's lax forms
    (`0` would be 1 January 1970)."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]


@router.get("/exports/invoices.csv", response_class=StreamingResponse, responses=CSV_RESPONSE)
def export_invoices(
    request: Request,
    actor: CurrentActor,
    db: DbSession,
    first: Annotated[
        IsoDate | None,
        Query(alias="from", description="First issue date, included (default: 1st of last month)"),
    ] = None,
    last: Annotated[
        IsoDate | None,
        Query(alias="to", description="Last issue date, included (default: today)"),
    ] = None,
    direction: Annotated[exports.ExportDirection, Query()] = "outgoing",
) -> StreamingResponse:
    """The ledger export: one row per invoice and credit-note line, then a control total."""
    export = exports.ledger_export(db, actor, direction, first, last)
    return StreamingResponse(
        export.stream(request.app.state.session_factory),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "X-Export-Batch-Id": export.batch_id,
        },
    )


@router.get("/exports/payroll.csv", response_class=Response, responses=CSV_RESPONSE)
def export_payroll(
    actor: CurrentActor,
    db: DbSession,
    period: Annotated[Period | None, Query(description="YYYY-MM (default: last month)")] = None,
) -> Response:
    """Hours the council's officers worked for other councils in a month, for overtime pay."""
    content, filename = exports.payroll_export(db, actor, period)
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
