"""Exchange statistics: hours and pence lent and borrowed between each pair of councils."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.bookings import reads
from app.bookings import service as bookings
from app.core.actor import Actor
from app.core.errors import InvalidInput
from app.reports import rates, values


@dataclass
class Exchange:
    lending_council_id: uuid.UUID
    booking_council_id: uuid.UUID
    bookings: int = 0
    minutes: int = 0
    pence: int = 0
    savings_pence: int = 0
    minutes_with_market_rate: int = 0


@dataclass(frozen=True)
class PairBalance:
    """Two councils in a fixed order: what each lent the other, and the net in A's favour."""

    council_a_id: uuid.UUID
    council_b_id: uuid.UUID
    a_lent_pence: int
    b_lent_pence: int

    @property
    def net_pence(self) -> int:
        return self.a_lent_pence - self.b_lent_pence


def exchange(session: Session, actor: Actor, first: date, last: date) -> list[Exchange]:
    """Completed (and invoiced) hours of weeks starting between `first` and `last`, valued as
    their invoice lines are (each booking rounded half-up once), less credit notes, with the
    estimated savings where a market rate is known. Councils see the pairs they are part of;
    platform admins see every pair."""
    if last < first:
        raise InvalidInput("'to' is before 'from'.", ["query", "to"])
    scope = (
        reads.Scope()
        if actor.is_platform_admin
        else reads.Scope(either_council_id=actor.council_id)
    )
    rows = list(values.completed_values(session, first, last, scope))
    skills = rates.primary_skills(session, {row.officer_id for row in rows})
    book = rates.RateBook.load(session)
    totals: dict[tuple[uuid.UUID, uuid.UUID], Exchange] = {}
    for row in rows:
        key = (row.lending_council_id, row.booking_council_id)
        pair = totals.setdefault(key, Exchange(*key))
        pair.bookings += 1
        pair.minutes += row.minutes
        pair.pence += row.pence
        saved = book.savings_pence(skills.get(row.officer_id), row.minutes, row.pence)
        if saved is not None:
            pair.savings_pence += saved
            pair.minutes_with_market_rate += row.minutes
    return sorted(totals.values(), key=lambda pair: -pair.pence)


def pair_balances(rows: list[Exchange]) -> list[PairBalance]:
    """The net balance per pair of councils, whichever way the hours went."""
    lent: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    for row in rows:
        lent[(row.lending_council_id, row.booking_council_id)] += row.pence
    pairs = {tuple(sorted(key, key=str)) for key in lent}
    balances = [PairBalance(a, b, lent.get((a, b), 0), lent.get((b, a), 0)) for a, b in pairs]
    return sorted(balances, key=lambda p: (-abs(p.net_pence), str(p.council_a_id)))


def booking_savings(session: Session, actor: Actor, booking_id: uuid.UUID) -> rates.BookingSavings:
    """The estimated savings of a booking its reader may see; none until it is completed."""
    booking = bookings.get_booking(session, actor, booking_id)
    found = list(
        values.completed_values(
            session, booking.week_start, booking.week_start, reads.Scope(booking_id=booking.id)
        )
    )
    if not found:
        return rates.BookingSavings(booking.id, None, 0, None, None, None)
    value = found[0]
    return rates.booking_savings(
        session, booking.id, booking.officer_id, value.minutes, value.pence
    )
