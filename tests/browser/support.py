"""Helpers for the browser tests: accessibility checks with axe-core, signing in, and
collecting the problems a page has that a person would not see at once."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from app.demo import demo_totp_secret

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
AXE_JS = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DEMO_PASSWORD = "demo-password-2026"
OFFICER = "olivia.officer@westberks.example.gov.uk"
PETER = "peter.planner@westberks.example.gov.uk"  # an officer who has given consent
MANAGER = "mark.manager@westberks.example.gov.uk"  # Peter's and Olivia's line manager
BOOKER = "bob.booker@reading.example.gov.uk"  # a booker at another council (Reading)
COUNCIL_ADMIN = "alice.admin@westberks.example.gov.uk"
COUNCIL_DOMAIN = "westberks.example.gov.uk"


class PageProblems:
    """What went wrong in the page that a person would not see at once: failed requests,
    HTTP errors for files, console errors and uncaught exceptions."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def attach(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.items.append(f"uncaught: {error}"))
        page.on("console", self._on_console)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every HTTP error answer as "Failed to load resource"; API errors
        # (401 before sign-in, 422, 409 …) are expected answers the tests check on the page.
        url = str(message.location.get("url", ""))
        if message.text.startswith("Failed to load resource") and "/api/" in url:
            return
        self.items.append(f"console.error: {message.text} ({url})")

    def _on_request_failed(self, request: Request) -> None:
        # Requests cut short by a navigation (aborted fetches) are not failures of the page.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        self.items.append(f"failed: {request.method} {request.url} {request.failure}")

    def _on_response(self, response: Response) -> None:
        # Files (scripts, styles, icons, manifest) must never fail.
        if response.status >= 400 and "/api/" not in response.url:
            self.items.append(f"HTTP {response.status}: {response.url}")


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation.get("nodes", [])[:10]:
            target = ", ".join(json.dumps(t) for t in node.get("target", []))
            lines.append(f"    at {target}\n      {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, context: str = "") -> None:
    """Runs axe-core on the page as it is now: no WCAG 2.1 A or AA violations allowed."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run npm ci in frontend/", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (tags) => {
            const options = { runOnly: { type: 'tag', values: tags } };
            const results = await window.axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )
    where = f" on {context or page.url}"
    assert not result, (
        f"axe-core found {len(result)} accessibility violation(s){where}:\n{_describe(result)}"
    )


def title(page_title: str) -> str:
    """The document title the SPA sets: page title, an en dash, the service name."""
    return f"{page_title} \N{EN DASH} LocalGov Talent Pool"


def no_horizontal_scroll(page: Page) -> None:
    """The page itself does not scroll sideways (tables scroll inside their own box)."""
    widths = page.evaluate(
        "() => ({ scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth })"
    )
    assert widths["scroll"] <= widths["client"], f"the page scrolls sideways: {widths}"


def actions_on_screen(page: Page) -> None:
    """Nothing a person must press (or fill in) in the page's main part sits past the edges of
    the window: not even inside a box that scrolls sideways, where it would take a sideways
    scroll to reach. Elements not shown (display: none, visually hidden, closed details) are
    left out."""
    off = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const selector = 'main a[href], main button, main input:not([type=hidden]), '
                + 'main select, main textarea, main summary';
            const out = [];
            for (const el of document.querySelectorAll(selector)) {
                const box = el.getBoundingClientRect();
                if (box.width <= 1 || box.height <= 1) continue;
                if (el.closest('.govuk-visually-hidden')) continue;
                if (box.left < -0.5 || box.right > width + 0.5) {
                    const name = (el.textContent || el.getAttribute('name') || el.id || '')
                        .trim().replace(/\\s+/g, ' ').slice(0, 70);
                    out.push(`${el.tagName.toLowerCase()} "${name}"`
                        + ` from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
                }
            }
            return { width, out };
        }"""
    )
    assert not off["out"], (
        f"at {off['width']} px, these are off-screen sideways:\n" + "\n".join(off["out"])
    )


# The authenticator app's secret of each person who signs in with a second factor: the demo's
# (printed by `make run`) unless a journey set one up itself (set_up_two_factor).
TOTP_SECRETS: dict[str, str] = {}
SECOND_FACTOR_REQUIRED = "/problems/second-factor-required"


def totp_secret(email: str) -> str:
    return TOTP_SECRETS.get(email) or demo_totp_secret(email)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Signs in through the sign-in form (email first, then the password, then the code from
    the authenticator app when asked) and waits for the home page (or the page asked for)."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    code = page.get_by_label("Code from your authenticator app")
    page.wait_for_function(
        "() => !location.pathname.startsWith('/sign-in') || document.getElementById('totp')"
    )
    if "/sign-in" in page.url and code.count():
        enter_code(page, email)
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.get_by_role("heading", level=1).wait_for()


def api_sign_in(http: Any, base: str, email: str, password: str = DEMO_PASSWORD) -> Any:
    """Signs in through the API with a `requests`/`httpx` session (the code too, when asked;
    as `enter_code`, the next step's code when this one was just used, or a new one)."""
    body = {"email": email, "password": password}
    answer = http.post(f"{base}/auth/login", json=body, timeout=30)
    if answer.status_code != 401 or answer.json().get("type") != SECOND_FACTOR_REQUIRED:
        return answer
    secret = totp_secret(email)
    for attempt in range(4):
        if attempt == 2:
            time.sleep(30 - time.time() % 30 + 0.5)
        code = pyotp.TOTP(secret).at(time.time() + 30 * (attempt % 2))
        answer = http.post(f"{base}/auth/login", json={**body, "totp": code}, timeout=30)
        if answer.status_code == 200:
            break
    return answer


def enter_code(page: Page, email: str) -> None:
    """Types the authenticator's code on the sign-in page. A code works once: when this
    person's current one was used a moment ago (another test), the next step's is accepted;
    failing that, wait for a new one."""
    secret = totp_secret(email)
    for attempt in range(4):
        if attempt == 2:
            time.sleep(30 - time.time() % 30 + 0.5)
        ahead = attempt % 2
        page.get_by_label("Code from your authenticator app").fill(
            pyotp.TOTP(secret).at(time.time() + 30 * ahead)
        )
        with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/login")) as answer:
            page.get_by_role("button", name="Sign in").click()
        if answer.value.ok:
            page.wait_for_url(lambda url: "/sign-in" not in url)
            return
        page.locator("#totp-error").wait_for()
    pytest.fail(f"the authenticator's code for {email} was refused", pytrace=False)


def set_up_two_factor(page: Page, email: str) -> list[str]:
    """On the set-up page: reads the key shown for typing into an app, confirms a code, and
    returns the recovery codes; ends on the home page."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    secret = page.locator("#secret").inner_text().replace(" ", "")
    TOTP_SECRETS[email] = secret
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    page.get_by_role("button", name="I have saved my codes, continue").click()
    page.wait_for_function("() => location.pathname === '/'")
    page.get_by_role("heading", level=1).wait_for()
    return codes


def invitation_link_path(live_dir: Path, email: str) -> str:
    """The path of the link in the invitation email queued for `email` (read from the outbox
    table of the live server's SQLite file: the worker, which would send it, is not running)."""
    with sqlite3.connect(live_dir / "tp.db") as db:
        rows = db.execute("SELECT payload FROM outbox WHERE kind = 'email'").fetchall()
    for (payload,) in rows:
        message = json.loads(payload)
        if message.get("to") == email:
            match = re.search(r"/invitations/[A-Za-z0-9_-]+", message.get("body", ""))
            if match:
                return match.group(0)
    pytest.fail(f"no invitation email with a link was queued for {email}", pytrace=False)
