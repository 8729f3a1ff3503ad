"""The marketplace in a real browser (issue 13): Bob, a booker at Reading, posts a request for
help; Peter, an officer at West Berkshire whose skills match, sees the notification (the unread
count in the navigation) and offers two weeks; Mark, his manager, approves the hours under
Sign-off; Bob compares the offers and accepts Peter's; the bookings appear on both sides with
their reference and cost; and a message goes each way on a booking. axe-core checks every page
visited; each new page is checked at 320 px wide.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import BOOKER, MANAGER, PETER, PageProblems, assert_accessible, sign_in
from tests.browser.test_availability import (
    check_narrow,
    first_open_week,
    nav,
    plus_weeks,
    success_banner,
    switch_user,
    week_label,
)

pytestmark = pytest.mark.browser

# Far enough ahead that the other journeys never touch these weeks.
WEEKS_AHEAD = 40


def test_a_request_for_help_from_posting_to_bookings_and_messages(
    page: Page, page_problems: PageProblems
) -> None:
    first = plus_weeks(first_open_week(), WEEKS_AHEAD)
    second = plus_weeks(first, 1)
    closes = date.today() + timedelta(days=10)
    title = f"Planning backlog {first}"

    # Bob asks for help.
    sign_in(page, BOOKER)
    nav(page, "Requests for help")
    assert_accessible(page, "the requests for help page")
    check_narrow(page, "the requests for help page")
    page.get_by_role("button", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    page.get_by_role("button", name="Post request for help").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    assert_accessible(page, "the ask for help form with errors")
    check_narrow(page, "the ask for help form")
    page.get_by_label("Title").fill(title)
    page.get_by_label("The work").fill("About 40 householder applications, remote.")
    page.locator("summary", has_text="Planning and building").click()
    page.get_by_label("Town planning", exact=True).check()
    page.get_by_label("First week").select_option(first)
    page.get_by_label("Last week").select_option(second)
    page.get_by_label("Hours a week").fill("3")
    page.get_by_label("Most you will pay per hour (optional)").fill("90")
    page.get_by_label("Day").fill(str(closes.day))
    page.get_by_label("Month").fill(str(closes.month))
    page.get_by_label("Year").fill(str(closes.year))
    page.get_by_label("Purchase order number").fill("PO-HELP-1")
    page.get_by_role("button", name="Post request for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    success_banner(page, "Request for help posted")
    expect(page.get_by_text("No offers yet.")).to_be_visible()
    request_url = page.url
    assert_accessible(page, "a request's page (the asking council)")
    check_narrow(page, "a request's page (the asking council)")

    # Peter is told in the app, and offers two weeks.
    switch_user(page, PETER)
    badge = page.locator("#unread-count")
    expect(badge).to_be_visible()
    nav(page, "Notifications")
    assert_accessible(page, "the notifications page")
    check_narrow(page, "the notifications page")
    page.get_by_role("link", name=re.compile(f"asks for help: {re.escape(title)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page, "a request's page (an officer)")
    check_narrow(page, "a request's page (an officer)")
    page.get_by_label(week_label(first)).check()
    page.get_by_label(week_label(second)).check()
    page.get_by_label("Hours each week").fill("3")
    page.get_by_label("Note (optional)").fill("I have cleared backlogs like this before.")
    page.get_by_role("button", name="Send offer").click()
    success_banner(page, "Offer sent")
    expect(page.locator("#your-offer")).to_be_visible()

    # Mark approves the hours the offer listed.
    switch_user(page, MANAGER)
    nav(page, "Sign-off")
    page.get_by_role("button", name=re.compile(r"Approve \d+ weeks? for Peter Price")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # Bob compares the offers and accepts Peter's.
    switch_user(page, BOOKER)
    page.goto(request_url)
    offers = page.get_by_role("table", name="Offers")
    peters = offers.locator("tbody tr").filter(has_text="Peter Price")
    expect(peters).to_have_count(1)
    expect(peters).to_contain_text(week_label(first))
    expect(peters).not_to_contain_text("waiting for sign-off")
    expect(peters).to_contain_text(re.compile(r"£[\d,]+\.\d\d"))
    assert_accessible(page, "the offers side by side")
    check_narrow(page, "the offers side by side")
    peters.get_by_role("button", name="Accept Peter Price's offer").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Offer accepted: 2 bookings requested")
    reference = re.search(r"(WBK-\d+)", banner.inner_text())
    assert reference, banner.inner_text()

    # The booking on Bob's side: reference, cost, contacts; a message to Peter.
    nav(page, "Bookings")
    expect(page.get_by_role("main")).to_contain_text("Peter Price")
    booking_id = _booking_id(page, reference.group(1))
    page.goto(f"/bookings/{booking_id}")
    expect(page.locator("#booking-reference")).to_have_text(reference.group(1))
    expect(page.locator("#cost-gross")).to_have_text(re.compile(r"£[\d,]+\.\d\d"))
    expect(page.locator("#contacts")).to_be_visible()
    page.get_by_label("Write a message").fill("Welcome aboard, Peter. Start with the oldest.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#message-list")).to_contain_text("Welcome aboard")
    assert_accessible(page, "a booking with its cost, contacts and messages")
    check_narrow(page, "a booking with its cost, contacts and messages")

    # Peter sees the same booking, with its reference, and replies.
    switch_user(page, PETER)
    page.goto(f"/bookings/{booking_id}")
    expect(page.locator("#booking-reference")).to_have_text(reference.group(1))
    expect(page.locator("#cost-gross")).to_have_text(re.compile(r"£[\d,]+\.\d\d"))
    expect(page.locator("#message-list")).to_contain_text("Welcome aboard")
    page.get_by_label("Write a message").fill("Thanks, Bob. I will.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#message-list")).to_contain_text("Thanks, Bob")

    switch_user(page, BOOKER)
    page.goto(f"/bookings/{booking_id}")
    expect(page.locator("#message-list")).to_contain_text("Thanks, Bob. I will.")
    assert page_problems.items == []


def _booking_id(page: Page, reference: str) -> str:
    """The booking with this reference, from the booking council's list."""
    listed = page.request.get("/api/v1/bookings?side=booking&limit=200").json()["items"]
    return next(b["id"] for b in listed if b["reference"] == reference)
