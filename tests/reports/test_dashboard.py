from __future__ import annotations

from datetime import date

import pytest

from app.core import clock


@pytest.fixture(autouse=True)
def _january():
    with clock.travel_to(date(2027, 1, 8)):
        yield


def _month(body, key):
    return next(m for m in body["months"] if m["month"] == key)


def test_dashboard_figures_by_mondays_month_net_of_credit_notes(client, exchange):
    west = client.get("/api/v1/dashboard?months=3", headers=exchange.west.finance.headers)
    assert west.status_code == 200, west.text
    body = west.json()
    assert [m["month"] for m in body["months"]] == ["2026-11", "2026-12", "2027-01"]
    nov, dec, jan = (_month(body, k) for k in ("2026-11", "2026-12", "2027-01"))
    # W49's Monday is 30 November: November's, though most of its days are December's.
    assert (nov["lent_bookings"], nov["lent_hours"], nov["lent_pence"]) == (1, 1.0, 4500)
    # W50 45 min (3375p) + W51 60 min less 15 credited (4500 - 1125 = 3375p).
    assert (dec["lent_bookings"], dec["lent_hours"], dec["lent_pence"]) == (2, 1.5, 6750)
    assert (dec["borrowed_bookings"], dec["borrowed_hours"], dec["borrowed_pence"]) == (
        1,
        2.0,
        9000,
    )
    assert jan["lent_pence"] == jan["borrowed_pence"] == 0
    [partner] = body["partners"]
    assert partner["council"]["id"] == str(exchange.east.council.id)
    assert (partner["lent_pence"], partner["borrowed_pence"], partner["net_pence"]) == (
        11250,
        9000,
        2250,
    )
    # Unpaid invoices: West's 9450 less 1350 credited, against East's 10800.
    assert partner["outstanding_net_pence"] == -2700
    assert body["skills_lent"][0]["slug"] == "data-analyst"
    assert body["skills_borrowed"][0]["slug"] == "town-planning"
    # No market figure is known: no savings are shown.
    assert body["borrowed_savings_pence"] == 0 and body["savings_sources"] == []

    east = client.get("/api/v1/dashboard?months=3", headers=exchange.east.finance.headers).json()
    assert east["partners"][0]["outstanding_net_pence"] == 2700
    assert east["partners"][0]["net_pence"] == -2250


def test_savings_against_a_sourced_market_rate(client, make, exchange):
    admin = make.user(make.council(), platform_admin=True)
    put = client.put(
        "/api/v1/market-rates/Digital: data",
        json={
            "day_rate_pence": 44400,
            "source": "Test figure: a council's published rate",
            "as_of": "2026-06-01",
        },
        headers=admin.headers,
    )
    assert put.status_code == 200, put.text
    assert put.json()["hours_per_day"] == 7.4
    body = client.get("/api/v1/dashboard?months=3", headers=exchange.east.finance.headers).json()
    # £444 a day of 7.4 h is £60 an hour: 60 min 6000 - 4500; 45 min 4500 - 3375 (twice).
    assert _month(body, "2026-11")["borrowed_savings_pence"] == 1500
    assert _month(body, "2026-12")["borrowed_savings_pence"] == 2250
    assert body["borrowed_savings_pence"] == 3750
    assert body["savings_sources"][0]["source"] == "Test figure: a council's published rate"
    west = client.get("/api/v1/dashboard?months=3", headers=exchange.west.finance.headers).json()
    assert west["lent_savings_pence"] == 3750 and west["borrowed_savings_pence"] == 0
    saved = client.get(
        f"/api/v1/bookings/{exchange.bookings['w51'].id}/savings",
        headers=exchange.east.booker.headers,
    ).json()
    assert (saved["recharge_pence"], saved["market_cost_pence"], saved["savings_pence"]) == (
        3375,
        4500,
        1125,
    )
    assert "estimate" in saved["label"].lower()
    report = client.get(
        "/api/v1/reports/exchange?from=2026-11-01&to=2026-12-31",
        headers=exchange.east.finance.headers,
    ).json()
    assert report["estimated_savings_pence"] == 3750
    [pair] = report["pairs"]
    net_for_west = (
        pair["net_pence"]
        if pair["council_a"]["id"] == str(exchange.west.council.id)
        else -pair["net_pence"]
    )
    assert net_for_west == 4500 + 6750 - 9000


def test_market_rates_are_edited_by_platform_admins_with_history(client, make, exchange):
    rates = client.get("/api/v1/market-rates", headers=exchange.west.finance.headers).json()
    assert rates["items"] and all(r["day_rate_pence"] is None for r in rates["items"])
    assert all(r["source"] for r in rates["items"])
    body = {"day_rate_pence": 50000, "source": "Somewhere", "as_of": "2026-06-01"}
    denied = client.put(
        "/api/v1/market-rates/Digital: data", json=body, headers=exchange.west.finance.headers
    )
    assert denied.status_code == 403
    admin = make.user(make.council(), platform_admin=True)
    first = client.put("/api/v1/market-rates/Digital: data", json=body, headers=admin.headers)
    again = client.put(
        "/api/v1/market-rates/Digital: data",
        json={
            **body,
            "day_rate_pence": None,
            "as_of": None,
            "source": "Withdrawn: the source was out of date",
        },
        headers=admin.headers,
    )
    assert again.status_code == 200 and again.json()["day_rate_pence"] is None
    history = client.get(
        f"/api/v1/market-rates/{first.json()['id']}/history", headers=admin.headers
    ).json()
    assert [h["day_rate_pence"] for h in history] == [None, 50000]
    undated = client.put(
        "/api/v1/market-rates/Digital: data",
        json={"day_rate_pence": 1, "source": "No date"},
        headers=admin.headers,
    )
    assert undated.status_code == 422
    unknown = client.put("/api/v1/market-rates/Astrology", json=body, headers=admin.headers)
    assert unknown.status_code == 404
    skill = client.put(
        "/api/v1/market-rates/Digital: data?skill=data-analyst",
        json={**body, "hours_per_day": 7.5},
        headers=admin.headers,
    )
    assert skill.status_code == 200 and skill.json()["hours_per_day"] == 7.5
    wrong = client.put(
        "/api/v1/market-rates/Digital: data?skill=town-planning", json=body, headers=admin.headers
    )
    assert wrong.status_code == 422


def test_dashboard_csvs_and_who_may_see_it(client, make, exchange):
    for chart in ("months", "skills", "partners"):
        csv = client.get(
            f"/api/v1/dashboard/{chart}.csv?months=3", headers=exchange.west.finance.headers
        )
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    partners = client.get(
        "/api/v1/dashboard/partners.csv?months=3", headers=exchange.west.finance.headers
    ).text
    assert "112.50" in partners and "-27.00" in partners
    assert client.get("/api/v1/dashboard", headers=exchange.west.booker.headers).status_code == 403
    assert client.get("/api/v1/dashboard", headers=exchange.west.manager.headers).status_code == 200
    assert (
        client.get("/api/v1/dashboard?months=0", headers=exchange.west.finance.headers).status_code
        == 422
    )
    assert (
        client.get("/api/v1/dashboard/nope.csv", headers=exchange.west.finance.headers).status_code
        == 422
    )
    stranger = make.user(make.council(), "booker")
    savings = client.get(
        f"/api/v1/bookings/{exchange.bookings['w51'].id}/savings", headers=stranger.headers
    )
    assert savings.status_code == 404
