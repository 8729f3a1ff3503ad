"""Bookings in a real browser against the real server, through a booking's whole life.

Peter (an officer of West Berkshire) lists 7.5 hours in a week far ahead and Mark, his manager,
approves them (set up through the API, with the page's own session). Then, in the browser:
Bob, a booker at Reading, finds the week and books 6 hours (Reading requires a purchase order
number, so first he is refused without one); Eilidh, a booker at Edinburgh who opened the same
form before Bob sent his, asks for 4 and is told plainly that someone else has just booked those
hours, then books the 1.5 hours left; Peter confirms Bob's booking and gets his calendar
address; Mark declines Eilidh's. The server is restarted with a later date (TP_TODAY) twice:
two days before the week, when Eilidh's new booking is cancelled late; and after the week,
when Peter reports the hours he worked and Bob completes the booking. axe-core checks every
page visited; each new page is checked at 320 px wide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.support import (
    BOOKER,
    MANAGER,
    PETER,
    PageProblems,
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

# A booker at a third council (Edinburgh, which needs no purchase order number).
SECOND_BOOKER = "eilidh.manager@edinburgh.example.gov.uk"
# Far enough ahead that the other tests (the next 14 weeks) never touch it.
WEEKS_AHEAD = 30


def csrf(page: Page) -> dict[str, str]:
    """The CSRF header for API calls made with the page's own session cookie."""
    token = page.request.get("/api/v1/me").json()["csrf_token"]
    return {"X-CSRF-Token": token}


def list_and_approve(page: Page, week: str, hours: float) -> str:
    """Peter lists `hours` in `week` and Mark approves them; returns Peter's officer id."""
    sign_in(page, PETER)
    officer_id = page.request.get("/api/v1/me").json()["officer_id"]
    listed = page.request.put(
        f"/api/v1/officers/me/availability/{week}",
        data={"hours": hours, "single_booking": False},
        headers=csrf(page),
    )
    assert listed.ok, listed.text()
    availability_id = listed.json()["id"]
    switch_user(page, MANAGER)
    approved = page.request.post(
        f"/api/v1/availability/{availability_id}/approve", headers=csrf(page)
    )
    assert approved.ok, approved.text()
    assert approved.json()["approved_hours"] == hours
    return str(officer_id)


def row(page: Page, table: str, text: str) -> Locator:
    """The rows of a table (named by its caption) that contain `text`."""
    return page.get_by_role("table", name=table).locator("tbody tr").filter(has_text=text)


def test_a_booking_from_search_to_completion(
    page: Page,
    page_problems: PageProblems,
    browser: Browser,
    live_server: str,
    server_today: Callable[[date], None],
) -> None:
    week = plus_weeks(first_open_week(), WEEKS_AHEAD)
    label = week_label(week)
    officer_id = list_and_approve(page, week, 7.5)

    # Bob finds Peter's week and opens the booking form from the search result.
    switch_user(page, BOOKER)
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link")).to_contain_text(
        ["Find expertise", "Bookings", "Sign out"]
    )
    page.goto(f"/find?week={week}&q=peter")
    card = page.locator("#results .govuk-summary-card").filter(has_text="Peter Price")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("7.5 hours")
    card.get_by_label(f"{label}: 7.5 hours").check()  # one card per officer (issue 13)
    card.get_by_role("button", name="Book selected weeks with Peter Price").click()
    expect(page).to_have_url(re.compile(rf"/book\?officer={officer_id}&week={week}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book Peter Price")
    expect(page).to_have_title(title("Book Peter Price"))
    expect(page.locator("#available-hours")).to_have_text("7.5 hours")
    assert_accessible(page, "the booking form")
    check_narrow(page, "the booking form")
    book_url = page.url

    # Eilidh, at Edinburgh, opens the same form before Bob sends his.
    other = browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    other.set_default_timeout(10_000)
    eilidh = other.new_page()
    other_problems = PageProblems()
    other_problems.attach(eilidh)
    sign_in(eilidh, SECOND_BOOKER)
    eilidh.goto(book_url)
    expect(eilidh.locator("#available-hours")).to_have_text("7.5 hours")

    # The form is checked in the page first.
    page.get_by_role("button", name="Send booking request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the hours you want to book")).to_have_attribute(
        "href", "#hours"
    )
    expect(summary.get_by_role("link", name="Enter what the work is")).to_be_visible()
    page.get_by_label("Hours to book").fill("8")
    page.get_by_role("button", name="Send booking request").click()
    expect(page.locator("#hours-error")).to_contain_text("at most the 7.5 hours available")

    # Reading requires a purchase order number: the form says so, and asks before sending.
    expect(page.locator("#purchase_order-hint")).to_have_text(
        "Your council needs a purchase order number on every booking. It is printed on the invoice."
    )
    page.get_by_label("Hours to book").fill("6")
    page.get_by_label("What is the work?").fill(
        "Help our planning team clear the backlog of householder applications."
    )
    page.get_by_role("button", name="Send booking request").click()
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name="Enter your council's purchase order number")
    ).to_have_attribute("href", "#purchase_order")
    expect(page.locator("#purchase_order-error")).to_contain_text("purchase order number")
    expect(page).to_have_title(title("Error: Book Peter Price"))
    expect(page.get_by_label("Hours to book")).to_have_value("6")
    assert_accessible(page, "the booking form refused without a purchase order")

    page.get_by_label("Purchase order number").fill("PO-2026/0042")
    page.get_by_role("button", name="Send booking request").click()
    expect(page).to_have_url(re.compile(r"/bookings/[0-9a-f-]{36}$"))
    bob_booking = page.url
    success_banner(page, "Booking requested: 6 hours of Peter Price's time")
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking of Peter Price")
    expect(page).to_have_title(title("Booking of Peter Price"))
    expect(page.locator("#booking-status")).to_have_text("Awaiting answer")
    main = page.get_by_role("main")
    expect(main).to_contain_text("PO-2026/0042")
    expect(page.locator("#history-list li")).to_have_count(1)
    expect(page.locator("#history-list")).to_contain_text("Requested")
    # Bob may cancel but not answer his own request.
    expect(page.locator("#confirm-link")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel this booking")).to_be_visible()
    assert_accessible(page, "a booking's page")
    check_narrow(page, "a booking's page")

    # Eilidh asks for more than is left now: the plain answer, and what is left.
    eilidh.get_by_label("Hours to book").fill("4")
    eilidh.get_by_label("What is the work?").fill("Planning policy review.")
    eilidh.get_by_role("button", name="Send booking request").click()
    other_summary = eilidh.locator(".govuk-error-summary")
    expect(other_summary).to_be_focused()
    expect(other_summary).to_contain_text("Someone else has just booked those hours.")
    expect(other_summary).to_contain_text("Peter Price now has 1.5 hours left in this week")
    expect(eilidh.locator("#available-hours")).to_have_text("1.5 hours")
    assert_accessible(eilidh, "the booking form after someone else booked the hours")
    eilidh.get_by_label("Hours to book").fill("1.5")
    eilidh.get_by_role("button", name="Send booking request").click()
    expect(eilidh).to_have_url(re.compile(r"/bookings/[0-9a-f-]{36}$"))
    success_banner(eilidh, "Booking requested: 1.5 hours of Peter Price's time")

    # Peter sees both requests and confirms Bob's on its page.
    switch_user(page, PETER)
    nav(page, "Bookings")
    expect(page).to_have_title(title("Bookings"))
    requests = page.get_by_role("table", name="Requests awaiting me")
    expect(requests.locator("tbody tr").filter(has_text=label)).to_have_count(2)
    assert_accessible(page, "the officer's bookings")
    check_narrow(page, "the officer's bookings")
    row(page, "Requests awaiting me", "Reading").get_by_role(
        "link", name=re.compile("^View")
    ).click()
    expect(page).to_have_url(bob_booking)
    expect(page.get_by_role("heading", name="Answer this request")).to_be_visible()
    expect(page.get_by_role("link", name="Cancel this booking")).to_be_visible()
    assert_accessible(page, "a request for the officer")
    # Confirming is checked first, on a page that shows the whole booking.
    page.locator("#confirm-link").click()
    expect(page).to_have_url(f"{bob_booking}/confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the booking before you confirm it"
    )
    expect(page.get_by_role("main")).to_contain_text("clear the backlog of householder")
    expect(page.get_by_role("main")).to_contain_text("PO-2026/0042")
    expect(page.locator("#confirm-effect")).to_contain_text(f"booked for 6 hours, {label}")
    assert_accessible(page, "the page that checks a booking before confirming it")
    check_narrow(page, "the page that checks a booking before confirming it")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page).to_have_url(bob_booking)
    success_banner(page, "Booking confirmed")
    expect(page.locator("#booking-status")).to_have_text("Confirmed")
    expect(page.locator("#confirm-link")).to_have_count(0)
    expect(page.locator("#history-list")).to_contain_text("Confirmed")
    # The week has not started: no timesheet yet.
    expect(page.locator("#timesheet-form")).to_have_count(0)

    # Peter's calendar address.
    page.get_by_role("link", name="Back to bookings").click()
    upcoming = row(page, "Upcoming", label)
    expect(upcoming).to_contain_text("Reading Borough Council")
    page.get_by_role("button", name="Get a calendar address").click()
    address = page.get_by_label("Your calendar address")
    expect(address).to_be_focused()
    expect(address).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/api/v1/calendar/.+\.ics$"))
    expect(page.get_by_role("main")).to_contain_text("Any address you had before has stopped")
    first_address = address.input_value()
    feed = page.request.get(first_address)
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    assert_accessible(page, "the officer's bookings with a calendar address")
    check_narrow(page, "the officer's bookings with a calendar address")
    page.get_by_role("button", name="Get another calendar address").click()
    expect(address).not_to_have_value(first_address)
    assert page.request.get(first_address).status == 404

    # Mark declines Eilidh's request for his officer.
    switch_user(page, MANAGER)
    nav(page, "Bookings")
    assert_accessible(page, "the manager's bookings")
    row(page, "Requests for your officers", "Edinburgh").filter(has_text="Peter Price").get_by_role(
        "link", name=re.compile("^Decline")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decline the booking")
    expect(page).to_have_title(title("Decline the booking"))
    assert_accessible(page, "the decline page")
    check_narrow(page, "the decline page")
    page.get_by_role("button", name="Decline booking").click()
    expect(page.locator("#reason-error")).to_contain_text("Enter the reason you are declining")
    assert_accessible(page, "the decline page with an error")
    page.get_by_label("Why are you declining?").fill("Peter is needed here for the rest of it.")
    page.get_by_role("button", name="Decline booking").click()
    success_banner(page, "Booking declined")
    expect(page.locator("#booking-status")).to_have_text("Declined")
    expect(page.get_by_role("main")).to_contain_text("Peter is needed here for the rest of it.")
    page.get_by_role("link", name="Back to bookings").click()
    ended = row(page, "Declined, expired or cancelled", "Edinburgh")
    declined = ended.filter(has_text="Peter Price")
    expect(declined).to_contain_text("Declined")

    # Two days before the week: Eilidh books the free 1.5 hours again and cancels, late.
    server_today(monday_of(week) - timedelta(days=2))
    switch_user(eilidh, SECOND_BOOKER)
    eilidh.goto(book_url)
    expect(eilidh.locator("#available-hours")).to_have_text("1.5 hours")
    eilidh.get_by_label("Hours to book").fill("1")
    eilidh.get_by_label("What is the work?").fill("A short planning policy review.")
    eilidh.get_by_role("button", name="Send booking request").click()
    success_banner(eilidh, "Booking requested: 1 hour of Peter Price's time")
    eilidh.get_by_role("link", name="Cancel this booking").click()
    expect(eilidh.get_by_role("heading", level=1)).to_have_text("Cancel the booking")
    expect(eilidh.locator(".govuk-warning-text")).to_contain_text("notice period")
    assert_accessible(eilidh, "the cancel page")
    check_narrow(eilidh, "the cancel page")
    eilidh.get_by_label("Why are you cancelling?").fill("The review has been postponed.")
    eilidh.get_by_role("button", name="Cancel booking").click()
    success_banner(eilidh, "Booking cancelled: late cancellation")
    expect(eilidh.locator("#booking-status")).to_have_text("Cancelled Late cancellation")
    expect(eilidh.locator("#late-note")).to_contain_text("notice period")
    expect(eilidh.get_by_role("link", name="Cancel this booking")).to_have_count(0)
    assert_accessible(eilidh, "a late cancellation")
    assert other_problems.items == []
    other.close()

    # After the week: Peter reports his hours.
    server_today(monday_of(week) + timedelta(days=8))
    switch_user(page, PETER)
    nav(page, "Bookings")
    record = row(page, "Record hours", label)
    expect(record).to_contain_text("No hours reported yet")
    record.get_by_role("link", name=re.compile("^Record hours")).click()
    expect(page).to_have_url(re.compile(r"/bookings/[0-9a-f-]{36}#timesheet$"))
    expect(page.get_by_role("link", name="Cancel this booking")).to_have_count(0)
    page.get_by_role("button", name="Send hours").click()
    expect(page.locator("#timesheet-hours-error")).to_contain_text("Enter the hours you worked")
    page.get_by_label("Hours you worked").fill("6.5")
    page.get_by_role("button", name="Send hours").click()
    expect(page.locator("#timesheet-hours-error")).to_contain_text("no more than the 6 hours")
    assert_accessible(page, "the timesheet form with an error")
    page.get_by_label("Hours you worked").fill("5.5")
    page.get_by_label("Note (optional)").fill("Cleared 14 applications; two need a site visit.")
    page.get_by_role("button", name="Send hours").click()
    success_banner(page, "Hours sent: 5.5 hours")
    expect(page.get_by_role("main")).to_contain_text("Cleared 14 applications")
    expect(page.locator("#history-list")).to_contain_text("Hours reported")
    assert_accessible(page, "a booking with a timesheet")
    check_narrow(page, "a booking with a timesheet")

    # Bob completes the booking with the hours Peter reported.
    switch_user(page, BOOKER)
    nav(page, "Bookings")
    awaiting = row(page, "Awaiting hours", label)
    expect(awaiting).to_contain_text("5.5 hours reported")
    assert_accessible(page, "the booker's bookings")
    check_narrow(page, "the booker's bookings")
    awaiting.get_by_role("link", name=re.compile("^Complete")).click()
    expect(page).to_have_url(re.compile(r"#complete$"))
    expect(page.get_by_label("Hours worked")).to_have_value("5.5")
    expect(page.get_by_role("main")).to_contain_text("Peter Price reported 5.5 hours worked.")
    assert_accessible(page, "the completion form")
    page.get_by_role("button", name="Complete booking").click()
    success_banner(page, "Booking completed")
    expect(page.locator("#booking-status")).to_have_text("Completed")
    expect(page.locator("#complete-form")).to_have_count(0)
    history = page.locator("#history-list li h3")
    expect(history).to_have_text(["Requested", "Confirmed", "Hours reported", "Completed"])
    assert_accessible(page, "a completed booking")
    page.get_by_role("link", name="Back to bookings").click()
    expect(row(page, "Completed", label)).to_contain_text("5.5 hours worked")
    assert page_problems.items == []
