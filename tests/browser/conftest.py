"""Fixtures for the browser tests: a real server on a fresh SQLite file, seeded with the demo
data, and Debian's headless Chromium driven by Playwright, with axe-core for accessibility.

The SPA must be built first (`make frontend`, or `cd frontend && npm ci && npm run build`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.support import FRONTEND, PageProblems

DIST_INDEX = FRONTEND / "dist" / "index.html"
BIN = Path(sys.executable).parent
TALENTPOOL = BIN / "talentpool"
CHROMIUM = os.environ.get("TP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@pytest.fixture(scope="session")
def live_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's folder: its SQLite file (tp.db) and its log (server.log)."""
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def live_server(live_dir: Path) -> Iterator[str]:
    """The real app on a free loopback port, over a new SQLite file with the demo data."""
    if not DIST_INDEX.is_file():
        pytest.fail(
            f"{DIST_INDEX} is missing: build the SPA first (make frontend, or "
            "cd frontend && npm ci && npm run build)",
            pytrace=False,
        )
    if not TALENTPOOL.exists():
        pytest.fail(f"{TALENTPOOL} is missing: install the package (make install)", pytrace=False)
    tmp = live_dir
    env = {
        **os.environ,
        "TP_DATABASE_URL": f"sqlite:///{tmp}/tp.db",
        "TP_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    _run([str(TALENTPOOL), "db", "upgrade"], env, tmp)
    _run([str(TALENTPOOL), "seed-demo"], env, tmp)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(TALENTPOOL), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not become healthy at {url}:\n{log_path.read_text()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, live_server: str, page_problems: PageProblems) -> Iterator[Page]:
    """A fresh browser context (no cookies) at desktop width. CSP is bypassed only so that
    axe-core can be injected; the app itself runs under the server's CSP in `csp_page`."""
    context = browser.new_context(
        base_url=live_server,
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page_problems.attach(page)
    yield page
    context.close()


@pytest.fixture
def csp_page(browser: Browser, live_server: str, page_problems: PageProblems) -> Iterator[Page]:
    """A page that obeys the server's Content-Security-Policy (no axe here)."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page_problems.attach(page)
    yield page
    context.close()
