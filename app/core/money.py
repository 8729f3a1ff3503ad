"""Money is integer pence; time is integer minutes (DESIGN.md rule 2). No floats, anywhere.

Every rounding here is "half up" on a non-negative exact rational, done once with integer
`divmod`, so the result never depends on binary floating point:

- a line's amount is `minutes * rate_pence_per_hour / 60`, rounded half-up to the penny once,
  per line (`line_amount_pence`);
- VAT is computed per VAT category on the sum of that category's line amounts, never per line
  and never on the gross: `vat_pence(category taxable amount, rate_bps)`. This is what
  EN 16931 BR-CO-17 asks for (VAT category tax amount = VAT category taxable amount * rate / 100,
  rounded to two decimals), so an invoice's VAT breakdown, its PDF and its PEPPOL UBL all agree.
  The invoice's VAT total is the sum of the category amounts (BR-CO-14) and its gross is net + VAT
  (BR-CO-15); `totals` puts those together.

Negative inputs are refused with ValueError rather than given a rounding rule of their own:
a credit note is a separate document whose amounts are positive (see
`app.invoicing.documents`); only exports show them negative, by formatting (`format_pounds`,
`pounds_decimal` accept any sign).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MINUTES_PER_HOUR = 60
BPS_PER_UNIT = 10_000  # basis points: 2000 bps = 20%
MAX_VAT_RATE_BPS = 10_000
QUARTER_HOUR_MINUTES = 15

_PENNY = Decimal("0.01")


def _require_int(name: str, value: object) -> int:
    # bool is an int subclass; True pence or True minutes is always a bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _require_non_negative(name: str, value: object) -> int:
    number = _require_int(name, value)
    if number < 0:
        raise ValueError(f"{name} must not be negative (got {number})")
    return number


def div_half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded half-up, for `numerator >= 0` and `denominator > 0`."""
    numerator = _require_non_negative("numerator", numerator)
    denominator = _require_int("denominator", denominator)
    if denominator <= 0:
        raise ValueError(f"denominator must be positive (got {denominator})")
    quotient, remainder = divmod(numerator, denominator)
    return quotient + 1 if 2 * remainder >= denominator else quotient


def line_amount_pence(minutes: int, rate_pence_per_hour: int) -> int:
    """A line's amount: minutes * rate / 60, rounded half-up to the penny once.

    >>> line_amount_pence(1, 3030)  # 50.5p
    51
    >>> line_amount_pence(20, 4999)  # 1666.33p
    1666
    """
    minutes = _require_non_negative("minutes", minutes)
    rate = _require_non_negative("rate_pence_per_hour", rate_pence_per_hour)
    return div_half_up(minutes * rate, MINUTES_PER_HOUR)


def _check_rate_bps(rate_bps: int) -> int:
    rate = _require_non_negative("rate_bps", rate_bps)
    if rate > MAX_VAT_RATE_BPS:
        raise ValueError(f"rate_bps must be at most {MAX_VAT_RATE_BPS} (got {rate})")
    return rate


def vat_pence(net_pence: int, rate_bps: int) -> int:
    """VAT on a VAT category's taxable amount: net * rate_bps / 10000, rounded half-up.

    Call it once per VAT category (and rate) of a document with the sum of that category's
    line amounts, as EN 16931 BR-CO-17 requires; never per line.

    >>> vat_pence(10_001, 2000)  # 2000.2p
    2000
    >>> vat_pence(10_003, 2000)  # 2000.6p
    2001
    """
    net = _require_non_negative("net_pence", net_pence)
    return div_half_up(net * _check_rate_bps(rate_bps), BPS_PER_UNIT)


@dataclass(frozen=True)
class Totals:
    net_pence: int
    vat_pence: int
    gross_pence: int


def totals(categories: Iterable[tuple[int, int]]) -> Totals:
    """Document totals from `(taxable_pence, rate_bps)` per VAT category.

    VAT is rounded per category (`vat_pence`), then added up; gross = net + VAT.
    """
    net = 0
    vat = 0
    for taxable, rate_bps in categories:
        net += _require_non_negative("taxable_pence", taxable)
        vat += vat_pence(taxable, rate_bps)
    return Totals(net_pence=net, vat_pence=vat, gross_pence=net + vat)


def pounds_decimal(pence: int) -> Decimal:
    """The exact amount in pounds as a Decimal with two places (any sign): 123456 → 1234.56."""
    return (Decimal(_require_int("pence", pence)) / 100).quantize(_PENNY)


def format_pounds(pence: int, *, grouping: bool = True, symbol: bool = False) -> str:
    """Pounds and pence as text, from integer pence (any sign).

    `format_pounds(123456)` → "1,234.56" (for people); `grouping=False` → "1234.56" (CSV, UBL);
    `symbol=True` → "£1,234.56"; negatives lead with the sign: "-£5.25" / "-5.25".
    """
    pence = _require_int("pence", pence)
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    whole = f"{pounds:,}" if grouping else str(pounds)
    return f"{sign}{'£' if symbol else ''}{whole}.{pennies:02d}"


_POUNDS = re.compile(r"^(-?)(\d+)(?:\.(\d{1,2}))?$")


def parse_pounds(text: str) -> int:
    """Integer pence from a plain decimal of at most two places ("1234.5" → 123450).

    Thousands separators, symbols and more than two decimals are refused (ValueError).
    """
    match = _POUNDS.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an amount in pounds with at most two decimals: {text!r}")
    sign, pounds, pennies = match.groups()
    value = int(pounds) * 100 + int((pennies or "0").ljust(2, "0"))
    return -value if sign else value


def hours_to_minutes(hours: Decimal | str | int) -> int:
    """Whole minutes from hours given in quarter hours: Decimal("7.25") or "7.25" → 435.

    Floats are refused (TypeError): 0.1 has no exact binary value. Negative values, values that
    are not a multiple of 0.25 and anything that is not a finite number raise ValueError.
    """
    if isinstance(hours, bool) or not isinstance(hours, Decimal | str | int):
        raise TypeError(f"hours must be a Decimal, str or int, not {type(hours).__name__}")
    try:
        value = Decimal(hours.strip() if isinstance(hours, str) else hours)
    except InvalidOperation:
        raise ValueError(f"hours must be a number: {hours!r}") from None
    if not value.is_finite():
        raise ValueError(f"hours must be a finite number: {hours!r}")
    if value < 0:
        raise ValueError(f"hours must not be negative: {hours!r}")
    minutes = value * MINUTES_PER_HOUR
    if minutes != minutes.to_integral_value() or int(minutes) % QUARTER_HOUR_MINUTES:
        raise ValueError(f"hours must be a multiple of 0.25: {hours!r}")
    return int(minutes)


def minutes_to_hours(minutes: int) -> Decimal:
    """Hours as an exact Decimal for quarter-hour minutes (435 → Decimal("7.25")).

    Minutes that are not a multiple of 15 raise ValueError, since their hours may not be a
    finite decimal (20 minutes = 0.333… hours); use `format_duration` to show those.
    """
    minutes = _require_non_negative("minutes", minutes)
    if minutes % QUARTER_HOUR_MINUTES:
        raise ValueError(f"{minutes} minutes is not a whole number of quarter hours")
    return (Decimal(minutes) / MINUTES_PER_HOUR).quantize(_PENNY)


def format_duration(minutes: int) -> str:
    """Hours and minutes for people: 435 → "7:15", 20 → "0:20"."""
    minutes = _require_non_negative("minutes", minutes)
    hours, rest = divmod(minutes, MINUTES_PER_HOUR)
    return f"{hours}:{rest:02d}"


def format_rate_percent(rate_bps: int) -> str:
    """A VAT rate in percent without trailing zeros: 2000 → "20", 1750 → "17.5", 0 → "0"."""
    rate = _check_rate_bps(rate_bps)
    whole, rest = divmod(rate, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")
