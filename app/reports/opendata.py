"""Open data: anonymised pool statistics, published without signing in under the Open
Government Licence v3.0.

Per month (the last 12 complete months; a booking belongs to its week's Monday's month) and per
dimension (all bookings, skill family, nation and region of the lending council): completed
bookings, hours, estimated savings and the number of councils lending and borrowing. No personal
data and no council names. Any figure resting on fewer than 5 bookings is suppressed ("[c]" in
the CSV, null in the JSON), as the ONS does. Computed once and kept for a few minutes per
process: cheap to serve.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.csvsafe import csv_row
from app.councils.models import Council
from app.reports import values
from app.reports.rates import ESTIMATE_LABEL, RateBook, primary_skills

THRESHOLD = 5
MONTHS = 12
SUPPRESSED = "[c]"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
COLUMNS = (
    "month",
    "dimension",
    "value",
    "bookings",
    "hours",
    "estimated_savings_gbp",
    "hours_with_market_rate",
    "councils_lending",
    "councils_borrowing",
)
DICTIONARY: dict[str, Any] = {
    "title": "LocalGov Talent Pool: monthly pool statistics",
    "licence": LICENCE,
    "licence_url": LICENCE_URL,
    "attribution": "Contains public sector information licensed under the Open Government "
    "Licence v3.0.",
    "files": {
        "csv": "/api/v1/open-data/monthly.csv",
        "json": "/api/v1/open-data/monthly.json",
        "dictionary": "/api/v1/open-data/dictionary.json",
    },
    "coverage": "The last 12 complete calendar months. A booking belongs to the month in which "
    "its ISO week's Monday falls. Only completed bookings count, at the hours worked, net of "
    "credit notes.",
    "suppression": f"Any row resting on fewer than {THRESHOLD} bookings (1 to {THRESHOLD - 1}) "
    f"has every figure suppressed: '{SUPPRESSED}' in the CSV, null in the JSON, as the Office "
    "for National Statistics marks confidential cells. Rows with no bookings are not listed.",
    "personal_data": "None: no people, no council names, no booking or invoice references.",
    "columns": {
        "month": "The month, YYYY-MM.",
        "dimension": "What the row breaks down by: 'all' (every booking of the month), "
        "'skill_family' (the family of the lent officer's primary skill: the first of their "
        "skills by name), 'nation' or 'region' (of the lending council).",
        "value": "The skill family, nation or region; 'All bookings' for 'all'.",
        "bookings": "Completed bookings (count).",
        "hours": "Hours worked on them, net of hours credited (decimal hours).",
        "estimated_savings_gbp": "Estimated savings in pounds: the market cost of the hours at "
        "the published day rate for the skill (7.4 hours a day unless the rate says otherwise) "
        "minus the recharge, for bookings whose skill has a sourced market rate. " + ESTIMATE_LABEL,
        "hours_with_market_rate": "Of the hours, those with a sourced market rate (so counted "
        "in the estimated savings).",
        "councils_lending": "Distinct councils whose officers worked these bookings.",
        "councils_borrowing": "Distinct councils that booked them.",
    },
}


@dataclass
class _Group:
    bookings: int = 0
    minutes: int = 0
    savings_pence: int = 0
    minutes_with_rate: int = 0
    lenders: set[uuid.UUID] = field(default_factory=set)
    borrowers: set[uuid.UUID] = field(default_factory=set)


@dataclass(frozen=True)
class OpenRow:
    month: str
    dimension: str
    value: str
    bookings: int | None
    hours: float | None
    estimated_savings_gbp: float | None
    hours_with_market_rate: float | None
    councils_lending: int | None
    councils_borrowing: int | None


def complete_months(today: date) -> list[str]:
    """The last MONTHS complete months, oldest first."""
    first_of_month = today.replace(day=1)
    return values.last_months(date.fromordinal(first_of_month.toordinal() - 1), MONTHS)


def _row(month: str, dimension: str, value: str, g: _Group) -> OpenRow:
    if g.bookings < THRESHOLD:
        return OpenRow(month, dimension, value, None, None, None, None, None, None)
    return OpenRow(
        month,
        dimension,
        value,
        g.bookings,
        g.minutes / 60,
        g.savings_pence / 100,
        g.minutes_with_rate / 60,
        len(g.lenders),
        len(g.borrowers),
    )


def monthly(session: Session) -> list[OpenRow]:
    months = complete_months(clock.today())
    first, last = values.month_span(months[0], months[-1])
    rows = list(values.completed_values(session, first, last))
    skills = primary_skills(session, {r.officer_id for r in rows})
    places = (
        {
            c_id: (nation, region)
            for c_id, nation, region in session.execute(
                select(Council.id, Council.nation, Council.region).where(
                    Council.id.in_({r.lending_council_id for r in rows})
                )
            )
        }
        if rows
        else {}
    )
    book = RateBook.load(session)
    groups: dict[tuple[str, str, str], _Group] = {}
    for r in rows:
        skill = skills.get(r.officer_id)
        saved = book.savings_pence(skill, r.minutes, r.pence)
        nation, region = places.get(r.lending_council_id, ("Not stated", "Not stated"))
        for dimension, value in (
            ("all", "All bookings"),
            ("skill_family", skill.family if skill else "Not stated"),
            ("nation", nation),
            ("region", region),
        ):
            g = groups.setdefault((r.month, dimension, value), _Group())
            g.bookings += 1
            g.minutes += r.minutes
            g.lenders.add(r.lending_council_id)
            g.borrowers.add(r.booking_council_id)
            if saved is not None:
                g.savings_pence += saved
                g.minutes_with_rate += r.minutes
    order = {"all": 0, "skill_family": 1, "nation": 2, "region": 3}
    return [
        _row(month, dimension, value, g)
        for (month, dimension, value), g in sorted(
            groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][2])
        )
    ]


def _cell(value: Any) -> Any:
    if value is None:
        return SUPPRESSED
    if isinstance(value, float):
        return Decimal(str(round(value, 2)))
    return value


@dataclass(frozen=True)
class Published:
    json_bytes: bytes
    csv_bytes: bytes
    etag: str
    generated_on: date


def publish(session: Session) -> Published:
    rows = monthly(session)
    today = clock.today()
    body = {
        "title": DICTIONARY["title"],
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated_on": today.isoformat(),
        "months": complete_months(today),
        "suppression_threshold": THRESHOLD,
        "dictionary": DICTIONARY["files"]["dictionary"],
        "rows": [asdict(r) for r in rows],
    }
    json_bytes = json.dumps(body, separators=(",", ":")).encode()
    csv_text = csv_row(COLUMNS) + "".join(
        csv_row(_cell(getattr(r, c)) for c in COLUMNS) for r in rows
    )
    digest = hashlib.sha256(json_bytes).hexdigest()[:32]
    return Published(json_bytes, csv_text.encode(), f'"{digest}"', today)


class OpenDataCache:
    """The published files, kept for `ttl` seconds (and never past the day they were made)."""

    def __init__(self, ttl: float = 600.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: Published | None = None
        self._made = 0.0

    def get(self, make: Callable[[], Published]) -> Published:
        with self._lock:
            fresh = (
                self._value is not None
                and time.monotonic() - self._made < self.ttl
                and self._value.generated_on == clock.today()
            )
            if not fresh:
                self._value = make()
                self._made = time.monotonic()
            assert self._value is not None
            return self._value
