"""The reports' CSV files: the same figures as the tables on the pages (cells neutralised)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from app.core.csvsafe import csv_row
from app.reports.schemas import DashboardOut, ExchangeReport

Chart = Literal["months", "skills", "partners"]


def _hours(value: float) -> Decimal:
    return Decimal(str(value))


def _pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def exchange_csv(report: ExchangeReport) -> str:
    out = [
        csv_row(
            (
                "lending_council",
                "lending_council_code",
                "borrowing_council",
                "borrowing_council_code",
                "bookings",
                "hours",
                "recharged_gbp",
                "estimated_savings_gbp",
                "hours_with_market_rate",
            )
        )
    ]
    for row in report.items:
        out.append(
            csv_row(
                (
                    row.lending_council.name,
                    row.lending_council.code,
                    row.booking_council.name,
                    row.booking_council.code,
                    row.bookings,
                    _hours(row.hours),
                    _pounds(row.pence),
                    _pounds(row.estimated_savings_pence),
                    _hours(row.hours_with_market_rate),
                )
            )
        )
    out.append("\r\n")
    out.append(
        csv_row(
            (
                "council_a",
                "council_a_code",
                "council_b",
                "council_b_code",
                "a_lent_gbp",
                "b_lent_gbp",
                "net_in_favour_of_a_gbp",
            )
        )
    )
    for pair in report.pairs:
        out.append(
            csv_row(
                (
                    pair.council_a.name,
                    pair.council_a.code,
                    pair.council_b.name,
                    pair.council_b.code,
                    _pounds(pair.a_lent_pence),
                    _pounds(pair.b_lent_pence),
                    _pounds(pair.net_pence),
                )
            )
        )
    return "".join(out)


def dashboard_csv(board: DashboardOut, chart: Chart) -> str:
    if chart == "months":
        out = [
            csv_row(
                (
                    "month",
                    "lent_bookings",
                    "lent_hours",
                    "lent_gbp",
                    "borrowed_bookings",
                    "borrowed_hours",
                    "borrowed_gbp",
                    "estimated_savings_on_borrowed_gbp",
                    "hours_with_market_rate",
                )
            )
        ]
        out += [
            csv_row(
                (
                    m.month,
                    m.lent_bookings,
                    _hours(m.lent_hours),
                    _pounds(m.lent_pence),
                    m.borrowed_bookings,
                    _hours(m.borrowed_hours),
                    _pounds(m.borrowed_pence),
                    _pounds(m.borrowed_savings_pence),
                    _hours(m.hours_with_market_rate),
                )
            )
            for m in board.months
        ]
        return "".join(out)
    if chart == "skills":
        out = [csv_row(("direction", "skill", "family", "bookings", "hours"))]
        for direction, skills in (("lent", board.skills_lent), ("borrowed", board.skills_borrowed)):
            out += [
                csv_row((direction, s.name, s.family, s.bookings, _hours(s.hours))) for s in skills
            ]
        return "".join(out)
    out = [
        csv_row(
            (
                "council",
                "code",
                "lent_hours",
                "lent_gbp",
                "borrowed_hours",
                "borrowed_gbp",
                "net_gbp",
                "outstanding_net_gbp",
            )
        )
    ]
    out += [
        csv_row(
            (
                p.council.name,
                p.council.code,
                _hours(p.lent_hours),
                _pounds(p.lent_pence),
                _hours(p.borrowed_hours),
                _pounds(p.borrowed_pence),
                _pounds(p.net_pence),
                _pounds(p.outstanding_net_pence),
            )
        )
        for p in board.partners
    ]
    return "".join(out)
