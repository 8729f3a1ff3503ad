"""UK bank holidays by nation, and working-day arithmetic built on them.

Councils are in one of four nations; bank holidays come from the `holidays` package
(country GB): England → subdivision ENG, Wales → WLS, Scotland → SCT, Northern Ireland → NIR.
A working day is Monday to Friday and not a bank holiday of that nation. Holidays that fall on
a weekend are not listed: their substitute weekday ("(observed)") is, as on GOV.UK.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_package

from app.core.isoweek import Week

SUBDIVISIONS = {
    "England": "ENG",
    "Wales": "WLS",
    "Scotland": "SCT",
    "Northern Ireland": "NIR",
}


def _subdivision(nation: str) -> str:
    try:
        return SUBDIVISIONS[nation]
    except KeyError:
        raise ValueError(f"Unknown nation {nation!r}; one of {', '.join(SUBDIVISIONS)}") from None


@lru_cache(maxsize=64)
def _holidays_for(subdivision: str, year: int) -> dict[date, str]:
    table = holidays_package.country_holidays("GB", subdiv=subdivision, years=year)
    return {day: str(name) for day, name in table.items() if day.weekday() < 5}


def bank_holiday_name(day: date, nation: str) -> str | None:
    """The bank holiday's name when `day` is one (on a weekday) in `nation`, else None."""
    return _holidays_for(_subdivision(nation), day.year).get(day)


def bank_holidays(start: date, end: date, nation: str) -> list[tuple[date, str]]:
    """Weekday bank holidays in `nation` from `start` to `end`, both included, in date order."""
    subdivision = _subdivision(nation)
    found: list[tuple[date, str]] = []
    for year in range(start.year, end.year + 1):
        found.extend(
            (day, name)
            for day, name in _holidays_for(subdivision, year).items()
            if start <= day <= end
        )
    return sorted(found)


def week_bank_holidays(week: Week, nation: str) -> list[tuple[date, str]]:
    return bank_holidays(week.monday, week.sunday, nation)


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and bank_holiday_name(day, nation) is None


def working_days(week: Week, nation: str) -> int:
    """Monday to Friday of `week` less the nation's bank holidays (0 to 5)."""
    return sum(1 for day in week.days() if is_working_day(day, nation))


def add_working_days(start: date, n: int, nation: str) -> date:
    """The date `n` working days after `start` (before it when `n` is negative).

    `start` itself is not counted, so from Friday, `add_working_days(friday, 1)` is the next
    working Monday; with `n == 0` the answer is `start`, working day or not. For example an
    unanswered request made on `d` expires at the end of `add_working_days(d, 3, nation)`.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, nation: str) -> int:
    """Working days `d` with `start <= d < end` (0 when `end` is not after `start`).

    A cancellation on `today` for a week starting `monday` is late when
    `working_days_between(today, monday, nation) < notice_days`.
    """
    count = 0
    day = start
    while day < end:
        if is_working_day(day, nation):
            count += 1
        day += timedelta(days=1)
    return count
