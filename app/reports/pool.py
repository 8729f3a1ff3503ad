"""The pool's health for platform admins: member councils, officers and hours listed this
quarter, bookings and their value this month. Plain SELECTs over other domains' tables (the
reports read model, DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.availability.models import Availability
from app.bookings import reads as bookings
from app.core import clock, money
from app.core.actor import Actor
from app.core.errors import Forbidden
from app.councils.service import in_pool_council_ids, member_council_ids


@dataclass(frozen=True)
class PoolHealth:
    today: date
    quarter_first: date
    quarter_last: date
    month: str
    member_councils: int
    councils_on_current_agreement: int
    officers_listed: int
    minutes_listed: int
    bookings: int
    booked_pence: int


def _quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    first = date(today.year, first_month, 1)
    next_first = (
        date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    )
    return first, date.fromordinal(next_first.toordinal() - 1)


def _month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    next_first = (
        date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)
    )
    return first, date.fromordinal(next_first.toordinal() - 1)


def pool_health(session: Session, actor: Actor) -> PoolHealth:
    """Hours listed are the weeks (Monday in the quarter) officers offer, approved or waiting;
    a month's bookings are those whose week's Monday falls in it, not declined, expired or
    cancelled, valued as their invoice lines would be (actual hours once recorded)."""
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins see the pool's health.")
    today = clock.today()
    q_first, q_last = _quarter(today)
    m_first, m_last = _month(today)
    members = session.scalar(
        select(func.count(func.distinct(member_council_ids().subquery().c.council_id)))
    )
    current = session.scalar(
        select(func.count(func.distinct(in_pool_council_ids().subquery().c.council_id)))
    )
    offered = Availability.approved_minutes + Availability.pending_minutes
    listed = session.execute(
        select(func.count(func.distinct(Availability.officer_id)), func.sum(offered)).where(
            Availability.week_start >= q_first, Availability.week_start <= q_last, offered > 0
        )
    ).one()
    rows = session.execute(bookings.live_in_weeks(m_first, m_last)).all()
    pence = sum(
        money.line_amount_pence(actual if actual is not None else minutes, rate)
        for minutes, actual, rate in rows
    )
    return PoolHealth(
        today=today,
        quarter_first=q_first,
        quarter_last=q_last,
        month=m_first.strftime("%Y-%m"),
        member_councils=members or 0,
        councils_on_current_agreement=current or 0,
        officers_listed=listed[0] or 0,
        minutes_listed=int(listed[1] or 0),
        bookings=len(rows),
        booked_pence=pence,
    )
