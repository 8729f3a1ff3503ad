"""Invoicing in a real browser against the real server: a month's recharge from run to payment.

The bookings are made through the API (the demo has no completed bookings): Peter, an officer
of West Berkshire, lists 7.5 hours in a week far ahead and Mark, his manager, approves them; Bob
(a booker at Reading, which needs purchase order numbers) books 4 hours and Eilidh (a booker at
Edinburgh) 3.5; Peter confirms both. The server is restarted with a date after the week
(TP_TODAY), and Bob and Eilidh complete their bookings with the hours worked.

Then, in the browser: Fiona, West Berkshire's finance officer, previews the month's recharge (one
draft for Reading, one for Edinburgh), issues Reading's from the run page, downloads it as PDF,
CSV and UBL, and marks it paid; she issues Edinburgh's from its own page and credits an hour of
it. Frank, Reading's finance officer, finds the invoice under the invoices sent to his council
and sees it read only. axe-core checks every page visited; each new page is checked at 320 px.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.support import (
    BOOKER,
    DEMO_PASSWORD,
    MANAGER,
    PETER,
    PageProblems,
    api_sign_in,
    assert_accessible,
    sign_in,
    title,
)
from tests.browser.test_availability import (
    check_narrow,
    first_open_week,
    monday_of,
    nav,
    plus_weeks,
    success_banner,
    switch_user,
    week_label,
)

pytestmark = pytest.mark.browser

FINANCE = "fiona.finance@westberks.example.gov.uk"  # finance at West Berkshire (lends Peter)
CUSTOMER_FINANCE = "frank.finance@reading.example.gov.uk"  # finance at Reading (books him)
SECOND_BOOKER = "eilidh.manager@edinburgh.example.gov.uk"  # a booker at Edinburgh
SECOND_FINANCE = "euan.admin@edinburgh.example.gov.uk"  # council admin and finance, Edinburgh
# Far enough ahead that no other test touches the week or its month: the availability tests
# use the next 14 weeks and the bookings test the week 30 weeks ahead (ten weeks, and so at
# least one calendar month, away from this one).
WEEKS_AHEAD = 40
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
INVOICE_NUMBER = r"WBK-\d{4}-\d{6}"
CHECK_ISSUE = "Check the invoice before you issue it"


# --- the API, for setting up -----------------------------------------------------------------


class Api:
    """One person's signed-in API session (cookie and CSRF token) on the live server."""

    def __init__(self, base_url: str, email: str) -> None:
        self.base = f"{base_url}/api/v1"
        self.http = requests.Session()
        answer = api_sign_in(self.http, self.base, email, DEMO_PASSWORD)
        assert answer.status_code == 200, answer.text
        self.me: dict[str, Any] = answer.json()["user"]
        self.http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def call(
        self, method: str, path: str, body: Any = None, expect_status: int = 200, **kw: Any
    ) -> Any:
        answer = self.http.request(method, f"{self.base}{path}", json=body, timeout=30, **kw)
        assert answer.status_code == expect_status, f"{method} {path}: {answer.text}"
        return answer.json() if answer.content else None


def pounds(pence: int) -> str:
    """12345 → '£123.45', as the SPA shows money."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def day_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def row(page: Page, table: str, text: str) -> Locator:
    """The rows of a table (named by its caption) that contain `text`."""
    return page.get_by_role("table", name=table).locator("tbody tr").filter(has_text=text)


def summary_value(page: Page, key: str) -> Locator:
    """The value of the summary list row whose key is exactly `key`."""
    return page.locator(
        ".govuk-summary-list__row",
        has=page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$")),
    ).locator("dd")


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def previous_month_fields(today: date) -> tuple[str, str]:
    """The month before `today` (the server's, which the SPA follows), as the run page's fields."""
    last = today.replace(day=1) - timedelta(days=1)
    return str(last.month), str(last.year)


# --- the journey -----------------------------------------------------------------------------


def test_finance_runs_a_recharge_issues_downloads_and_is_paid(
    page: Page,
    page_problems: PageProblems,
    live_server: str,
    server_today: Callable[[date], None],
) -> None:
    week = plus_weeks(first_open_week(), WEEKS_AHEAD)
    monday = monday_of(week)
    period = (str(monday.month), str(monday.year))
    month_name = f"{MONTHS[monday.month - 1]} {monday.year}"
    after = monday + timedelta(days=9)  # the Wednesday after the week
    purchase_order = f"PO-{uuid.uuid4().hex[:8].upper()}"

    # Peter lists 7.5 hours; Mark approves them; Bob and Eilidh book them; Peter confirms.
    peter = Api(live_server, PETER)
    listed = peter.call("PUT", f"/officers/me/availability/{week}", {"hours": 7.5})
    Api(live_server, MANAGER).call("POST", f"/availability/{listed['id']}/approve")
    bookings = {}
    for email, hours, extra in (
        (BOOKER, 4, {"purchase_order": purchase_order}),
        (SECOND_BOOKER, 3.5, {}),
    ):
        booked = Api(live_server, email).call(
            "POST",
            "/bookings",
            {
                "officer_id": peter.me["officer_id"],
                "week": week,
                "hours": hours,
                "purpose": "Planning appeals backlog.",
                **extra,
            },
            expect_status=201,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        peter.call("POST", f"/bookings/{booked['id']}/confirm")
        bookings[email] = booked
    rate = bookings[BOOKER]["rate_pence_per_hour"]

    # After the week, Bob and Eilidh complete their bookings with the hours worked.
    server_today(after)
    Api(live_server, BOOKER).call(
        "POST", f"/bookings/{bookings[BOOKER]['id']}/complete", {"actual_hours": 3.75}
    )
    Api(live_server, SECOND_BOOKER).call(
        "POST", f"/bookings/{bookings[SECOND_BOOKER]['id']}/complete", {"actual_hours": 3.5}
    )
    fiona = Api(live_server, FINANCE)
    settings = fiona.call("GET", f"/councils/{fiona.me['council']['id']}/settings")
    assert settings["vat_treatment"] == "standard"
    reading_net = half_up(225 * rate, 60)
    reading_vat = half_up(reading_net * settings["vat_rate_bps"], 10_000)
    edinburgh_net = half_up(210 * bookings[SECOND_BOOKER]["rate_pence_per_hour"], 60)
    edinburgh_vat = half_up(edinburgh_net * settings["vat_rate_bps"], 10_000)
    due = after + timedelta(days=settings["payment_terms_days"])

    # Fiona finds Invoices in the navigation.
    sign_in(page, FINANCE)
    expect(page.locator(".tp-card").get_by_role("link", name="Invoices")).to_be_visible()
    nav(page, "Invoices")
    expect(page).to_have_title(title("Invoices"))
    assert_accessible(page, "the invoices page")
    check_narrow(page, "the invoices page")

    # The recharge run: last month by the server's clock (TP_TODAY, weeks ahead of the browser's)
    # is offered; the month is checked in the page first.
    page.get_by_role("button", name="Run a month's recharge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recharge run")
    expect(page).to_have_title(title("Recharge run"))
    last_month, last_year = previous_month_fields(after)
    expect(page.get_by_label("Month", exact=True)).to_have_value(last_month)
    expect(page.get_by_label("Year", exact=True)).to_have_value(last_year)
    assert_accessible(page, "the recharge run page")
    check_narrow(page, "the recharge run page")
    page.get_by_label("Month", exact=True).fill("")
    page.get_by_role("button", name="Preview drafts").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="The month must include a month")).to_have_attribute(
        "href", "#period-month"
    )
    expect(page).to_have_title(title("Error: Recharge run"))
    assert_accessible(page, "the recharge run page with an error")

    page.get_by_label("Month", exact=True).fill(period[0])
    page.get_by_label("Year", exact=True).fill(period[1])
    page.get_by_role("button", name="Preview drafts").click()
    caption = f"Invoices for {month_name}"
    drafts = page.get_by_role("table", name=caption)
    expect(drafts.locator("tbody tr")).to_have_count(2)
    to_reading = row(page, caption, "Reading Borough Council")
    expect(to_reading.locator("td")).to_have_text(
        [
            "Reading Borough Council",
            "1",
            pounds(reading_net),
            pounds(reading_vat),
            pounds(reading_net + reading_vat),
            re.compile("Issue"),
        ]
    )
    to_edinburgh = row(page, caption, "City of Edinburgh Council")
    expect(to_edinburgh.locator("td").nth(4)).to_have_text(pounds(edinburgh_net + edinburgh_vat))
    expect(page.get_by_role("button", name="Issue all 2 drafts")).to_be_visible()
    assert_accessible(page, "the recharge run's drafts")
    check_narrow(page, "the recharge run's drafts")

    # Previewing again rebuilds the drafts: still two, with new ids. Waiting for the new link
    # keeps the click off the old table (its draft no longer exists).
    issue_reading = to_reading.get_by_role(
        "link", name="Issue the invoice to Reading Borough Council"
    )
    old_href = issue_reading.get_attribute("href")
    page.get_by_role("button", name="Preview drafts").click()
    expect(issue_reading).not_to_have_attribute("href", old_href or "")
    expect(drafts.locator("tbody tr")).to_have_count(2)

    # Fiona issues Reading's invoice from the run page, after a page that checks it.
    issue_reading.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK_ISSUE)
    expect(page.locator("#next-number")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(pounds(reading_net + reading_vat))
    expect(page.locator(".govuk-warning-text")).to_contain_text("can never be changed")
    assert_accessible(page, "the page that checks an invoice before issuing it")
    check_narrow(page, "the page that checks an invoice before issuing it")
    page.get_by_role("button", name=re.compile("^Issue invoice")).click()
    expect(page).to_have_url(re.compile(r"/invoices/run\?period=\d{4}-\d{2}$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text(
        re.compile(rf"^Invoice {INVOICE_NUMBER} issued to Reading Borough Council$")
    )
    expect(banner).to_be_focused()
    heading = banner.locator(".govuk-notification-banner__heading").text_content() or ""
    number = re.search(INVOICE_NUMBER, heading).group(0)  # type: ignore[union-attr]
    assert number.startswith(f"WBK-{after.year}-")
    expect(to_reading.locator("td").last).to_have_text(f"Issued {number}")
    expect(page.get_by_role("button", name=re.compile("^Issue all"))).to_have_count(0)
    expect(to_edinburgh.get_by_role("link", name=re.compile("^Issue"))).to_be_visible()
    assert_accessible(page, "the recharge run after issuing")

    # Its page: who, when, the lines and the totals.
    to_reading.get_by_role("link", name="Reading Borough Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {number}")
    expect(page).to_have_title(title(f"Invoice {number}"))
    expect(summary_value(page, "Status")).to_have_text("Issued")
    expect(summary_value(page, "To")).to_contain_text("Reading Borough Council")
    expect(summary_value(page, "Period")).to_have_text(month_name)
    expect(summary_value(page, "Issue date")).to_have_text(day_text(after))
    expect(summary_value(page, "Due date")).to_have_text(day_text(due))
    lines = page.get_by_role("table", name="Lines")
    expect(lines.locator("tbody tr td")).to_have_text(
        [
            "Peter Price",
            week_label(week),
            purchase_order,
            "3.75 hours",
            f"{pounds(rate)} per hour",
            pounds(reading_net),
        ]
    )
    expect(summary_value(page, "Net")).to_have_text(pounds(reading_net))
    expect(summary_value(page, "VAT at 20%")).to_have_text(pounds(reading_vat))
    expect(summary_value(page, "Gross")).to_have_text(pounds(reading_net + reading_vat))
    assert_accessible(page, "an issued invoice")
    check_narrow(page, "an issued invoice")

    # The three documents.
    pdf = download(page, page.get_by_role("link", name=f"PDF of {number}"))
    assert pdf.startswith(b"%PDF-")
    # A VAT invoice that says how and when to pay (issue 8): the demo's bank details.
    printed = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for words in ("VAT invoice", "Tax point", "How to pay", "Sort code 30-99-50",
                  "Account number 12345678", f"Payment reference {number}", "Due date"):
        assert words in printed, words  # fmt: skip
    csv = download(page, page.get_by_role("link", name=f"CSV of {number}"))
    assert csv.lstrip(b"\xef\xbb\xbf").startswith(b"document_type,document_number,"), csv[:80]
    assert number.encode() in csv and purchase_order.encode() in csv
    ubl = download(page, page.get_by_role("link", name=re.compile(f"^UBL .* of {number}$")))
    assert ubl.startswith(b"<?xml"), ubl[:80]
    assert number.encode() in ubl
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {number}")

    # Marked as paid: the form is checked first.
    page.get_by_role("button", name="Mark as paid").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the payment reference")).to_have_attribute(
        "href", "#reference"
    )
    expect(summary.get_by_role("link", name="Enter the date paid")).to_have_attribute(
        "href", "#paid-on-day"
    )
    expect(page).to_have_title(title(f"Error: Invoice {number}"))
    assert_accessible(page, "the mark as paid form with errors")
    page.get_by_label("Payment reference").fill("BACS 20270915")
    page.locator("#paid-on-day").fill(str(after.day))
    page.locator("#paid-on-month").fill(str(after.month))
    page.locator("#paid-on-year").fill(str(after.year))
    page.get_by_role("button", name="Mark as paid").click()
    success_banner(page, f"Invoice {number} marked as paid")
    expect(summary_value(page, "Status")).to_have_text("Paid")
    expect(summary_value(page, "Paid on")).to_have_text(day_text(after))
    expect(summary_value(page, "Payment reference")).to_have_text("BACS 20270915")
    expect(page.locator("#paid-form")).to_have_count(0)
    assert_accessible(page, "a paid invoice")

    # Edinburgh's draft, from the invoices page: issued from its own page, then an hour credited.
    page.get_by_role("link", name="Back to invoices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoices")
    sent = page.get_by_role("table", name="Invoices to other councils")
    expect(sent.locator("tbody tr").filter(has_text=number)).to_contain_text("Paid")
    sent.get_by_role("link", name=f"Draft invoice, City of Edinburgh Council, {month_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft invoice")
    expect(summary_value(page, "Number")).to_have_text("Not issued yet")
    expect(page.get_by_role("link", name=re.compile("^PDF"))).to_have_count(0)
    assert_accessible(page, "a draft invoice")
    check_narrow(page, "a draft invoice")
    page.get_by_role("button", name="Issue invoice").click()  # a link to the page that checks
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK_ISSUE)
    page.get_by_role("button", name=re.compile("^Issue invoice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"^Invoice {INVOICE_NUMBER}$")
    )
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text(
        re.compile(rf"^Invoice {INVOICE_NUMBER} issued to City of Edinburgh Council$")
    )
    expect(banner).to_be_focused()
    expect(summary_value(page, "Status")).to_have_text("Issued")

    page.get_by_label("Reason for the credit note").fill("One hour was spent on our own work.")
    page.get_by_label(f"Peter Price, {week_label(week)}").fill("1")
    page.get_by_role("button", name="Issue credit note").click()
    credit_net = half_up(60 * bookings[SECOND_BOOKER]["rate_pence_per_hour"], 60)
    credit_gross = credit_net + half_up(credit_net * settings["vat_rate_bps"], 10_000)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text(
        re.compile(
            rf"^Credit note WBK-CN-\d{{4}}-\d{{6}} issued for {re.escape(pounds(credit_gross))}$"
        )
    )
    expect(banner).to_be_focused()
    notes = page.get_by_role("table", name="Credit notes")
    expect(notes.locator("tbody tr")).to_have_count(1)
    expect(notes).to_contain_text("One hour was spent on our own work.")
    expect(summary_value(page, "Credited")).to_have_text(pounds(credit_gross))
    expect(summary_value(page, "Status")).to_have_text("Issued")
    assert_accessible(page, "an invoice with a credit note")
    check_narrow(page, "an invoice with a credit note")

    # The exports for the ledger (what was issued that day) and payroll (the month's hours).
    nav(page, "Invoices")
    page.get_by_label("Invoices", exact=True).select_option(label="Sent to other councils")
    for part in ("from", "to"):
        page.locator(f"#ledger-{part}-day").fill(str(after.day))
        page.locator(f"#ledger-{part}-month").fill(str(after.month))
        page.locator(f"#ledger-{part}-year").fill(str(after.year))
    ledger = download(page, page.get_by_role("button", name="Download ledger CSV"))
    header = ledger.lstrip(b"\xef\xbb\xbf").split(b"\r\n", 1)[0]
    assert b"document_number" in header, ledger[:200]
    assert number.encode() in ledger and b"credit_note" in ledger
    page.locator("#payroll-month").fill(period[0])
    page.locator("#payroll-year").fill(period[1])
    payroll = download(page, page.get_by_role("button", name="Download payroll CSV"))
    assert payroll.lstrip(b"\xef\xbb\xbf").startswith(b"record_type,"), payroll[:200]
    assert b"Peter Price" in payroll
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoices")
    assert_accessible(page, "the invoices page after the exports")

    # Frank, Reading's finance officer, sees the invoice among those sent to his council.
    switch_user(page, CUSTOMER_FINANCE)
    nav(page, "Invoices")
    received = page.get_by_role("table", name="Invoices from other councils")
    mine = received.locator("tbody tr").filter(has_text=number)
    expect(mine.locator("td")).to_have_text(
        [
            re.compile(f"^{number}"),
            "West Berkshire Council",
            month_name,
            pounds(reading_net + reading_vat),
            "Paid",
            day_text(due),
        ]
    )
    assert_accessible(page, "the invoices page of the council that pays")
    mine.get_by_role("link", name=re.compile(f"^{number}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {number}")
    expect(page.locator(".govuk-caption-l")).to_have_text("From West Berkshire Council")
    expect(summary_value(page, "Status")).to_have_text("Paid")
    main = page.get_by_role("main")
    expect(main.get_by_role("button")).to_have_count(0)
    expect(page.locator("#paid-form, #credit-form, #issue-form")).to_have_count(0)
    pdf = download(page, page.get_by_role("link", name=f"PDF of {number}"))
    assert pdf.startswith(b"%PDF-")
    # A VAT invoice that says how and when to pay (issue 8): the demo's bank details.
    printed = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for words in ("VAT invoice", "Tax point", "How to pay", "Sort code 30-99-50",
                  "Account number 12345678", f"Payment reference {number}", "Due date"):
        assert words in printed, words  # fmt: skip
    assert_accessible(page, "an invoice as the council that pays sees it")
    check_narrow(page, "an invoice as the council that pays sees it")

    # Edinburgh still owes part of theirs: card payment is offered, but West Berkshire does not
    # take cards (Stripe is not enabled in the demo), and the page says so.
    switch_user(page, SECOND_FINANCE)
    nav(page, "Invoices")
    page.get_by_role("table", name="Invoices from other councils").get_by_role(
        "link", name=re.compile(f"^{INVOICE_NUMBER} invoice, West Berkshire Council")
    ).first.click()
    expect(page.locator("#paid-form, #credit-form")).to_have_count(0)
    assert_accessible(page, "an invoice still to pay")
    page.get_by_role("button", name="Pay by card").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Card payment is not available for this invoice")
    assert_accessible(page, "an invoice still to pay, without card payments")
    assert page_problems.items == []
