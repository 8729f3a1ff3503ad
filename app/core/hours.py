"""Hours in the API: JSON numbers in quarter hours, validated exactly (no float drift) and
stored as integer minutes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

MAX_HOURS_PER_WEEK = 60


def _hours(value: Any) -> Decimal:
    """A JSON number of hours, checked exactly (no float drift): 0 < hours <= 60, quarter hours."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number of hours")
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number of hours") from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_WEEK:
        raise ValueError(f"must be more than 0 and at most {MAX_HOURS_PER_WEEK} hours")
    if (hours * 4) % 1 != 0:
        raise ValueError("must be in quarter hours (a multiple of 0.25)")
    return hours


Hours = Annotated[
    Decimal,
    PlainValidator(_hours),
    WithJsonSchema(
        {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": MAX_HOURS_PER_WEEK,
            "multipleOf": 0.25,
            "examples": [7.5],
        }
    ),
]


def _query_hours(value: Any) -> Decimal:
    """The same rule for a query string, where numbers arrive as text (`?min_hours=2.5`)."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("must be a number of hours") from None
    return _hours(value)


QueryHours = Annotated[
    Decimal,
    PlainValidator(_query_hours),
    WithJsonSchema(
        {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": MAX_HOURS_PER_WEEK,
            "multipleOf": 0.25,
            "examples": [2.5],
        }
    ),
]


def _actual_hours(value: Any) -> Decimal:
    """Hours worked: like `Hours`, but zero is allowed (nothing was worked)."""
    if not isinstance(value, bool) and isinstance(value, int | float | Decimal) and value == 0:
        return Decimal(0)
    return _hours(value)


ActualHours = Annotated[
    Decimal,
    PlainValidator(_actual_hours),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": 0,
            "maximum": MAX_HOURS_PER_WEEK,
            "multipleOf": 0.25,
            "examples": [6.5],
        }
    ),
]


def to_minutes(hours: Decimal | int) -> int:
    """Whole minutes from validated hours (exact: quarter hours are multiples of 15 minutes)."""
    return int(hours * 60)


def to_hours(minutes: int) -> float:
    """Minutes (multiples of 15) as hours; exact, since quarters are binary fractions."""
    return minutes / 60


def hours_text(minutes: int) -> str:
    """Minutes as people read them, the one way the service writes hours: '1 hour',
    '2.75 hours', '0 hours' (display only: minutes are quarter hours, so this is exact)."""
    hours = f"{minutes / 60:g}"
    return f"{hours} hour" if minutes == 60 else f"{hours} hours"
