"""CSV cells that a spreadsheet will not run as formulas (CSV/formula injection).

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return may be evaluated
by Excel, LibreOffice or Google Sheets (e.g. `=HYPERLINK(...)`), so `safe_cell` prefixes such
text with a single quote, which spreadsheets show as plain text (OWASP's advice).

Only text is neutralised. `csv_row` leaves numbers, Decimals and dates that *we* format
untouched, so a credit note's `-525.00` stays a number a ledger can add up: pass amounts as
`Decimal` (e.g. `money.pounds_decimal(pence)`) or `int`, never as pre-formatted strings, and
pass every user-supplied or free-text value as `str`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CsvValue = str | int | Decimal | date | None


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text: `'` is put before a leading = + - @ tab or CR."""
    if not isinstance(value, str):
        raise TypeError(f"safe_cell takes text, not {type(value).__name__}")
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell(value: CsvValue) -> str:
    """One cell's text: str is neutralised; int/Decimal/date are written as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("booleans have no CSV form here; pass 'yes'/'no' text")
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a CSV number must be finite")
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no CSV form for {type(value).__name__}")


def csv_row(values: Iterable[CsvValue]) -> str:
    """One CSV record (RFC 4180: quoted where needed, ending in CRLF)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(value) for value in values])
    return buffer.getvalue()
