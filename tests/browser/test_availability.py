"""Availability, sign-off and search in a real browser against the real server.

The journey: Peter (an officer who has given consent) lists 3 hours a week for 12 weeks with
the run-of-weeks form; Mark, his manager, approves them all on the sign-off page; Bob, a booker
at Reading, finds Peter's weeks under "Find expertise". Olivia, who has not given consent, is
sent to her profile when she tries to list hours. axe-core checks every page visited, and each
new page is checked at 320 px wide for sideways scrolling.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    BOOKER,
    DEMO_PASSWORD,
    MANAGER,
    OFFICER,
    PETER,
    PageProblems,
    actions_on_screen,
    assert_accessible,
    no_horizontal_scroll,
    sign_in,
    title,
)

pytestmark = pytest.mark.browser

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RUN_WEEKS = 12


# --- weeks, as the SPA labels them -----------------------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def plus_weeks(week: str, weeks: int) -> str:
    return iso_week(monday_of(week) + timedelta(weeks=weeks))


def week_label(week: str) -> str:
    """'w/c 30 Nov 2026': the week by its Monday, as the SPA and the emails name weeks."""
    start = monday_of(week)
    return f"w/c {start.day} {MONTHS[start.month - 1]} {start.year}"


def first_open_week() -> str:
    """Next week: the first that has not started (the server's clock is the real date here)."""
    return plus_weeks(iso_week(date.today()), 1)


# --- helpers ---------------------------------------------------------------------------------


def check_narrow(page: Page, context: str) -> None:
    """At 320 px wide the page does not scroll sideways, everything to press is on screen
    (tables with actions are summary cards there), and it is still accessible."""
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_horizontal_scroll(page)
    actions_on_screen(page)
    assert_accessible(page, f"{context} at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})


def switch_user(page: Page, email: str) -> None:
    """Signs out by dropping the session cookie, then signs in as someone else."""
    page.context.clear_cookies()
    sign_in(page, email)


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)


def success_banner(page: Page, heading: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text(heading)
    expect(banner).to_be_focused()


# --- the journey -----------------------------------------------------------------------------


def test_officer_lists_hours_manager_signs_off_booker_finds_them(
    page: Page, page_problems: PageProblems
) -> None:
    first = first_open_week()
    last = plus_weeks(first, RUN_WEEKS - 1)
    extra = plus_weeks(first, RUN_WEEKS)  # one more week, listed on its own and then rejected
    spare = plus_weeks(first, RUN_WEEKS + 1)  # listed and withdrawn

    # Peter lists 3 hours a week for 12 weeks.
    sign_in(page, PETER)
    nav(page, "Your availability")
    expect(page).to_have_title(title("Your availability"))
    weeks = page.get_by_role("table", name="Your weeks")
    expect(weeks.locator("tbody tr")).to_have_count(12)
    expect(weeks).to_contain_text(week_label(first))
    expect(page.locator("#consent-warning")).to_have_count(0)
    assert_accessible(page, "the availability page")
    check_narrow(page, "the availability page")

    # Hours are checked in the page first: quarter hours only.
    page.get_by_label("Number of weeks").fill(str(RUN_WEEKS))
    page.get_by_label("Hours per week").fill("2.1")
    page.get_by_role("button", name="Add weeks").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("quarter hours"))).to_have_attribute(
        "href", "#plan-hours"
    )
    expect(page).to_have_title(title("Error: Your availability"))
    assert_accessible(page, "the availability page with an error")

    expect(page.get_by_label("First week")).to_have_value(first)
    page.get_by_label("Hours per week").fill("3")
    page.get_by_role("button", name="Add weeks").click()
    success_banner(page, f"3 hours a week listed for {RUN_WEEKS} weeks")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "waiting for sign-off by your manager"
    )
    first_row = weeks.locator("tbody tr").filter(has_text=week_label(first))
    expect(first_row).to_contain_text("Waiting for sign-off")
    expect(first_row.locator("td").nth(1)).to_have_text("3 hours")
    assert_accessible(page, "the availability page after adding weeks")

    # Later weeks: the last of the run, and one more listed on its own page.
    page.get_by_role("link", name=re.compile("^Later weeks")).click()
    expect(page).to_have_url(re.compile(r"/availability\?from=\d{4}-W\d{2}$"))
    later = page.get_by_role("table", name="Your weeks")
    expect(later.locator("tbody tr").filter(has_text=week_label(last))).to_contain_text(
        "Waiting for sign-off"
    )
    later.get_by_role("link", name=f"List hours for {week_label(extra)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(week_label(extra))
    expect(page).to_have_title(title("Change your hours"))
    assert_accessible(page, "the page for one week")
    check_narrow(page, "the page for one week")
    page.get_by_label("Hours you can offer this week").fill("2")
    page.get_by_role("button", name="Save hours").click()
    success_banner(page, f"{week_label(extra)}: 2 hours offered")
    expect(page).to_have_url(re.compile(r"/availability$"))

    # Another week, listed and then withdrawn.
    page.goto(f"/availability/{spare}")
    page.get_by_label("Hours you can offer this week").fill("1.25")
    page.get_by_label("Single booking").check()
    page.get_by_role("button", name="Save hours").click()
    success_banner(page, f"{week_label(spare)}: 1.25 hours offered")
    page.goto(f"/availability/{spare}")
    expect(page.get_by_label("Hours you can offer this week")).to_have_value("1.25")
    expect(page.get_by_label("Single booking")).to_be_checked()
    # Withdrawing is checked first, on a page that says which hours will go.
    page.get_by_role("link", name=f"Withdraw hours for {week_label(spare)}").click()
    expect(page).to_have_url(re.compile(rf"/availability/{spare}/withdraw$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check before you withdraw these hours"
    )
    expect(page.locator("#withdrawn-hours")).to_have_text("1.25 hours")
    assert_accessible(page, "the page that checks a withdrawal")
    check_narrow(page, "the page that checks a withdrawal")
    page.get_by_role("button", name="Withdraw 1.25 hours").click()
    success_banner(page, f"{week_label(spare)}: 1.25 hours withdrawn")
    assert_accessible(page, "the availability page after withdrawing")

    # Mark, Peter's manager, rejects the extra week and approves all the rest.
    switch_user(page, MANAGER)
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link")).to_contain_text(
        ["Sign-off", "Find expertise", "Sign out"]
    )
    nav(page, "Sign-off")
    expect(page).to_have_title(title("Sign-off"))
    queue = page.get_by_role("table", name="Waiting for sign-off")
    # One row for Peter, with his weeks in it (not a row per week repeating his name).
    peters = queue.locator("tbody tr").filter(has_text="Peter Price")
    expect(peters).to_have_count(1)
    expect(peters.locator("li")).to_have_count(RUN_WEEKS + 1)
    total = f"{3 * RUN_WEEKS + 2} hours in {RUN_WEEKS + 1} weeks"
    expect(peters.locator("td").nth(2)).to_have_text(total)
    expect(peters.get_by_role("button")).to_have_text(
        f"Approve {RUN_WEEKS + 1} weeks for Peter Price"
    )
    assert_accessible(page, "the sign-off page")
    check_narrow(page, "the sign-off page")

    queue.get_by_role("link", name=f"Reject 2 hours for Peter Price, {week_label(extra)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject hours for Peter Price")
    expect(page).to_have_title(title("Reject hours"))
    assert_accessible(page, "the reject page")
    check_narrow(page, "the reject page")
    page.get_by_role("button", name="Reject hours").click()
    expect(page.locator("#reason-error")).to_contain_text("Enter the reason")
    assert_accessible(page, "the reject page with an error")
    page.get_by_label("Why are you not approving these hours?").fill(
        "The planning team needs Peter that week."
    )
    page.get_by_role("button", name="Reject hours").click()
    expect(page).to_have_url(re.compile(r"/sign-off$"))
    success_banner(page, "Hours rejected for Peter Price")
    expect(peters.locator("li")).to_have_count(RUN_WEEKS)

    page.get_by_role("button", name="Approve all").click()
    success_banner(page, f"{RUN_WEEKS} weeks approved")
    expect(page.get_by_text("Nothing is waiting for sign-off.")).to_be_visible()
    assert_accessible(page, "the sign-off page after approving all")

    # A standing permission for Olivia, given and ended.
    starts = monday_of(first)
    page.get_by_label("Officer", exact=True).select_option(
        label="Olivia Okafor (Senior user researcher)"
    )
    page.get_by_label("Maximum hours a week").fill("7.5")
    page.locator("#permission-from-day").fill(str(starts.day))
    page.locator("#permission-from-month").fill(str(starts.month))
    page.locator("#permission-from-year").fill(str(starts.year))
    page.get_by_role("button", name="Give permission").click()
    success_banner(page, "Standing permission given to Olivia Okafor")
    permissions = page.get_by_role("table", name="Active standing permissions")
    expect(permissions).to_contain_text("Olivia Okafor")
    expect(permissions).to_contain_text("7.5 hours a week")
    expect(permissions).to_contain_text("No end date")
    assert_accessible(page, "the sign-off page with a permission")
    permissions.get_by_role("button", name="End the standing permission for Olivia Okafor").click()
    success_banner(page, "Standing permission ended for Olivia Okafor")
    expect(page.get_by_text("There are no active standing permissions.")).to_be_visible()

    # Bob, a booker at Reading, finds Peter's weeks.
    switch_user(page, BOOKER)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Sign-off")).to_have_count(0)
    nav(page, "Find expertise")
    expect(page).to_have_title(title("Find expertise"))
    assert_accessible(page, "the find expertise page")
    check_narrow(page, "the find expertise page")

    page.locator("summary", has_text="Planning and building").click()
    page.get_by_label("Town planning", exact=True).check()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/find\?skill=town-planning$"))
    expect(page.locator("#results-heading")).to_be_focused()
    # One card per officer, with their weeks in date order (issue 13).
    cards = page.locator("#results .govuk-summary-card")
    expect(cards).to_have_count(1)
    card = cards.filter(has_text="Peter Price")
    expect(card.get_by_role("heading", level=3)).to_have_text("Peter Price")
    expect(card).to_contain_text("Principal planning officer")
    expect(card).to_contain_text("West Berkshire Council")
    expect(card).to_contain_text("Town planning")
    expect(card.locator(".govuk-checkboxes__item")).to_have_count(RUN_WEEKS)
    expect(card.get_by_label(f"{week_label(first)}: 3 hours")).to_be_visible()
    expect(card.locator(".govuk-summary-list__row", has_text="Rate")).to_have_text(
        re.compile(r"£\d[\d,]*\.\d\d per hour")
    )
    expect(page.get_by_label("Town planning", exact=True)).to_be_checked()
    assert_accessible(page, "the search results")
    check_narrow(page, "the search results")

    # One week, by keyword: the address carries the filters, so the search is linkable.
    page.get_by_label("First week").select_option(first)
    page.get_by_label("Keywords").fill("planning")
    page.get_by_label("Maximum rate per hour").fill("999")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(
        re.compile(rf"/find\?skill=town-planning&week={first}&max_rate_pence=99900&q=planning$")
    )
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(week_label(first))
    linked = page.url
    page.reload()
    expect(cards).to_have_count(1)
    expect(page.get_by_label("Keywords")).to_have_value("planning")
    expect(page.get_by_label("Maximum rate per hour")).to_have_value("999")

    # The result links to Peter's profile.
    cards.first.get_by_role("link", name="Peter Price").click()
    expect(page).to_have_url(re.compile(r"/officers/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peter Price")
    expect(page).to_have_title(title("Peter Price"))
    expect(page.get_by_role("main")).to_contain_text("Town planning")
    assert_accessible(page, "an officer's page")
    check_narrow(page, "an officer's page")
    page.get_by_role("link", name="Back to search results").click()
    assert page.url == linked
    expect(cards).to_have_count(1)

    # Nothing matches: say so.
    page.goto("/find?q=astronaut")
    expect(page.locator("#results-count")).to_have_text(
        "No officers with free hours match your search."
    )
    assert_accessible(page, "the find expertise page with no results")

    # A bad filter in the address: the API's 422 is shown against the field.
    page.goto("/find?skill=no-such-skill")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#skills")
    assert_accessible(page, "the find expertise page with an error")
    assert page_problems.items == []


# --- no consent ------------------------------------------------------------------------------


def _officer_without_consent(page: Page, live_dir: Path) -> str:
    """Olivia, unless another test has given her consent already (the server lives for the
    whole session): then a new officer made with the command line."""
    sign_in(page, OFFICER)
    profile = page.request.get("/api/v1/officers/me").json()
    if not profile.get("consent_current"):
        return OFFICER
    email = f"nora.new.{uuid.uuid4().hex[:8]}@westberks.example.gov.uk"
    env = {**os.environ, "TP_DATABASE_URL": f"sqlite:///{live_dir}/tp.db"}
    talentpool = str(Path(sys.executable).parent / "talentpool")
    subprocess.run(
        [
            talentpool,
            "admin",
            "create-user",
            "--email",
            email,
            "--name",
            "Nora New",
            "--password",
            DEMO_PASSWORD,
            "--council",
            "WBK",
            "--role",
            "officer",
        ],
        env=env,
        cwd=live_dir,
        check=True,
        capture_output=True,
        timeout=60,
    )
    page.context.clear_cookies()
    sign_in(page, email)
    return email


def test_officer_without_consent_is_sent_to_give_it(
    page: Page, page_problems: PageProblems, live_dir: Path
) -> None:
    _officer_without_consent(page, live_dir)
    nav(page, "Your availability")
    warning = page.locator("#consent-warning")
    expect(warning).to_contain_text("You need to give your consent")
    expect(warning.get_by_role("link")).to_have_attribute("href", "/profile#consent")

    page.get_by_label("Number of weeks").fill("4")
    page.get_by_label("Hours per week").fill("7.5")
    page.get_by_role("button", name="Add weeks").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("^Give your consent"))
    expect(link).to_have_attribute("href", "/profile#consent")
    expect(page).to_have_title(title("Error: Your availability"))
    expect(page.get_by_role("table", name="Your weeks")).not_to_contain_text("Waiting for sign-off")
    assert_accessible(page, "the availability page with the consent error")

    link.click()
    expect(page).to_have_url(re.compile(r"/profile#consent$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_role("button", name="I agree")).to_be_visible()
    assert page_problems.items == []


# --- the search contract ---------------------------------------------------------------------


def test_booker_filters_by_minimum_hours(page: Page, page_problems: PageProblems) -> None:
    sign_in(page, BOOKER)
    page.goto("/find")
    page.get_by_label("Minimum hours a week").fill("2")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/find\?min_hours=2$"))
    page.locator("#results-count, .govuk-error-summary").first.wait_for()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#results-count")).to_be_visible()
    assert_accessible(page, "the search results for a minimum of hours")
    assert page_problems.items == []
