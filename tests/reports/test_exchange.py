from __future__ import annotations

from tests.invoicing.conftest import WEEKS, completed, make_lender


def test_exchange_totals_per_council_pair(client, db, make):
    lender = make_lender(make, db)
    borrower = make.council()
    booker = make.user(borrower, "booker")
    completed(db, lender, booker, WEEKS[1], 60, actual=45)  # 45 min at £45 = 3375p
    completed(db, lender, booker, WEEKS[2], 60, actual=20)  # 20 min at £45 = 1500p
    finance = make.user(borrower, "finance")
    report = client.get(
        "/api/v1/reports/exchange?from=2026-12-01&to=2026-12-31", headers=finance.headers
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert len(body["items"]) == 1
    pair = body["items"][0]
    assert pair["lending_council"]["id"] == str(lender.council.id)
    assert pair["booking_council"]["id"] == str(borrower.id)
    assert (pair["bookings"], pair["hours"], pair["pence"]) == (2, 65 / 60, 4875)
    assert body["total_pence"] == 4875
    stranger = make.user(make.council(), "finance")
    theirs = client.get(
        "/api/v1/reports/exchange?from=2026-12-01&to=2026-12-31", headers=stranger.headers
    ).json()
    assert theirs["items"] == []
    backwards = client.get(
        "/api/v1/reports/exchange?from=2026-12-31&to=2026-12-01", headers=finance.headers
    )
    assert backwards.status_code == 422
