"""ISO weeks (`2026-W49`): Monday to Sunday, in Europe/London (DESIGN.md rule 3).

`Week` is a `str` subclass holding the canonical text, so it goes into a String column, sorts
chronologically (the text is zero-padded) and serialises to JSON as itself, while also knowing
its dates. `IsoWeek` is the annotated type for request bodies, path and query parameters:
anything that is not an existing ISO week answers 422.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from app.core import clock

WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")  # ASCII digits only; used with fullmatch
# Far wider than the pool will ever need, and far from date's limits, so arithmetic never overflows.
MIN_YEAR = 2000
MAX_YEAR = 2999


class Week(str):
    """An ISO week. `Week("2026-W49")`, `Week.of(date)`, `Week.from_parts(2026, 49)`."""

    __slots__ = ()

    def __new__(cls, text: str) -> Week:
        match = _WEEK.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError("must be an ISO week like 2026-W49")
        year, number = int(match.group(1)), int(match.group(2))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"must be a week between {MIN_YEAR} and {MAX_YEAR}")
        if not 1 <= number <= weeks_in_year(year):
            raise ValueError(f"{year} has no week {number} (it has {weeks_in_year(year)} weeks)")
        return super().__new__(cls, text)

    @classmethod
    def from_parts(cls, year: int, number: int) -> Week:
        return cls(f"{year:04d}-W{number:02d}")

    @classmethod
    def of(cls, day: date) -> Week:
        """The week a date falls in."""
        year, number, _ = day.isocalendar()
        return cls.from_parts(year, number)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def number(self) -> int:
        return int(self[6:])

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> list[date]:
        """Monday to Sunday."""
        monday = self.monday
        return [monday + timedelta(days=i) for i in range(7)]

    def plus(self, weeks: int) -> Week:
        return Week.of(self.monday + timedelta(weeks=weeks))

    def weeks_until(self, other: Week) -> int:
        """How many weeks from this one to `other` (negative when `other` is earlier)."""
        return (other.monday - self.monday).days // 7


def weeks_in_year(year: int) -> int:
    """52 or 53: a year has week 53 when its 28 December falls in week 53."""
    return date(year, 12, 28).isocalendar()[1]


def parse_week(text: str) -> Week:
    """A Week from 'YYYY-Www'; ValueError when malformed or when that week does not exist."""
    return Week(text)


def format_week(week: date | Week) -> str:
    """'YYYY-Www' for a Week or for the week a date falls in."""
    return str(week if isinstance(week, Week) else Week.of(week))


def week_of(day: date) -> Week:
    return Week.of(day)


@functools.lru_cache(maxsize=4096)
def monday_of(week: str) -> date:
    """The Monday of an ISO week ("2026-W50"), remembered: a page of search results asks it
    of hundreds of officer-weeks."""
    return Week(week).monday


def sunday_of(week: Week) -> date:
    return week.sunday


def week_range(first: Week, last: Week) -> Iterator[Week]:
    """Every week from `first` to `last`, both included (nothing when `last` is earlier)."""
    for offset in range(first.weeks_until(last) + 1):
        yield first.plus(offset)


_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def week_text(week: str) -> str:
    """A week as people read it, by its Monday: 'w/c 2 Nov 2026' (week commencing)."""
    monday = Week(week).monday
    return f"w/c {monday.day} {_SHORT_MONTHS[monday.month - 1]} {monday.year}"


def day_text(day: date) -> str:
    """A date as people read it: 'Monday 2 November 2026' (no leading zero)."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def current_week(today: date | None = None) -> Week:
    """The week of today in Europe/London."""
    return Week.of(today or clock.today())


def week_has_started(week: Week, today: date | None = None) -> bool:
    """True from the week's Monday (Europe/London) onwards."""
    return (today or clock.today()) >= week.monday


def _validate(value: Any) -> Week:
    if isinstance(value, Week):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO week like 2026-W49")
    return Week(value)


IsoWeek = Annotated[
    Week,
    PlainValidator(_validate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": WEEK_PATTERN,
            "examples": ["2026-W49"],
            "description": "An ISO 8601 week, Monday to Sunday (Europe/London).",
        }
    ),
]
