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
from collections.abc import Callable, Iterator
from datetime import date
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


class LiveServer:
    """`talentpool serve` on one loopback port, over one SQLite file. It can be stopped and
    started again with another TP_TODAY (the API contract: "restart the server with a later date
    to move through a booking's life"); the port, and so the tests' base URL, stay the same."""

    def __init__(self, folder: Path, env: dict[str, str], port: int) -> None:
        self.folder = folder
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.today: date | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "server.log"

    def start(self, today: date | None = None) -> None:
        env = dict(self.env)
        env.pop("TP_TODAY", None)
        if today is not None:
            env["TP_TODAY"] = today.isoformat()
        with self.log_path.open("a") as log:
            log.write(f"--- starting, TP_TODAY={env.get('TP_TODAY', '(real date)')}\n")
            log.flush()
            self.process = subprocess.Popen(
                [str(TALENTPOOL), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env,
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.today = today
        deadline = time.monotonic() + 60
        while not _healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log_path.read_text()
                pytest.fail(
                    f"the server did not become healthy at {self.url}:\n{log}", pytrace=False
                )
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self, today: date | None) -> None:
        """Stops the server and starts it again with TP_TODAY=`today` (None: the real date)."""
        self.stop()
        self.start(today)


@pytest.fixture(scope="session")
def server(live_dir: Path) -> Iterator[LiveServer]:
    """The real app on a free loopback port, over a new SQLite file with the demo data."""
    if not DIST_INDEX.is_file():
        pytest.fail(
            f"{DIST_INDEX} is missing: build the SPA first (make frontend, or "
            "cd frontend && npm ci && npm run build)",
            pytrace=False,
        )
    if not TALENTPOOL.exists():
        pytest.fail(f"{TALENTPOOL} is missing: install the package (make install)", pytrace=False)
    port = _free_port()
    env = {
        **os.environ,
        "TP_DATABASE_URL": f"sqlite:///{live_dir}/tp.db",
        "TP_LOG_LEVEL": "WARNING",
        # Links in emails and the officer's calendar address point at this server.
        "TP_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TP_TODAY", None)
    _run([str(TALENTPOOL), "db", "upgrade"], env, live_dir)
    _run([str(TALENTPOOL), "seed-demo"], env, live_dir)
    live = LiveServer(live_dir, env, port)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="session")
def live_server(server: LiveServer) -> str:
    """The live server's base URL."""
    return server.url


@pytest.fixture
def server_today(server: LiveServer) -> Iterator[Callable[[date], None]]:
    """Moves the server's clock: `server_today(date(2027, 7, 1))` restarts the server with
    TP_TODAY=2027-07-01 over the same database. Afterwards the server is restarted with the real
    date, so that later tests find it as it was."""
    moved = False

    def move(day: date) -> None:
        nonlocal moved
        moved = True
        server.restart(day)

    yield move
    if moved:
        server.restart(None)


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
