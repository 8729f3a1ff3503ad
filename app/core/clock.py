"""The one clock. Nothing else calls date.today() or datetime.now().

TP_TODAY fixes the date (demos, acceptance tests); the time of day stays real so that
timestamps still move forward. Tests move the clock with `travel_to`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.config import get_settings

LONDON = ZoneInfo("Europe/London")

# (instant the clock was moved to, monotonic reading at that moment): a moved clock keeps ticking.
_override: tuple[datetime, float] | None = None


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    if _override is not None:
        moment, since = _override
        if since == math.inf:
            return moment
        return moment + timedelta(seconds=time.monotonic() - since)
    real = datetime.now(UTC)
    fixed = get_settings().today
    if fixed is None:
        return real
    local_time = real.astimezone(LONDON).timetz().replace(tzinfo=None)
    return datetime.combine(fixed, local_time, tzinfo=LONDON).astimezone(UTC)


def wall_time() -> float:
    """The real time as a Unix timestamp, never moved by TP_TODAY or `travel_to`: for
    signatures that other systems date with their own clocks (Stripe's webhooks)."""
    return time.time()


def today() -> date:
    """Today's date in Europe/London."""
    return now().astimezone(LONDON).date()


@contextmanager
def travel_to(moment: datetime | date, frozen: bool = False) -> Iterator[None]:
    """Move the clock to `moment` (noon London time for a date) for the duration of a block.

    It goes on ticking from there, so events keep their order, unless `frozen`.
    """
    global _override
    previous = _override
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=12)
    _override = (moment.astimezone(UTC), math.inf if frozen else time.monotonic())
    try:
        yield
    finally:
        _override = previous
