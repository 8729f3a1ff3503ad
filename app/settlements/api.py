from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.councils import service as councils
from app.councils.schemas import CouncilOut
from app.dependencies import CurrentActor, DbSession, writes_on_read
from app.idempotency.api import Once, idempotent
from app.settlements import documents, service
from app.settlements.models import SettlementStatement
from app.settlements.schemas import (
    Period,
    SettlementItemOut,
    SettlementList,
    SettlementOut,
    SettlementPayment,
    SettlementRunCreate,
    SettlementRunOut,
)

router = APIRouter(tags=["settlements"])


def _councils(db: Session, statement: SettlementStatement) -> dict[uuid.UUID, CouncilOut]:
    ids = {statement.council_a_id, statement.council_b_id}
    return {i: CouncilOut.model_validate(councils.get_council(db, i)) for i in ids}


def statement_out(db: Session, statement: SettlementStatement) -> SettlementOut:
    council = _councils(db, statement)
    return SettlementOut(
        id=statement.id,
        reference=statement.reference,
        period=statement.period,
        councils=[council[statement.council_a_id], council[statement.council_b_id]],
        payer=council[statement.payer_council_id],
        payee=council[statement.payee_council_id],
        a_to_b_pence=statement.a_to_b_pence,
        b_to_a_pence=statement.b_to_a_pence,
        net_pence=statement.net_pence,
        status=statement.status,
        invoices=[
            SettlementItemOut(
                kind=i.kind,
                invoice_id=i.invoice_id,
                credit_note_id=i.credit_note_id,
                number=i.number,
                issuer=council[i.issuer_council_id],
                issue_date=i.issue_date,
                gross_pence=i.gross_pence,
            )
            for i in statement.items
        ],
        generated_at=statement.generated_at,
        payment_reference=statement.payment_reference,
        paid_on=statement.paid_on,
        confirmed_at=statement.confirmed_at,
    )


@router.get("/settlements", response_model=SettlementList, dependencies=[Depends(writes_on_read)])
def list_settlements(
    actor: CurrentActor, db: DbSession, period: Annotated[Period, Query()]
) -> SettlementList:
    """The month's net settlement statements with each partner council (finance), rebuilt
    from the unpaid invoices while no payment is recorded."""
    return SettlementList(
        items=[statement_out(db, s) for s in service.list_statements(db, actor, period)]
    )


@router.post("/settlement-runs", response_model=SettlementRunOut, status_code=201)
def create_run(body: SettlementRunCreate, actor: CurrentActor, db: DbSession) -> SettlementRunOut:
    """Prepare the month's statements: the council's own pairs (finance), or every pair on the
    platform (platform admins)."""
    return SettlementRunOut(
        period=body.period, statements_written=service.run(db, actor, body.period)
    )


@router.get(
    "/settlements/{statement_id}",
    response_model=SettlementOut,
    dependencies=[Depends(writes_on_read)],
)
def get_settlement(statement_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> SettlementOut:
    return statement_out(db, service.get_statement(db, actor, statement_id))


@router.post(
    "/settlements/{statement_id}/payment",
    response_model=SettlementOut,
    responses={409: {"description": "Already recorded, or the invoices changed"}},
)
def record_payment(
    statement_id: uuid.UUID,
    body: SettlementPayment,
    actor: CurrentActor,
    db: DbSession,
    once: Annotated[Once, Depends(idempotent("settlements.payment"))],
) -> Response:
    """The payer records the net payment (reference, date). The statement is frozen from then."""
    if once.replay is not None:
        return once.replay
    paid = service.record_payment(db, actor, statement_id, body.reference, body.paid_on)
    return once.respond(statement_out(db, paid))


@router.post(
    "/settlements/{statement_id}/confirm",
    response_model=SettlementOut,
    responses={409: {"description": "No payment recorded, or the invoices changed"}},
)
def confirm(
    statement_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    once: Annotated[Once, Depends(idempotent("settlements.confirm"))],
) -> Response:
    """The payee confirms receipt: every covered invoice is marked paid on both sides."""
    if once.replay is not None:
        return once.replay
    return once.respond(statement_out(db, service.confirm(db, actor, statement_id)))


@router.get(
    "/settlements/{statement_id}/document",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}},
)
def document(
    statement_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    format: Annotated[Literal["pdf", "csv"], Query()] = "pdf",
) -> Response:
    statement = service.get_statement_for_document(db, actor, statement_id)
    council = _councils(db, statement)
    doc = documents.StatementDocument(
        reference=statement.reference,
        period=statement.period,
        status=statement.status,
        council_a=council[statement.council_a_id].name,
        council_b=council[statement.council_b_id].name,
        a_to_b_pence=statement.a_to_b_pence,
        b_to_a_pence=statement.b_to_a_pence,
        payer=council[statement.payer_council_id].name,
        payee=council[statement.payee_council_id].name,
        net_pence=statement.net_pence,
        payment_reference=statement.payment_reference,
        paid_on=statement.paid_on,
        lines=tuple(
            documents.Line(
                i.kind, i.number, council[i.issuer_council_id].name, i.issue_date, i.gross_pence
            )
            for i in statement.items
        ),
    )
    if format == "pdf":
        content, media = documents.render_pdf(doc), "application/pdf"
    else:
        content, media = documents.render_csv(doc).encode(), "text/csv; charset=utf-8"
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{statement.reference}.{format}"'},
    )
