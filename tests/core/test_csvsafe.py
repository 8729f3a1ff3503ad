"""Spreadsheet-formula neutralising for CSV exports (app/core/csvsafe.py)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from app.core.csvsafe import cell, csv_row, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x.example","y")', '\'=HYPERLINK("http://x.example","y")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Ann Smith", "Ann Smith"),
        ("PO 1=2", "PO 1=2"),
        ("", ""),
        ("'already quoted", "'already quoted"),
    ],
)
def test_safe_cell(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


def test_safe_cell_takes_text_only() -> None:
    with pytest.raises(TypeError):
        safe_cell(-5)  # type: ignore[arg-type]


def test_numbers_and_dates_are_not_neutralised() -> None:
    assert cell(Decimal("-525.00")) == "-525.00"
    assert cell(Decimal("1000.00")) == "1000.00"
    assert cell(-3) == "-3"
    assert cell(date(2026, 12, 1)) == "2026-12-01"
    assert cell(None) == ""
    assert cell("-525.00") == "'-525.00"  # text is text: format numbers yourself
    with pytest.raises(TypeError):
        cell(True)
    with pytest.raises(ValueError):
        cell(Decimal("NaN"))


def test_csv_row_round_trips_through_the_csv_module() -> None:
    row = csv_row(["=cmd|' /C calc'!A0", 'say "hi", then', Decimal("-1.50"), 7, None])
    assert row.endswith("\r\n")
    parsed = next(csv.reader(io.StringIO(row)))
    assert parsed == ["'=cmd|' /C calc'!A0", 'say "hi", then', "-1.50", "7", ""]
