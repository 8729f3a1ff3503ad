"""The SPA in a real browser against the real server: sign-in, profile, council admin, sign-out,
with axe-core on every page visited and a check at 320 px wide."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import (
    COUNCIL_ADMIN,
    COUNCIL_DOMAIN,
    OFFICER,
    PETER,
    PageProblems,
    actions_on_screen,
    assert_accessible,
    invitation_link_path,
    no_horizontal_scroll,
    sign_in,
    title,
)

pytestmark = pytest.mark.browser


def test_wrong_password_shows_the_error_summary(page: Page, page_problems: PageProblems) -> None:
    page.goto("/sign-in")
    expect(page).to_have_title(title("Sign in"))
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    assert_accessible(page, "the sign-in page")

    # Email first; West Berkshire has no provider of its own, so the password comes next.
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"Signing in as {OFFICER}")).to_be_visible()
    assert_accessible(page, "the password step of signing in")
    page.get_by_label("Password", exact=True).fill("not-the-password-2026")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(
        summary.get_by_role("link", name="Enter a correct email address and password")
    ).to_have_attribute("href", "#password")
    expect(summary).to_be_focused()
    expect(page.locator("#password-error")).to_contain_text(
        "Enter a correct email address and password"
    )
    expect(page).to_have_title(title("Error: Sign in"))
    assert_accessible(page, "the sign-in page with errors")

    # The error summary's link moves focus to the field.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    assert page_problems.items == []


def test_empty_sign_in_is_checked_in_the_page(page: Page) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    assert_accessible(page, "the sign-in page with empty fields")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign in").click()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()


def test_officer_edits_profile_and_gives_consent(page: Page, page_problems: PageProblems) -> None:
    page.goto("/profile")
    # Not signed in: to sign-in, then back to the profile.
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fprofile$"))
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    page.goto("/")
    expect(page.locator("#signed-in-as")).to_have_text(
        "Signed in as Olivia Okafor, West Berkshire Council"
    )
    expect(page).to_have_title(title("Home"))
    assert_accessible(page, "the officer's home page")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page).to_have_title(title("Your profile"))
    expect(page.get_by_role("link", name="Your profile")).to_have_attribute("aria-current", "page")
    expect(page.locator("#rate")).to_have_text(re.compile(r"^(Not set|£\d[\d,]*\.\d\d per hour)$"))
    assert_accessible(page, "the profile page")

    # Consent comes before the form and its Save button; skills are in collapsed families.
    consent_box = page.locator("#consent").bounding_box()
    save_box = page.get_by_role("button", name="Save").bounding_box()
    assert consent_box and save_box and consent_box["y"] < save_box["y"]
    expect(page.locator("#profile-form details:not([open])")).not_to_have_count(0)

    # Change the job title and add a skill that is not ticked yet, from a closed family.
    job_title = f"Lead user researcher {uuid.uuid4().hex[:6]}"
    page.get_by_label("Job title").fill(job_title)
    families = page.locator("#profile-form details")
    closed = next(
        i for i in range(families.count()) if families.nth(i).get_attribute("open") is None
    )
    family = families.nth(closed)
    family.locator("summary").click()
    expect(family).to_have_attribute("open", "")
    unticked = family.locator("input[name=skills]:not(:checked)").first
    skill_slug = unticked.get_attribute("value")
    skill_id = unticked.get_attribute("id")
    skill_name = page.locator(f"label[for='{skill_id}']").inner_text().strip()
    page.get_by_label(skill_name, exact=True).check()
    page.get_by_role("button", name="Save").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Profile saved")
    expect(banner).to_be_focused()
    assert_accessible(page, "the profile page after saving")

    # Consent: Olivia has not given it in the demo data.
    expect(page.locator("#consent-text")).to_be_visible()
    page.get_by_role("button", name="I agree").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your consent is recorded"
    )
    expect(page.locator("#consent-status")).to_have_text(
        re.compile(r"^You gave consent on \d{1,2} \w+ \d{4} \(version .+\)$")
    )
    expect(page.get_by_role("button", name="I agree")).to_have_count(0)
    assert_accessible(page, "the profile page after consent")

    # A reload shows what the server saved.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_label("Job title")).to_have_value(job_title)
    expect(page.locator(f"#profile-form input[name=skills][value='{skill_slug}']")).to_be_checked()
    expect(page.locator("#consent-status")).to_contain_text("You gave consent on")
    # After a reload the CSRF token comes from GET /me: saving still works.
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Profile saved")

    # 320 px wide: no sideways scrolling, still accessible.
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_horizontal_scroll(page)
    actions_on_screen(page)
    assert_accessible(page, "the profile page at 320px")
    # The service navigation collapses behind a Menu button.
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    assert page_problems.items == []


def test_council_admin_invites_someone(page: Page, page_problems: PageProblems) -> None:
    sign_in(page, COUNCIL_ADMIN)
    expect(page.locator("#signed-in-as")).to_contain_text("Alice Adams")
    assert_accessible(page, "the council admin's home page")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your council")
    expect(page).to_have_title(title("Your council"))
    users = page.get_by_role("table", name="People")
    expect(users).to_contain_text(OFFICER)
    expect(users).to_contain_text("Council admin")
    assert_accessible(page, "the council page")

    email = f"new.person.{uuid.uuid4().hex[:8]}@{COUNCIL_DOMAIN}"
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Officer", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"Invitation sent to {email}")
    invitations = page.get_by_role("table", name="Pending invitations")
    expect(invitations).to_contain_text(email)
    expect(invitations).to_contain_text("Nia Newcomer")
    expect(page.get_by_label("Email address")).to_have_value("")
    assert_accessible(page, "the council page after inviting")

    # The same address again is refused, and the error is shown against the email field.
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Officer", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#invite-email-error")).to_be_visible()
    assert_accessible(page, "the council page with an error")

    # An address outside the council's email domains is refused too.
    page.get_by_label("Email address").fill(f"someone.{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_label("Full name").fill("Out Sider")
    page.get_by_label("Booker", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#invite-email-error")).to_be_visible()
    assert page_problems.items == []


def test_invited_person_sets_a_password_and_is_signed_in(
    page: Page, browser: Browser, live_server: str, live_dir: Path, page_problems: PageProblems
) -> None:
    sign_in(page, COUNCIL_ADMIN)
    page.goto("/council")
    email = f"ivy.invitee.{uuid.uuid4().hex[:8]}@{COUNCIL_DOMAIN}"
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill("Ivy Invitee")
    page.get_by_label("Officer", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(email)

    # The invitee opens the emailed link in their own browser.
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
    try:
        invitee = context.new_page()
        page_problems.attach(invitee)
        invitee.goto(invitation_link_path(live_dir, email))
        expect(invitee.get_by_role("heading", level=1)).to_have_text("Set your password")
        invitee.get_by_label("Create a password").fill("short")
        invitee.get_by_label("Confirm your password").fill("different")
        invitee.get_by_role("button", name="Set password and sign in").click()
        summary = invitee.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Password must be 12 characters or more")
        assert_accessible(invitee, "the accept invitation page with errors")

        invitee.get_by_label("Create a password").fill("ivy-invitee-password-2026")
        invitee.get_by_label("Confirm your password").fill("ivy-invitee-password-2026")
        invitee.get_by_role("button", name="Set password and sign in").click()
        expect(invitee).to_have_url(re.compile(r"/$"))
        expect(invitee.locator(".govuk-notification-banner")).to_contain_text(
            "Your account is ready"
        )
        expect(invitee.locator("#signed-in-as")).to_have_text(
            "Signed in as Ivy Invitee, West Berkshire Council"
        )
        # Officer role: the profile is in the navigation.
        expect(invitee.get_by_role("link", name="Your profile")).to_have_count(2)
        assert_accessible(invitee, "the new user's home page")
        # A new officer has a profile to fill in, and has not given consent yet.
        invitee.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Your profile"
        ).click()
        expect(invitee.get_by_role("heading", level=1)).to_have_text("Your profile")
        expect(invitee.get_by_role("button", name="I agree")).to_be_visible()
        assert_accessible(invitee, "the new officer's profile page")
    finally:
        context.close()

    # The invitation is no longer pending.
    page.reload()
    expect(page.get_by_role("table", name="People")).to_contain_text(email)
    expect(page.get_by_text(email)).to_have_count(1)
    assert page_problems.items == []


def test_sign_out_returns_to_sign_in(page: Page, page_problems: PageProblems) -> None:
    sign_in(page, OFFICER)
    page.get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
    assert_accessible(page, "the sign-in page after signing out")

    # The session really ended on the server.
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fprofile$"))
    assert page_problems.items == []


def test_public_pages_are_accessible(page: Page, page_problems: PageProblems) -> None:
    page.goto("/accessibility")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for LocalGov Talent Pool"
    )
    expect(page).to_have_title(title("Accessibility statement"))
    assert_accessible(page, "the accessibility statement")

    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(title("Page not found"))
    assert_accessible(page, "the page not found page")

    page.goto("/invitations/not-a-real-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    assert_accessible(page, "the accept invitation page")
    page.get_by_label("Create a password").fill("a-long-enough-password")
    page.get_by_label("Confirm your password").fill("a-long-enough-password")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "the accept invitation page with an error")

    # The footer links to the statement from every page, and the skip link is first.
    page.goto("/sign-in")
    expect(
        page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement")
    ).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert page_problems.items == []


def test_runs_under_the_servers_content_security_policy(
    csp_page: Page, page_problems: PageProblems, live_server: str
) -> None:
    response = csp_page.goto("/sign-in")
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp
    expect(csp_page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert "govuk-frontend-supported" in (csp_page.locator("body").get_attribute("class") or "")
    # GOV.UK Frontend's JavaScript ran: the password input (after the email) has its Show button.
    csp_page.get_by_label("Email address").fill(OFFICER)
    csp_page.get_by_role("button", name="Continue").click()
    expect(csp_page.get_by_role("button", name="Show password")).to_be_visible()
    # The icons and manifest are served.
    for path in ("/favicon.svg", "/favicon.ico", "/manifest.webmanifest", "/icon-192.png"):
        assert csp_page.request.get(f"{live_server}{path}").status == 200, path

    # Each component's JavaScript works under the policy too (a violation is a console error).
    csp_page.set_viewport_size({"width": 320, "height": 800})
    sign_in(csp_page, PETER)
    csp_page.get_by_role("button", name="Menu").click()
    csp_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your profile").click()
    expect(csp_page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(csp_page.locator(".govuk-character-count__status")).to_be_attached()
    csp_page.get_by_role("button", name="Save").click()
    expect(csp_page.locator(".govuk-notification-banner--success")).to_be_focused()
    no_horizontal_scroll(csp_page)
    assert page_problems.items == []


def _consent_withdrawal_built(page: Page) -> bool:
    """Whether the API offers DELETE /officers/me/consent (built in parallel, see the README)."""
    paths = page.request.get("/api/openapi.json").json()["paths"]
    return "delete" in paths.get("/api/v1/officers/me/consent", {})


def test_officer_withdraws_consent_after_checking_what_it_does(
    page: Page, page_problems: PageProblems
) -> None:
    sign_in(page, "hannah.highways@reading.example.gov.uk")  # consented in the demo, booked
    if not _consent_withdrawal_built(page):
        pytest.skip("the API has no DELETE /api/v1/officers/me/consent yet")
    nav_link = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your profile")
    nav_link.click()
    expect(page.locator("#consent-status")).to_contain_text("You gave consent on")
    page.get_by_role("link", name="Withdraw your consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your consent to be listed")
    expect(page.locator("#withdraw-effects")).to_contain_text("hours already booked stand")
    assert_accessible(page, "the page that checks a withdrawal of consent")
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("You have withdrawn your consent")
    expect(banner).to_be_focused()
    expect(page.get_by_role("button", name="I agree")).to_be_visible()
    assert_accessible(page, "the profile page after withdrawing consent")
    # Giving it again is one press; being listed again is her choice, made on the profile (and
    # the journeys after this one book her, so she is listed as the demo left her).
    page.get_by_role("button", name="I agree").click()
    expect(page.locator("#consent-status")).to_contain_text("You gave consent on")
    page.get_by_label("Show my profile to other councils").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Profile saved")
    assert page_problems.items == []
