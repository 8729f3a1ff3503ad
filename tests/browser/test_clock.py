"""The SPA goes by the server's clock, not the browser's: with TP_TODAY weeks away from the real
date, the weeks offered, the bookings that have started (and so can be completed) and the
finance defaults all follow the server.

Samira (an officer of West Berkshire in the demo, with approved hours in the coming weeks) is
booked by Bob for a week four weeks ahead; the server is then restarted two days into that week
while the browser's clock stays on the real date.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import BOOKER, PageProblems, assert_accessible, sign_in
from tests.browser.test_availability import (
    check_narrow,
    iso_week,
    monday_of,
    nav,
    plus_weeks,
    success_banner,
    switch_user,
    week_label,
)
from tests.browser.test_invoices import FINANCE, Api, row

pytestmark = pytest.mark.browser

SAMIRA = "sam.surveyor@westberks.example.gov.uk"
PETER = "peter.planner@westberks.example.gov.uk"
WEEKS_AHEAD = 4  # Samira's demo hours run eight weeks ahead; this week of them is free


def test_the_spa_follows_the_servers_clock_weeks_from_the_real_date(
    page: Page,
    page_problems: PageProblems,
    live_server: str,
    server_today: Callable[[date], None],
) -> None:
    week = plus_weeks(iso_week(date.today()), WEEKS_AHEAD)
    samira = Api(live_server, SAMIRA)
    bob = Api(live_server, BOOKER)
    booked = bob.call(
        "POST",
        "/bookings",
        {
            "officer_id": samira.me["officer_id"],
            "week": week,
            "hours": 2,
            "purpose": "Structural survey of the civic centre.",
            "purchase_order": f"PO-{uuid.uuid4().hex[:6].upper()}",
        },
        expect_status=201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    samira.call("POST", f"/bookings/{booked['id']}/confirm")

    # The server's today: the Wednesday of that week, four weeks after the browser's.
    today = monday_of(week) + timedelta(days=2)
    server_today(today)
    next_week = plus_weeks(week, 1)

    # Bob: the booking's week has started by the server's clock, so it waits for its hours
    # and can be completed now.
    sign_in(page, BOOKER)
    assert page.request.get("/api/v1/me").json()["current_week"] == week
    nav(page, "Bookings")
    awaiting = row(page, "Awaiting hours", week_label(week)).filter(has_text="Samira Shah")
    expect(awaiting).to_have_count(1)
    expect(awaiting).to_contain_text("No hours reported yet")
    check_narrow(page, "the booker's bookings on the server's clock")
    awaiting.get_by_role("link", name=re.compile("^Complete")).click()
    expect(page.get_by_role("heading", name="Complete the booking")).to_be_visible()
    page.get_by_label("Hours worked").fill("2")
    page.get_by_role("button", name="Complete booking").click()
    success_banner(page, "Booking completed")
    assert_accessible(page, "a booking completed on the server's clock")

    # Find expertise offers the weeks from the server's next week, not the browser's.
    nav(page, "Find expertise")
    first = page.get_by_label("First week").locator("option").nth(1)
    expect(first).to_have_attribute("value", next_week)
    expect(first).to_have_text(week_label(next_week))

    # An officer lists hours from the server's next week.
    switch_user(page, PETER)
    nav(page, "Your availability")
    expect(page.get_by_label("First week")).to_have_value(next_week)
    weeks = page.get_by_role("table", name="Your weeks")
    expect(weeks.locator("tbody tr").first).to_contain_text(week_label(week))
    expect(weeks.locator("tbody tr").first).to_contain_text("Started")

    # Finance: last month and the ledger's dates by the server's today.
    switch_user(page, FINANCE)
    nav(page, "Invoices")
    last = today.replace(day=1) - timedelta(days=1)
    expect(page.locator("#ledger-from-day")).to_have_value("1")
    expect(page.locator("#ledger-from-month")).to_have_value(str(last.month))
    expect(page.locator("#ledger-to-day")).to_have_value(str(today.day))
    expect(page.locator("#ledger-to-month")).to_have_value(str(today.month))
    expect(page.locator("#ledger-to-year")).to_have_value(str(today.year))
    expect(page.locator("#payroll-month")).to_have_value(str(last.month))
    page.get_by_role("button", name="Run a month's recharge").click()
    expect(page.get_by_label("Month", exact=True)).to_have_value(str(last.month))
    expect(page.get_by_label("Year", exact=True)).to_have_value(str(last.year))
    assert page_problems.items == []
