"""Integer-pence money (app/core/money.py): hand-computed cases and properties."""

from __future__ import annotations

import ast
import inspect
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import money
from app.core.money import (
    div_half_up,
    format_duration,
    format_pounds,
    format_rate_percent,
    hours_to_minutes,
    line_amount_pence,
    minutes_to_hours,
    parse_pounds,
    pounds_decimal,
    totals,
    vat_pence,
)

# ---------------------------------------------------------------------------- line amounts


@pytest.mark.parametrize(
    ("minutes", "rate", "expected"),
    [
        (1, 3000, 50),  # exactly 50p
        (1, 3001, 50),  # 50.0166…p → down
        (1, 3030, 51),  # 50.5p → half up
        (1, 3029, 50),  # 50.4833…p → down
        (7, 4500, 525),  # 525.0p exactly
        (20, 4999, 1666),  # 1666.33…p → down
        (10, 4503, 751),  # 750.5p → half up
        (10, 4502, 750),  # 750.33…p → down
        (40, 4999, 3333),  # 3332.66…p → up
        (1, 30, 1),  # 0.5p → 1p
        (1, 29, 0),  # 0.4833…p → 0p
        (1, 1, 0),  # 0.0166…p → 0p
        (0, 4500, 0),
        (60, 4500, 4500),
        (450, 4500, 33750),  # 7.5 hours at £45
        (435, 4500, 32625),  # 7.25 hours at £45
        (90, 0, 0),
    ],
)
def test_line_amount_hand_computed(minutes: int, rate: int, expected: int) -> None:
    assert line_amount_pence(minutes, rate) == expected


def test_line_amount_refuses_negatives_floats_and_bools() -> None:
    with pytest.raises(ValueError, match="minutes"):
        line_amount_pence(-1, 4500)
    with pytest.raises(ValueError, match="rate"):
        line_amount_pence(60, -4500)
    with pytest.raises(TypeError):
        line_amount_pence(1.5, 4500)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        line_amount_pence(60, Decimal("4500"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        line_amount_pence(True, 4500)


def test_div_half_up_edges() -> None:
    assert div_half_up(0, 7) == 0
    assert div_half_up(1, 2) == 1
    assert div_half_up(3, 2) == 2
    assert div_half_up(5, 10) == 1
    assert div_half_up(4, 10) == 0
    assert div_half_up(14, 10) == 1
    assert div_half_up(15, 10) == 2
    with pytest.raises(ValueError):
        div_half_up(-1, 2)
    with pytest.raises(ValueError):
        div_half_up(1, 0)


# ---------------------------------------------------------------------------- VAT


@pytest.mark.parametrize(
    ("net", "rate_bps", "expected"),
    [
        (10_000, 2000, 2000),
        (35_416, 2000, 7083),  # 7083.2p
        (68_792, 2000, 13_758),  # 13758.4p
        (3, 2000, 1),  # 0.6p
        (2, 2000, 0),  # 0.4p
        (5, 1000, 1),  # 0.5p → half up
        (10, 500, 1),  # 0.5p → half up
        (9, 500, 0),  # 0.45p
        (100, 1750, 18),  # 17.5p → half up
        (12_345, 0, 0),
        (0, 2000, 0),
        (1, 10_000, 1),
    ],
)
def test_vat_hand_computed(net: int, rate_bps: int, expected: int) -> None:
    assert vat_pence(net, rate_bps) == expected


def test_vat_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        vat_pence(-100, 2000)
    with pytest.raises(ValueError):
        vat_pence(100, -1)
    with pytest.raises(ValueError):
        vat_pence(100, 10_001)
    with pytest.raises(TypeError):
        vat_pence(100.0, 2000)  # type: ignore[arg-type]


def test_vat_is_rounded_on_the_category_total_not_per_line() -> None:
    # Three lines of 3p at 20%: 0.6p each. Per line that would be 3 x 1p = 3p; EN 16931
    # (BR-CO-17) takes the category's taxable amount, 9p x 20% = 1.8p → 2p.
    result = totals([(9, 2000)])
    assert result == money.Totals(net_pence=9, vat_pence=2, gross_pence=11)


def test_totals_by_category() -> None:
    result = totals([(68_792, 2000), (1_000, 0), (3_525, 500)])
    # 13758.4 → 13758; 0; 176.25 → 176
    assert result == money.Totals(net_pence=73_317, vat_pence=13_934, gross_pence=87_251)


# ---------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("pence", "grouped", "plain", "with_symbol"),
    [
        (123_456, "1,234.56", "1234.56", "£1,234.56"),
        (0, "0.00", "0.00", "£0.00"),
        (5, "0.05", "0.05", "£0.05"),
        (100, "1.00", "1.00", "£1.00"),
        (123_456_789, "1,234,567.89", "1234567.89", "£1,234,567.89"),
        (-52_500, "-525.00", "-525.00", "-£525.00"),
        (-5, "-0.05", "-0.05", "-£0.05"),
    ],
)
def test_format_pounds(pence: int, grouped: str, plain: str, with_symbol: str) -> None:
    assert format_pounds(pence) == grouped
    assert format_pounds(pence, grouping=False) == plain
    assert format_pounds(pence, symbol=True) == with_symbol
    assert parse_pounds(plain) == pence
    assert pounds_decimal(pence) == Decimal(plain)
    assert str(pounds_decimal(pence)) == plain


def test_format_pounds_refuses_non_ints() -> None:
    with pytest.raises(TypeError):
        format_pounds(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_pounds(Decimal("12.50"))  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1,234.56", "£12.00", "1.234", "", "abc", "1e3", "- 1.00"])
def test_parse_pounds_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_pounds(text)


def test_parse_pounds_accepts_short_forms() -> None:
    assert parse_pounds("12") == 1200
    assert parse_pounds("12.5") == 1250
    assert parse_pounds("-0.01") == -1


def test_rates_and_durations() -> None:
    assert format_rate_percent(2000) == "20"
    assert format_rate_percent(1750) == "17.5"
    assert format_rate_percent(525) == "5.25"
    assert format_rate_percent(0) == "0"
    assert format_rate_percent(10_000) == "100"
    assert format_duration(0) == "0:00"
    assert format_duration(20) == "0:20"
    assert format_duration(435) == "7:15"
    assert format_duration(600) == "10:00"
    with pytest.raises(ValueError):
        format_duration(-1)


# ---------------------------------------------------------------------------- hours


@pytest.mark.parametrize(
    ("hours", "minutes"),
    [
        ("7.25", 435),
        (Decimal("0.25"), 15),
        ("0", 0),
        (3, 180),
        ("7.5", 450),
        ("7.50", 450),
        (" 1.75 ", 105),
        (Decimal("37.5"), 2250),
    ],
)
def test_hours_to_minutes(hours: Decimal | str | int, minutes: int) -> None:
    assert hours_to_minutes(hours) == minutes


@pytest.mark.parametrize("hours", ["7.1", "0.2", "-1", "-0.25", "abc", "", "NaN", "Infinity"])
def test_hours_to_minutes_refuses(hours: str) -> None:
    with pytest.raises(ValueError):
        hours_to_minutes(hours)


def test_hours_to_minutes_refuses_floats() -> None:
    with pytest.raises(TypeError):
        hours_to_minutes(7.25)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hours_to_minutes(True)


def test_minutes_to_hours() -> None:
    assert minutes_to_hours(435) == Decimal("7.25")
    assert minutes_to_hours(0) == Decimal("0")
    with pytest.raises(ValueError):
        minutes_to_hours(20)  # 0.333… hours


def test_no_floats_in_money() -> None:
    """Rule 2: the module has no float literals and never calls float()."""
    tree = ast.parse(inspect.getsource(money))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        assert not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "float"
        ), node.lineno


# ---------------------------------------------------------------------------- properties

minutes_st = st.integers(min_value=0, max_value=100_000)
rate_st = st.integers(min_value=0, max_value=1_000_000)
vat_rate_st = st.sampled_from([0, 500, 1750, 2000, 2500, 10_000])


@given(minutes_st, rate_st)
def test_line_amount_is_the_exact_amount_rounded_half_up(minutes: int, rate: int) -> None:
    amount = line_amount_pence(minutes, rate)
    exact = Fraction(minutes * rate, 60)
    assert type(amount) is int
    assert abs(amount - exact) <= Fraction(1, 2)
    # Half-up exactly: the smallest integer n with n >= exact - 1/2 ... i.e. floor(exact + 1/2).
    assert amount == (exact + Fraction(1, 2)).__floor__()


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_vat_is_the_exact_vat_rounded_half_up(net: int, rate_bps: int) -> None:
    vat = vat_pence(net, rate_bps)
    exact = Fraction(net * rate_bps, 10_000)
    assert type(vat) is int
    assert abs(vat - exact) <= Fraction(1, 2)
    assert vat == (exact + Fraction(1, 2)).__floor__()


@given(st.lists(st.tuples(minutes_st, rate_st, vat_rate_st), min_size=1, max_size=40))
def test_lines_sum_to_net_and_net_plus_vat_is_gross(
    lines: list[tuple[int, int, int]],
) -> None:
    amounts = [(line_amount_pence(minutes, rate), vat_rate) for minutes, rate, vat_rate in lines]
    by_rate: dict[int, int] = defaultdict(int)
    for amount, vat_rate in amounts:
        by_rate[vat_rate] += amount
    result = totals((taxable, vat_rate) for vat_rate, taxable in by_rate.items())
    assert result.net_pence == sum(amount for amount, _ in amounts)
    assert result.vat_pence == sum(vat_pence(taxable, rate) for rate, taxable in by_rate.items())
    assert result.gross_pence == result.net_pence + result.vat_pence
    assert all(type(value) is int for value in vars(result).values())
    # VAT is off the exact VAT by at most half a penny per category.
    exact_vat = sum(
        (Fraction(taxable * rate, 10_000) for rate, taxable in by_rate.items()), Fraction(0)
    )
    assert abs(result.vat_pence - exact_vat) <= Fraction(len(by_rate), 2)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_formatting_round_trips(pence: int) -> None:
    plain = format_pounds(pence, grouping=False)
    assert parse_pounds(plain) == pence
    assert parse_pounds(format_pounds(pence).replace(",", "")) == pence
    assert pounds_decimal(pence) * 100 == pence


@given(st.integers(min_value=0, max_value=10_000))
def test_quarter_hours_round_trip(quarters: int) -> None:
    minutes = quarters * 15
    assert hours_to_minutes(minutes_to_hours(minutes)) == minutes
    assert hours_to_minutes(str(minutes_to_hours(minutes))) == minutes
