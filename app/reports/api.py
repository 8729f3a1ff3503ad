from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.core.hours import to_hours
from app.councils import service as councils
from app.councils.schemas import CouncilOut
from app.dependencies import CurrentActor, DbSession
from app.reports import pool, service
from app.reports.schemas import ExchangeOut, ExchangeReport, PoolHealthOut

router = APIRouter(tags=["reports"])


@router.get("/reports/exchange", response_model=ExchangeReport)
def exchange(
    actor: CurrentActor,
    db: DbSession,
    from_: Annotated[date, Query(alias="from")],
    to: Annotated[date, Query()],
) -> ExchangeReport:
    """Hours and pence lent and borrowed per pair of councils (weeks starting in the range)."""
    rows = service.exchange(db, actor, from_, to)
    items = [
        ExchangeOut(
            lending_council=CouncilOut.model_validate(
                councils.get_council(db, row.lending_council_id)
            ),
            booking_council=CouncilOut.model_validate(
                councils.get_council(db, row.booking_council_id)
            ),
            bookings=row.bookings,
            hours=to_hours(row.minutes),
            pence=row.pence,
        )
        for row in rows
    ]
    return ExchangeReport(
        items=items,
        total_hours=to_hours(sum(row.minutes for row in rows)),
        total_pence=sum(row.pence for row in rows),
    )


@router.get("/platform/pool", response_model=PoolHealthOut)
def pool_health(actor: CurrentActor, db: DbSession) -> PoolHealthOut:
    """The pool's health (platform admins): members, officers and hours listed this quarter,
    bookings and their value this month."""
    health = pool.pool_health(db, actor)
    return PoolHealthOut(
        today=health.today,
        quarter_first=health.quarter_first,
        quarter_last=health.quarter_last,
        month=health.month,
        member_councils=health.member_councils,
        councils_on_current_agreement=health.councils_on_current_agreement,
        officers_listed=health.officers_listed,
        hours_listed=to_hours(health.minutes_listed),
        bookings=health.bookings,
        booked_pence=health.booked_pence,
    )
