from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.hours import to_hours
from app.councils.schemas import CouncilOut
from app.dependencies import CurrentActor, DbSession, require_platform_admin
from app.reports import csvs, dashboard, opendata, pool, rates, service, values
from app.reports.models import DEFAULT_DAY_MINUTES, MarketRate
from app.reports.schemas import (
    BookingSavingsOut,
    DashboardMonth,
    DashboardOut,
    DashboardPartner,
    DashboardSkill,
    ExchangeOut,
    ExchangePair,
    ExchangeReport,
    MarketRateChangeOut,
    MarketRateList,
    MarketRateOut,
    MarketRatePut,
    PoolHealthOut,
    SavingsSource,
)

router = APIRouter(tags=["reports"])

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
}


def _csv(content: str, filename: str) -> Response:
    return Response(
        content.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _source(figure: rates.MarketFigure | None) -> SavingsSource | None:
    if figure is None:
        return None
    return SavingsSource(
        skill_family=figure.skill_family,
        skill_slug=figure.skill_slug,
        day_rate_pence=figure.day_rate_pence,
        hours_per_day=figure.day_minutes / 60,
        source=figure.source,
        as_of=figure.as_of,
    )


# --- exchange report -------------------------------------------------------------------------


def _exchange_report(db: Session, actor: Actor, first: date, last: date) -> ExchangeReport:
    rows = service.exchange(db, actor, first, last)
    pairs = service.pair_balances(rows)
    found = values.councils_by_id(
        db, {r.lending_council_id for r in rows} | {r.booking_council_id for r in rows}
    )
    council = {k: CouncilOut.model_validate(v) for k, v in found.items()}
    return ExchangeReport(
        items=[
            ExchangeOut(
                lending_council=council[row.lending_council_id],
                booking_council=council[row.booking_council_id],
                bookings=row.bookings,
                hours=to_hours(row.minutes),
                pence=row.pence,
                estimated_savings_pence=row.savings_pence,
                hours_with_market_rate=to_hours(row.minutes_with_market_rate),
            )
            for row in rows
        ],
        pairs=[
            ExchangePair(
                council_a=council[p.council_a_id],
                council_b=council[p.council_b_id],
                a_lent_pence=p.a_lent_pence,
                b_lent_pence=p.b_lent_pence,
                net_pence=p.net_pence,
            )
            for p in pairs
        ],
        total_hours=to_hours(sum(row.minutes for row in rows)),
        total_pence=sum(row.pence for row in rows),
        estimated_savings_pence=sum(row.savings_pence for row in rows),
        estimate_label=rates.ESTIMATE_LABEL,
        savings_sources=[s for s in map(_source, rates.RateBook.load(db).sources()) if s],
    )


@router.get("/reports/exchange", response_model=ExchangeReport)
def exchange(
    actor: CurrentActor,
    db: DbSession,
    from_: Annotated[date, Query(alias="from")],
    to: Annotated[date, Query()],
) -> ExchangeReport:
    """Hours and pence lent and borrowed per pair of councils (weeks starting in the range),
    net of credit notes, the net balance per pair and the estimated savings."""
    return _exchange_report(db, actor, from_, to)


@router.get("/reports/exchange.csv", response_class=Response, responses=CSV_RESPONSE)
def exchange_csv(
    actor: CurrentActor,
    db: DbSession,
    from_: Annotated[date, Query(alias="from")],
    to: Annotated[date, Query()],
) -> Response:
    """The exchange report as CSV: one row per lending → borrowing pair, then the net per pair."""
    report = _exchange_report(db, actor, from_, to)
    return _csv(csvs.exchange_csv(report), f"exchange-{from_}-{to}.csv")


# --- market rates ------------------------------------------------------------------------------


def _rate_out(row: MarketRate) -> MarketRateOut:
    return MarketRateOut(
        id=row.id,
        skill_family=row.skill_family,
        skill_slug=row.skill_slug,
        day_rate_pence=row.day_rate_pence,
        hours_per_day=(row.day_minutes or DEFAULT_DAY_MINUTES) / 60,
        source=row.source,
        as_of=row.as_of,
        updated_at=row.updated_at,
    )


@router.get("/market-rates", response_model=MarketRateList)
def market_rates(actor: CurrentActor, db: DbSession) -> MarketRateList:
    """Published day rates per skill family (and per skill where known), with sources. A row
    without a figure gives no savings estimate."""
    return MarketRateList(
        items=[_rate_out(r) for r in rates.list_rates(db)], estimate_label=rates.ESTIMATE_LABEL
    )


@router.put("/market-rates/{skill_family}", response_model=MarketRateOut)
def put_market_rate(
    skill_family: str,
    body: MarketRatePut,
    actor: Annotated[Actor, Depends(require_platform_admin)],
    db: DbSession,
    skill: Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]+$")] = None,
) -> MarketRateOut:
    """Set (or, with `day_rate_pence: null`, clear) a family's figure, or one skill's with
    `?skill=`. Every change is kept in the rate's history."""
    minutes = round(body.hours_per_day * 60) if body.hours_per_day else DEFAULT_DAY_MINUTES
    edit = rates.RateEdit(
        skill_family, skill or "", body.day_rate_pence, minutes, body.source, body.as_of
    )
    return _rate_out(rates.set_rate(db, actor, edit))


@router.get("/market-rates/{rate_id}/history", response_model=list[MarketRateChangeOut])
def market_rate_history(
    rate_id: uuid.UUID, actor: CurrentActor, db: DbSession
) -> list[MarketRateChangeOut]:
    return [
        MarketRateChangeOut(
            day_rate_pence=c.day_rate_pence,
            hours_per_day=c.day_minutes / 60,
            source=c.source,
            as_of=c.as_of,
            changed_at=c.changed_at,
            changed_by_name=c.changed_by_name,
        )
        for c in rates.history(db, rate_id)
    ]


@router.get("/bookings/{booking_id}/savings", response_model=BookingSavingsOut)
def booking_savings(booking_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> BookingSavingsOut:
    """The estimated savings of a completed booking against the market rate of its officer's
    primary skill; nulls when no sourced figure is known or it is not completed."""
    found = service.booking_savings(db, actor, booking_id)
    return BookingSavingsOut(
        booking_id=found.booking_id,
        skill=found.skill.name if found.skill else None,
        recharge_pence=found.recharge_pence,
        market_cost_pence=found.market_cost_pence,
        savings_pence=found.savings_pence,
        source=_source(found.figure),
        label=rates.ESTIMATE_LABEL,
    )


# --- dashboard ---------------------------------------------------------------------------------


def _dashboard(db: Session, actor: Actor, months: int) -> DashboardOut:
    board = dashboard.dashboard(db, actor, months)
    found = values.councils_by_id(db, {p.council_id for p in board.partners} | {board.council_id})

    def skill(s: dashboard.SkillFigures) -> DashboardSkill:
        return DashboardSkill(
            slug=s.skill.slug,
            name=s.skill.name,
            family=s.skill.family,
            bookings=s.bookings,
            hours=to_hours(s.minutes),
        )

    return DashboardOut(
        council=CouncilOut.model_validate(found[board.council_id]),
        months=[
            DashboardMonth(
                month=m.month,
                lent_bookings=m.lent_bookings,
                lent_hours=to_hours(m.lent_minutes),
                lent_pence=m.lent_pence,
                borrowed_bookings=m.borrowed_bookings,
                borrowed_hours=to_hours(m.borrowed_minutes),
                borrowed_pence=m.borrowed_pence,
                borrowed_savings_pence=m.borrowed_savings_pence,
                lent_savings_pence=m.lent_savings_pence,
                hours_with_market_rate=to_hours(m.minutes_with_market_rate),
            )
            for m in board.months
        ],
        skills_lent=[skill(s) for s in board.skills_lent],
        skills_borrowed=[skill(s) for s in board.skills_borrowed],
        partners=[
            DashboardPartner(
                council=CouncilOut.model_validate(found[p.council_id]),
                lent_hours=to_hours(p.lent_minutes),
                lent_pence=p.lent_pence,
                borrowed_hours=to_hours(p.borrowed_minutes),
                borrowed_pence=p.borrowed_pence,
                net_pence=p.net_pence,
                outstanding_net_pence=p.outstanding_pence,
            )
            for p in board.partners
        ],
        borrowed_savings_pence=sum(m.borrowed_savings_pence for m in board.months),
        lent_savings_pence=sum(m.lent_savings_pence for m in board.months),
        savings_sources=[s for s in map(_source, board.sources) if s],
        estimate_label=rates.ESTIMATE_LABEL,
    )


Months = Annotated[int, Query(ge=1, le=36)]


@router.get("/dashboard", response_model=DashboardOut)
def get_dashboard(actor: CurrentActor, db: DbSession, months: Months = 12) -> DashboardOut:
    """The council's last months (a booking belongs to its week's Monday's month): hours and £
    lent and borrowed, top skills, partners with the net balance, estimated savings."""
    return _dashboard(db, actor, months)


@router.get("/dashboard/{chart}.csv", response_class=Response, responses=CSV_RESPONSE)
def dashboard_csv(
    chart: Literal["months", "skills", "partners"],
    actor: CurrentActor,
    db: DbSession,
    months: Months = 12,
) -> Response:
    """One chart of the dashboard as CSV: the same figures as its table."""
    board = _dashboard(db, actor, months)
    return _csv(csvs.dashboard_csv(board, chart), f"dashboard-{chart}.csv")


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


# --- open data (no sign-in) --------------------------------------------------------------------

OPEN_DATA_MAX_AGE = 600


def _open_data(request: Request, db: Session) -> opendata.Published:
    cache = getattr(request.app.state, "open_data_cache", None)
    if cache is None:
        cache = request.app.state.open_data_cache = opendata.OpenDataCache(OPEN_DATA_MAX_AGE)
    return cache.get(lambda: opendata.publish(db))


def _published(request: Request, content: bytes, media: str, etag: str, name: str) -> Response:
    headers = {
        "Cache-Control": f"public, max-age={OPEN_DATA_MAX_AGE}",
        "ETag": etag,
        "Link": f'<{opendata.LICENCE_URL}>; rel="license"',
        "Access-Control-Allow-Origin": "*",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{name}"'
    return Response(content, media_type=media, headers=headers)


@router.get(
    "/open-data/monthly.json",
    response_class=Response,
    tags=["open data"],
    responses={200: {"content": {"application/json": {}}}},
)
def open_data_json(request: Request, db: DbSession) -> Response:
    """Anonymised pool statistics per month (OGL v3.0); figures under 5 bookings suppressed."""
    found = _open_data(request, db)
    return _published(
        request, found.json_bytes, "application/json", found.etag, "talent-pool-monthly.json"
    )


@router.get(
    "/open-data/monthly.csv", response_class=Response, tags=["open data"], responses=CSV_RESPONSE
)
def open_data_csv(request: Request, db: DbSession) -> Response:
    """The same statistics as CSV; suppressed figures are "[c]"."""
    found = _open_data(request, db)
    return _published(
        request, found.csv_bytes, "text/csv; charset=utf-8", found.etag, "talent-pool-monthly.csv"
    )


@router.get("/open-data/dictionary.json", tags=["open data"])
def open_data_dictionary() -> dict[str, Any]:
    """What each column means, the licence, coverage and the suppression rule."""
    return opendata.DICTIONARY
