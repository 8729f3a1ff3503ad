"""Identity in the browser: a council admin registers the council's OpenID provider and a new
person signs in through the provider's own login page (a real provider on loopback, the one the
API tests use); a finance officer sets up two-factor sign-in and needs it the next time; a
forgotten password is reset from the email."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.support import (
    COUNCIL_ADMIN,
    COUNCIL_DOMAIN,
    PageProblems,
    assert_accessible,
    enter_code,
    set_up_two_factor,
    sign_in,
)
from tests.browser.test_availability import check_narrow, success_banner
from tests.browser.test_councils import emailed_path
from tests.oidc_provider import Provider, running_provider

pytestmark = pytest.mark.browser

# A domain of West Berkshire's that only this journey uses, so the other journeys' people keep
# signing in with their passwords.
SSO_DOMAIN = f"sso.{COUNCIL_DOMAIN}"
NEW_PERSON = f"nina.new@{SSO_DOMAIN}"
FINANCE = f"fay.finance@{COUNCIL_DOMAIN}"
FIRST_PASSWORD = "fay-finance-phrase-2026"
NEW_PASSWORD = "a-brand-new-phrase-for-fay"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


def _offline_provider_page(page: Page, provider: Provider) -> None:
    """The provider's login page links a stylesheet on a CDN: answered here, so the browser
    reaches nothing beyond loopback; its favicon likewise."""

    def empty(route: Route) -> None:
        kind = "text/css" if route.request.url.endswith(".css") else "image/x-icon"
        route.fulfill(status=200, content_type=kind, body="")

    page.route("https://cdn.jsdelivr.net/**", empty)
    page.route(f"{provider.url}/favicon.ico", empty)


def _api(page: Page) -> tuple[str, dict[str, str]]:
    me = page.request.get("/api/v1/me").json()
    return me["council"]["id"], {"X-CSRF-Token": me["csrf_token"]}


def test_admin_configures_sso_and_a_new_person_signs_in_through_the_provider(
    page: Page, provider: Provider, live_server: str, page_problems: PageProblems
) -> None:
    provider.set_user(NEW_PERSON, name="Nina New")
    _offline_provider_page(page, provider)
    sign_in(page, COUNCIL_ADMIN)
    council, headers = _api(page)
    domains = page.request.get(f"/api/v1/councils/{council}/settings").json()["email_domains"]
    if SSO_DOMAIN not in domains:  # the council's new domain, as its settings page would add
        added = page.request.patch(
            f"/api/v1/councils/{council}/settings",
            data={"email_domains": [*domains, SSO_DOMAIN]},
            headers=headers,
        )
        assert added.ok, added.text()

    page.goto("/council/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("How your people sign in")
    assert_accessible(page, "the sign-in settings")
    check_narrow(page, "the sign-in settings")
    page.get_by_label("Issuer URL").fill(provider.url)
    page.get_by_label("Client ID").fill("talent-pool")
    page.get_by_label("Client secret").fill("the-secret-from-the-provider")
    page.get_by_label(SSO_DOMAIN).check()
    page.get_by_label("People from these domains who have no account yet join as officers").check()
    page.get_by_role("button", name="Save").click()
    success_banner(page, "Sign-in settings saved")

    # A new person at that domain: email first, then the provider's own login page.
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(NEW_PERSON)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{provider.url}/**")
    page.locator("input[name=sub]").fill(NEW_PERSON)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("#signed-in-as")).to_contain_text("Nina New")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("table", name="Where you are signed in")).to_contain_text(
        "council account"
    )
    assert_accessible(page, "the account page after single sign-on")
    assert not page_problems.items, page_problems.items


def test_finance_sets_up_two_factor_needs_it_next_time_resets_a_password_uses_a_recovery_code(
    page: Page, live_dir: Path, page_problems: PageProblems
) -> None:
    sign_in(page, COUNCIL_ADMIN)
    council, headers = _api(page)
    invited = page.request.post(
        f"/api/v1/councils/{council}/invitations",
        data={"email": FINANCE, "name": "Fay Finance", "roles": ["finance"]},
        headers=headers,
    )
    assert invited.ok, invited.text()

    # Fay accepts the invitation: her role needs two-factor sign-in, set up straight away.
    page.context.clear_cookies()
    page.goto(emailed_path(live_dir, FINANCE, "/invitations/"))
    page.get_by_label("Create a password").fill(FIRST_PASSWORD)
    page.get_by_label("Confirm your password").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    assert_accessible(page, "setting up two-factor sign-in")
    check_narrow(page, "setting up two-factor sign-in")
    codes = set_up_two_factor(page, FINANCE)
    assert len(codes) == 10
    expect(page.locator("#signed-in-as")).to_contain_text("Fay Finance")

    # The next time, the password alone is not enough.
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(FINANCE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    assert_accessible(page, "the code step of signing in")
    enter_code(page, FINANCE)
    expect(page.locator("#signed-in-as")).to_contain_text("Fay Finance")

    # She forgets her password: a link by email sets a new one.
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(FINANCE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page, "asking for a reset link")
    page.get_by_label("Email address").fill(FINANCE)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(emailed_path(live_dir, FINANCE, "/password-reset/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page, "choosing a new password")
    page.get_by_label("New password").fill("password1234")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("#password-error")).to_contain_text("common")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    success_banner(page, "Your password has been changed")

    # Her phone is elsewhere: one of the recovery codes she saved signs her in, once.
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(FINANCE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    expect(page.locator("#signed-in-as")).to_contain_text("Fay Finance")
    page.goto("/account")
    expect(page.get_by_text("On (9 recovery codes left)")).to_be_visible()
    assert_accessible(page, "the account page")
    check_narrow(page, "the account page")
    assert not page_problems.items, page_problems.items
