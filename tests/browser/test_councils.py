"""A council joins the pool and runs itself, in a real browser against the real server, as new
people would: someone at Oxford City Council asks to join and confirms their email from the
link; the platform admin approves; the new admin accepts the invitation and the agreement,
fills in the settings (check your answers each time), invites an officer and a manager; the
officer gives consent and lists hours, the manager approves them, and a booker at Reading finds
and books the officer. axe-core checks every page visited; new pages are checked at 320 px."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    BOOKER,
    PageProblems,
    assert_accessible,
    set_up_two_factor,
    sign_in,
    title,
)
from tests.browser.test_availability import (
    check_narrow,
    first_open_week,
    plus_weeks,
    success_banner,
    switch_user,
)

pytestmark = pytest.mark.browser

PLATFORM_ADMIN = "platform.admin@talentpool.example.gov.uk"
DOMAIN = "oxford.example.gov.uk"
ADMIN = f"ada.admin@{DOMAIN}"
OFFICER = f"otto.officer@{DOMAIN}"
MANAGER = f"mina.manager@{DOMAIN}"
PASSWORD = "oxford-password-2026"
WEEKS = 4


def emailed_path(live_dir: Path, to: str, prefix: str) -> str:
    """The path of the last link starting with `prefix` emailed to `to` (from the outbox of
    the live server's SQLite file: no worker runs here to send it)."""
    with sqlite3.connect(live_dir / "tp.db") as db:
        rows = db.execute("SELECT payload FROM outbox WHERE kind = 'email'").fetchall()
    found = [
        match.group(0)
        for (payload,) in rows
        if json.loads(payload).get("to") == to
        for match in re.finditer(re.escape(prefix) + r"[A-Za-z0-9_-]+", json.loads(payload)["body"])
    ]
    assert found, f"no {prefix} link was emailed to {to}"
    return found[-1]


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def set_password(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    success_banner(page, "Your account is ready")


def ask_to_join(page: Page, live_dir: Path) -> None:
    page.goto("/sign-in")
    page.get_by_role("link", name="Ask for it to join").click()
    expect(page).to_have_title(title("Ask for your council to join the Talent Pool"))
    assert_accessible(page, "the join page")
    check_narrow(page, "the join page")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select your council")
    assert_accessible(page, "the join page with errors")
    # The accessible autocomplete over the register.
    council = page.get_by_role("combobox", name="Your council")
    council.fill("Oxford Cit")
    page.get_by_role("option", name="Oxford City Council").click()
    page.get_by_label("Full name").fill("Ada Admin")
    page.get_by_label("Job title").fill("Head of Organisational Development")
    page.get_by_label("Work email address").fill(ADMIN)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, "the join page after sending")
    # The link in the email confirms the request, once.
    link = emailed_path(live_dir, ADMIN, "/join/verify/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Request confirmed")
    expect(page.locator(".govuk-panel__body")).to_contain_text("Oxford City Council")
    assert_accessible(page, "the confirmed join request")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")


def approve(page: Page) -> None:
    sign_in(page, PLATFORM_ADMIN)
    tasks = page.locator("#tasks")
    expect(tasks.get_by_role("link", name="Join requests to answer")).to_be_visible()
    assert_accessible(page, "the platform admin's home page")
    tasks.get_by_role("link", name="Join requests to answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join requests")
    assert_accessible(page, "the join requests")
    check_narrow(page, "the join requests")
    page.get_by_role("link", name="Oxford City Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oxford City Council asks to join")
    expect(page.get_by_role("main")).to_contain_text("Head of Organisational Development")
    assert_accessible(page, "a join request")
    check_narrow(page, "a join request")
    expect(page.get_by_label("Email domains")).to_have_value(DOMAIN)
    page.get_by_role("button", name="Approve and invite").click()
    success_banner(page, "Ada Admin has been invited to set up Oxford City Council")
    page.goto("/platform")
    expect(page.locator("#pool-health")).to_contain_text("Member councils")
    assert_accessible(page, "the pool's health")
    page.goto("/platform/councils?q=Oxford%20City")
    row = page.get_by_role("table", name="Councils").locator("tbody tr")
    expect(row).to_contain_text("Invited")
    assert_accessible(page, "the councils list")
    check_narrow(page, "the councils list")


def accept_agreement(page: Page) -> None:
    tasks = page.locator("#tasks")
    tasks.get_by_role("link", name="Accept the pool's s113 agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The pool's agreement")
    expect(page.locator("#agreement-status")).to_contain_text("Not accepted")
    assert_accessible(page, "the agreement page")
    check_narrow(page, "the agreement page")
    page.get_by_role("button", name="Accept the agreement").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your council has accepted version")
    expect(page.locator("#agreement-status")).to_contain_text("by Ada Admin")


def fill_settings(page: Page) -> None:
    page.goto("/council")
    expect(page.locator("#setup-tasks")).to_be_visible()
    assert_accessible(page, "the council page with its set-up tasks")
    page.locator("#setup-tasks").get_by_role("link", name="Invoicing and VAT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoicing and VAT")
    assert_accessible(page, "the invoicing settings")
    check_narrow(page, "the invoicing settings")
    page.get_by_label("VAT registration number").fill("GB987654321")
    page.get_by_label("Finance email address").fill(f"finance@{DOMAIN}")
    if page.locator("#address-lines").count():
        page.locator("#address-lines").fill("Town Hall\nSt Aldate's")
        page.get_by_label("Town or city").fill("Oxford")
        page.get_by_label("Postcode").fill("ox1 1bx")
    else:
        page.locator("#invoice-address").fill("Town Hall\nSt Aldate's\nOxford\nOX1 1BX")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your changes")
    expect(page.get_by_role("main")).to_contain_text("GB987654321")
    assert_accessible(page, "checking the invoicing settings")
    page.get_by_role("button", name="Save changes").click()
    success_banner(page, "Invoicing and VAT saved")
    expect(page.locator("#task-invoicing-status")).to_have_text("Completed")
    assert_accessible(page, "the settings task list")
    check_narrow(page, "the settings task list")

    page.get_by_role("link", name="Bookings rules").first.click()
    page.get_by_role("group", name=re.compile("purchase order")).get_by_label("Yes").check()
    page.get_by_label("Cancellation notice").fill("3")
    page.get_by_label("Default recharge rate").fill("48.50")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("main")).to_contain_text("£48.50 an hour")
    page.get_by_role("button", name="Save changes").click()
    success_banner(page, "Bookings rules saved")

    page.get_by_role("link", name="People and domains").first.click()
    expect(page.get_by_label("Email domains")).to_have_value(DOMAIN)
    page.get_by_label("Email domains").fill(f"{DOMAIN}\noxfordshire.example.gov.uk")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Save changes").click()
    success_banner(page, "People and domains saved")

    page.get_by_role("link", name="Payments").first.click()
    assert_accessible(page, "the payments settings")
    if page.locator("#bank-account-name").count():
        page.get_by_label("Bank account name").fill("Oxford City Council")
        page.get_by_label("Sort code").fill("30-99-50")
        page.get_by_label("Account number").fill("12345678")
    page.get_by_role("button", name="Continue").click()
    if page.get_by_role("button", name="Save changes").count():
        page.get_by_role("button", name="Save changes").click()
        success_banner(page, "Payments saved")
    page.goto("/council/settings")
    expect(page.locator("#card-bookings")).to_contain_text("3 days")


def invite(page: Page, email: str, name: str, role: str) -> None:
    page.goto("/council")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(email)


def officer_lists_hours(page: Page, live_dir: Path, first: str) -> None:
    set_password(page, emailed_path(live_dir, OFFICER, "/invitations/"))
    expect(
        page.locator("#tasks").get_by_role("link", name="Give your consent to be listed")
    ).to_be_visible()
    page.locator("#tasks").get_by_role("link", name="Give your consent to be listed").click()
    page.get_by_label("Job title").fill("Senior conservation officer")
    page.locator(".tp-skill-family summary", has_text="Planning and building").click()
    page.get_by_label("Town planning", exact=True).check()
    page.get_by_label("Show my profile to other councils").check()  # listed only by choice
    page.get_by_role("button", name="Save").click()
    success_banner(page, "Profile saved")
    page.get_by_role("button", name="I agree").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your consent is recorded"
    )
    page.goto("/availability")
    page.get_by_label("Number of weeks").fill(str(WEEKS))
    page.get_by_label("Hours per week").fill("6")
    page.get_by_role("button", name="Add weeks").click()
    success_banner(page, f"6 hours a week listed for {WEEKS} weeks")


def manager_approves(page: Page, live_dir: Path) -> None:
    set_password(page, emailed_path(live_dir, MANAGER, "/invitations/"))
    tasks = page.locator("#tasks")
    expect(tasks.locator("#task-approvals-count")).to_have_text(str(WEEKS))
    tasks.get_by_role("link", name="Hours waiting for your sign-off").click()
    page.get_by_role("button", name="Approve all").click()
    success_banner(page, f"{WEEKS} weeks approved")
    # Managers set officers' rates, checking the new rate first.
    page.goto("/council/officers")
    assert_accessible(page, "the officers and rates")
    check_narrow(page, "the officers and rates")
    page.get_by_role("link", name="Change rate for Otto Officer").click()
    page.get_by_label("Recharge rate for Otto Officer").fill("52")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the new rate")
    assert_accessible(page, "checking an officer's rate")
    page.get_by_role("button", name="Save the rate").click()
    success_banner(page, "Rate for Otto Officer set to £52.00 per hour")


def booker_books(page: Page, first: str) -> None:
    switch_user(page, BOOKER)
    page.goto(f"/find?week={first}&q=otto")
    card = page.locator("#results .govuk-summary-card").filter(has_text="Otto Officer")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Oxford City Council")
    expect(card).to_contain_text("£52.00 per hour")
    card.locator("input[name=week]").first.check()  # one card per officer (issue 13)
    card.get_by_role("button", name="Book selected weeks with Otto Officer").click()
    page.get_by_label("Hours to book").fill("4")
    page.get_by_label("What is the work?").fill("Conservation area appraisal.")
    page.get_by_label("Purchase order number").fill("PO-OX-1")
    page.get_by_role("button", name="Send booking request").click()
    expect(page).to_have_url(re.compile(r"/bookings/[0-9a-f-]{36}$"))
    success_banner(page, "Booking requested: 4 hours of Otto Officer's time")


def test_a_council_joins_and_runs_itself(
    page: Page, live_dir: Path, page_problems: PageProblems
) -> None:
    first = plus_weeks(first_open_week(), 2)
    ask_to_join(page, live_dir)
    approve(page)

    # The new admin accepts the invitation, then the agreement, then fills in the settings.
    sign_out(page)
    set_password(page, emailed_path(live_dir, ADMIN, "/invitations/"))
    set_up_two_factor(page, ADMIN)  # a council admin's role needs it, straight away
    expect(page.locator("#signed-in-as")).to_contain_text("Ada Admin, Oxford City Council")
    assert_accessible(page, "the new admin's home page")
    check_narrow(page, "the new admin's home page")
    accept_agreement(page)
    fill_settings(page)
    invite(page, OFFICER, "Otto Officer", "Officer")
    invite(page, MANAGER, "Mina Manager", "Manager")

    # People: the manager becomes the officer's line manager.
    page.goto("/council/people?role=officer")
    assert_accessible(page, "the people page")
    check_narrow(page, "the people page")
    expect(page.get_by_role("table", name="Pending invitations")).to_contain_text(OFFICER)

    sign_out(page)
    officer_lists_hours(page, live_dir, first)
    sign_out(page)
    manager_approves(page, live_dir)

    # The admin sets the line manager now both have joined, and reads the history.
    sign_out(page)
    sign_in(page, ADMIN, PASSWORD)
    page.goto("/council/people")
    page.get_by_role("link", name="Otto Officer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Otto Officer")
    assert_accessible(page, "a person's page")
    check_narrow(page, "a person's page")
    page.get_by_label("Line manager").select_option(label="Mina Manager")
    page.get_by_role("button", name="Save changes").click()
    success_banner(page, "Otto Officer's roles and line manager saved")
    page.get_by_role("link", name="View this person's history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("table", name="Events")).to_contain_text("line_manager_id")
    assert_accessible(page, "the audit trail")
    check_narrow(page, "the audit trail")
    csv = page.request.get("/api/v1/audit.csv")
    assert csv.ok and csv.text().startswith("at,actor_name,")

    booker_books(page, first)
    assert page_problems.items == []


def test_the_council_autocomplete_works_under_the_servers_csp(
    csp_page: Page, page_problems: PageProblems
) -> None:
    csp_page.goto("/join")
    council = csp_page.get_by_role("combobox", name="Your council")
    council.fill("Readin")
    csp_page.get_by_role("option", name="Reading Borough Council").click()
    expect(council).to_have_value("Reading Borough Council")
    expect(csp_page.locator("select[name=council_code]")).to_have_value("RDG")
    assert page_problems.items == []
