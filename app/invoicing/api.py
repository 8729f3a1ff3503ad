from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.pagination import Page, PageParams, page_params
from app.councils import service as councils
from app.councils.schemas import CouncilOut
from app.dependencies import CurrentActor, DbSession
from app.invoicing import service
from app.invoicing.models import Invoice
from app.invoicing.schemas import (
    CreditCreate,
    CreditNoteOut,
    InvoiceOut,
    InvoiceStatus,
    MarkPaid,
    Period,
    RunCreate,
    RunOut,
)

router = APIRouter(tags=["invoicing"])


def invoice_out(db: Session, invoice: Invoice, with_credit_notes: bool = False) -> InvoiceOut:
    notes = service.credit_notes_of(db, invoice.id) if with_credit_notes else []
    return InvoiceOut.model_validate(
        {
            **{
                k: getattr(invoice, k)
                for k in (
                    "id",
                    "number",
                    "status",
                    "period",
                    "vat_category",
                    "vat_rate_bps",
                    "vat_reason",
                    "net_pence",
                    "vat_pence",
                    "gross_pence",
                    "credited_gross_pence",
                    "issue_date",
                    "issued_at",
                    "due_date",
                    "paid_on",
                    "payment_reference",
                )
            },
            "issuer": CouncilOut.model_validate(
                councils.get_council(db, invoice.issuer_council_id)
            ),
            "customer": CouncilOut.model_validate(
                councils.get_council(db, invoice.customer_council_id)
            ),
            "lines": [
                {
                    **{
                        k: getattr(line, k)
                        for k in (
                            "booking_id",
                            "officer_id",
                            "week",
                            "purchase_order",
                            "minutes",
                            "rate_pence_per_hour",
                            "amount_pence",
                        )
                    },
                    "officer": line.officer_name,
                }
                for line in invoice.lines
            ],
            "credit_notes": [CreditNoteOut.model_validate(n) for n in notes],
        }
    )


@router.post("/invoice-runs", response_model=RunOut, status_code=201)
def create_run(body: RunCreate, actor: CurrentActor, db: DbSession) -> RunOut:
    drafts = service.run_recharge(db, actor, body.period)
    return RunOut(invoices=[invoice_out(db, d) for d in drafts])


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
    return Page[InvoiceOut](items=[invoice_out(db, i) for i in rows], next_cursor=cursor)


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut)
def get_invoice(invoice_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> InvoiceOut:
    return invoice_out(db, service.get_invoice(db, actor, invoice_id), with_credit_notes=True)


@router.post(
    "/invoices/{invoice_id}/issue",
    response_model=InvoiceOut,
    responses={409: {"description": "Already issued"}},
)
def issue(invoice_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> InvoiceOut:
    return invoice_out(db, service.issue(db, actor, invoice_id))


@router.post(
    "/invoices/{invoice_id}/mark-paid",
    response_model=InvoiceOut,
    responses={409: {"description": "Not issued, or paid already"}},
)
def mark_paid(
    invoice_id: uuid.UUID, body: MarkPaid, actor: CurrentActor, db: DbSession
) -> InvoiceOut:
    return invoice_out(db, service.mark_paid(db, actor, invoice_id, body.reference, body.paid_on))


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response_model=CreditNoteOut,
    status_code=201,
    responses={409: {"description": "Nothing left to credit"}},
)
def create_credit_note(
    invoice_id: uuid.UUID, body: CreditCreate, actor: CurrentActor, db: DbSession
) -> CreditNoteOut:
    requests = [service.CreditRequest(line.booking_id, line.minutes) for line in body.lines]
    return CreditNoteOut.model_validate(
        service.credit(db, actor, invoice_id, requests, body.reason)
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
