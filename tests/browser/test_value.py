"""Value in a real browser: two councils that lent to each other see the same balance from
opposite sides on their dashboards, settle it with one payment, and both see their invoices paid.

Set up through the API, as test_invoices.py does: Hannah (a Reading officer) lists hours in a week
far ahead and Rachel approves them; Ewan (Edinburgh) likewise with Eilidh. Eilidh (Edinburgh)
books 3 hours of Hannah's; Bob (Reading) books 2 of Ewan's; both are confirmed. The server moves
past the week (TP_TODAY), the bookings are completed, and each council's finance team runs the
month's recharge and issues its invoice.

Then, in the browser: Euan (Edinburgh's admin and finance) and Frank (Reading's finance) open
their dashboards and see the same unpaid balance from opposite sides; the payer records one
payment on the month's settlement statement; the payee confirms it; both see their invoices
paid. The public "Pool statistics" page loads without signing in. axe-core checks every page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import BOOKER, PageProblems, assert_accessible, sign_in
from tests.browser.test_availability import (
    check_narrow,
    first_open_week,
    monday_of,
    nav,
    plus_weeks,
    success_banner,
)
from tests.browser.test_invoices import Api, pounds

pytestmark = pytest.mark.browser

HANNAH = "hannah.highways@reading.example.gov.uk"
RACHEL = "rachel.manager@reading.example.gov.uk"
FRANK = "frank.finance@reading.example.gov.uk"
EWAN = "ewan.officer@edinburgh.example.gov.uk"
EILIDH = "eilidh.manager@edinburgh.example.gov.uk"  # Edinburgh's manager and booker
EUAN = "euan.admin@edinburgh.example.gov.uk"  # Edinburgh's council admin and finance
# Further ahead than the other browser journeys (30 and 40 weeks), in a month of its own.
WEEKS_AHEAD = 48


def _listed_and_booked(live_server: str, week: str) -> dict[str, dict]:
    booked = {}
    for officer, manager, booker, hours, extra in (
        (HANNAH, RACHEL, EILIDH, 3, {}),
        (EWAN, EILIDH, BOOKER, 2, {"purchase_order": f"PO-{uuid.uuid4().hex[:6].upper()}"}),
    ):
        who = Api(live_server, officer)
        listed = who.call("PUT", f"/officers/me/availability/{week}", {"hours": 4})
        if listed["status"] != "approved":
            Api(live_server, manager).call("POST", f"/availability/{listed['id']}/approve")
        booking = Api(live_server, booker).call(
            "POST", "/bookings",
            {"officer_id": who.me["officer_id"], "week": week, "hours": hours,
             "purpose": "Cover while recruiting.", **extra},
            expect_status=201, headers={"Idempotency-Key": str(uuid.uuid4())},
        )  # fmt: skip
        who.call("POST", f"/bookings/{booking['id']}/confirm")
        booked[booker] = booking
    return booked


class TwoPeople:
    """Euan and Frank each sign in once and keep their session, as two people at two councils
    would: a code from the authenticator works once, so signing in again within the same 30
    seconds waits for a fresh one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cookies: dict[str, list] = {}
        self.current: str | None = None

    def be(self, email: str) -> None:
        if email == self.current:
            return
        context = self.page.context
        if self.current is not None:
            self.cookies[self.current] = context.cookies()
        context.clear_cookies()
        if email in self.cookies:
            context.add_cookies(self.cookies[email])
            self.page.goto("/")
            expect(self.page.locator("#signed-in-as")).to_be_visible()
        else:
            sign_in(self.page, email)
        self.current = email


def _invoiced(live_server: str, finance: str, period: str) -> dict:
    api = Api(live_server, finance)
    [draft] = api.call("POST", "/invoice-runs", {"period": period}, expect_status=201)["invoices"]
    return api.call("POST", f"/invoices/{draft['id']}/issue")


def test_two_councils_see_one_balance_settle_it_once_and_both_see_invoices_paid(
    page: Page,
    page_problems: PageProblems,
    live_server: str,
    server_today: Callable[[date], None],
) -> None:
    week = plus_weeks(first_open_week(), WEEKS_AHEAD)
    monday = monday_of(week)
    period = f"{monday:%Y-%m}"
    booked = _listed_and_booked(live_server, week)
    after = monday + timedelta(days=9)
    server_today(after)
    Api(live_server, EILIDH).call(
        "POST", f"/bookings/{booked[EILIDH]['id']}/complete", {"actual_hours": 3}
    )
    Api(live_server, BOOKER).call(
        "POST", f"/bookings/{booked[BOOKER]['id']}/complete", {"actual_hours": 2}
    )
    reading = _invoiced(live_server, FRANK, period)  # Reading lent Hannah to Edinburgh
    edinburgh = _invoiced(live_server, EUAN, period)  # Edinburgh lent Ewan to Reading
    net = reading["gross_pence"] - edinburgh["gross_pence"]  # > 0: Edinburgh pays Reading
    payer, payee = (EUAN, FRANK) if net > 0 else (FRANK, EUAN)
    amount = pounds(abs(net))

    # Both dashboards: the same unpaid balance, from opposite sides.
    people = TwoPeople(page)
    people.be(EUAN)
    nav(page, "Dashboard")
    assert_accessible(page, "the dashboard")
    partners = page.get_by_role("table", name="Partner councils")
    edinburgh_sees = "You owe them" if net > 0 else "They owe you"
    expect(partners.locator("tbody tr").filter(has_text="Reading")).to_contain_text(
        f"{edinburgh_sees} {amount}"
    )
    expect(page.locator("svg[role=img]").first).to_be_visible()
    check_narrow(page, "the dashboard")
    people.be(FRANK)
    nav(page, "Dashboard")
    reading_sees = "They owe you" if net > 0 else "You owe them"
    expect(
        page.get_by_role("table", name="Partner councils").locator("tbody tr").filter(
            has_text="Edinburgh")
    ).to_contain_text(f"{reading_sees} {amount}")

    # The payer records one payment on the month's statement.
    people.be(payer)
    nav(page, "Settlements")
    page.get_by_label("Month").select_option(period)
    page.get_by_role("button", name="Show statements").click()
    page.get_by_role("link", name="SET-").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SET-")
    assert_accessible(page, "the settlement statement")
    check_narrow(page, "the settlement statement")
    page.get_by_label("Payment reference").fill("BACS 20271")
    page.get_by_label("Day").fill(str(after.day))
    page.get_by_label("Month", exact=True).fill(str(after.month))
    page.get_by_label("Year").fill(str(after.year))
    page.get_by_role("button", name="Record payment").click()
    success_banner(page, "Payment recorded")
    statement_path = page.url

    # The payee confirms; every invoice it covers is paid, for both councils.
    people.be(payee)
    page.goto(statement_path)
    page.get_by_role("button", name="Confirm payment received").click()
    success_banner(page, "Settled")
    assert_accessible(page, "the settled statement")
    for who, invoice in ((payee, reading), (payee, edinburgh), (payer, reading)):
        people.be(who)
        page.goto(f"/invoices/{invoice['id']}")
        expect(page.locator("main")).to_contain_text("Paid on")
    nav(page, "Dashboard")
    expect(
        page.get_by_role("table", name="Partner councils").locator("tbody tr").filter(
            has_text="Reading" if payer == EUAN else "Edinburgh")
    ).to_contain_text("Nothing owed")

    # The pool's statistics, without signing in.
    page.context.clear_cookies()
    page.goto("/pool-statistics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pool statistics")
    assert_accessible(page, "the pool statistics page")
    check_narrow(page, "the pool statistics page")
    assert page.request.get("/api/v1/open-data/monthly.csv").ok
