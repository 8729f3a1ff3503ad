from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import clock
from app.reports import opendata
from tests.reports.conftest import DEC_WEEK, DEC_WEEK_2, NOV_WEEK, complete, make_side

# The files cover every council, so these tests use months no other test books in (tests that
# really commit leave their bookings in the worker's database).
YEARS = 6
YEAR = 2026 + YEARS


@pytest.fixture(autouse=True)
def _january():
    with clock.travel_to(date(YEAR + 1, 1, 10)):
        yield


@pytest.fixture
def pool(make, db):
    """West lends East five 1-hour bookings in December (data analyst), East lends West four
    (town planning) in December and one in November (its Monday is 30 November)."""
    west = make_side(make, db, "data-analyst", YEARS, nation="Wales", region="Wales")
    east = make_side(make, db, "town-planning", YEARS)
    for week in (DEC_WEEK, DEC_WEEK, DEC_WEEK, DEC_WEEK_2, DEC_WEEK_2):
        complete(db, west, east, week, 60, years=YEARS)
    for week in (DEC_WEEK, DEC_WEEK, DEC_WEEK_2, DEC_WEEK_2):
        complete(db, east, west, week, 45, years=YEARS)
    complete(db, east, west, NOV_WEEK, 60, years=YEARS)
    return west, east


def _rows(body, month):
    return {(r["dimension"], r["value"]): r for r in body["rows"] if r["month"] == month}


def test_monthly_figures_without_signing_in_with_suppression_below_five(client, pool):
    response = client.get("/api/v1/open-data/monthly.json")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["licence"] == "Open Government Licence v3.0"
    assert body["months"][0] == f"{YEAR}-01" and body["months"][-1] == f"{YEAR}-12"
    dec = _rows(body, f"{YEAR}-12")
    everything = dec[("all", "All bookings")]
    assert (everything["bookings"], everything["hours"]) == (9, 8.0)
    assert (everything["councils_lending"], everything["councils_borrowing"]) == (2, 2)
    data = dec[("skill_family", "Digital: data")]
    assert (data["bookings"], data["hours"], data["councils_lending"]) == (5, 5.0, 1)
    assert dec[("nation", "Wales")]["bookings"] == 5
    # Four bookings: every figure of the row is suppressed.
    planning = dec[("skill_family", "Planning and building")]
    assert all(
        planning[k] is None
        for k in (
            "bookings",
            "hours",
            "estimated_savings_gbp",
            "councils_lending",
            "councils_borrowing",
        )
    )
    assert dec[("nation", "England")]["bookings"] is None
    nov = _rows(body, f"{YEAR}-11")
    assert nov[("all", "All bookings")]["bookings"] is None  # one booking, suppressed
    assert "Test Council" not in response.text  # no council is ever named


def test_csv_and_dictionary_and_caching(client, pool):
    response = client.get("/api/v1/open-data/monthly.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "max-age" in response.headers["cache-control"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    planning = next(
        r for r in rows if r["month"] == f"{YEAR}-12" and r["value"] == "Planning and building"
    )
    assert planning["bookings"] == planning["hours"] == "[c]"
    for row in rows:
        assert row["bookings"] == "[c]" or int(row["bookings"]) >= 5
    etag = response.headers["etag"]
    again = client.get("/api/v1/open-data/monthly.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304
    dictionary = client.get("/api/v1/open-data/dictionary.json").json()
    assert dictionary["licence"] == "Open Government Licence v3.0"
    assert set(dictionary["columns"]) >= {"month", "bookings", "estimated_savings_gbp"}


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=100_000))
def test_a_row_under_five_bookings_never_shows_a_figure(bookings, minutes):
    group = opendata._Group(bookings=bookings, minutes=minutes, lenders={1}, borrowers={2})
    row = opendata._row("2026-12", "all", "All bookings", group)
    figures = (row.bookings, row.hours, row.estimated_savings_gbp, row.hours_with_market_rate,
               row.councils_lending, row.councils_borrowing)
    if bookings < opendata.THRESHOLD:
        assert figures == (None,) * 6
    else:
        assert row.bookings == bookings and None not in figures
