"""`talentpool run` (what `make run` starts): the server and the worker together, as real
processes, on a port of our choosing; links follow the port; one Ctrl+C stops both."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.supervisor import environment_for, public_url_for
from tests.auth.helpers import code_for
from tests.conftest import dispose_database, fresh_database_url
from tests.smtp import SmtpServer, free_port, wait_until

TALENTPOOL = str(Path(sys.executable).with_name("talentpool"))
PASSWORD = "a-long-enough-password-2026"


@pytest.fixture
def run_db(engine_name: str, tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(engine_name, tmp_path)
    yield url
    dispose_database(url)


def _cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [TALENTPOOL, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid ...": the name may hold spaces, so split after the ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_healthy(url: str, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "talentpool run stopped before it served"
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not become healthy in {timeout}s")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_run_serves_on_the_port_asked_runs_the_worker_and_stops_with_one_ctrl_c(
    run_db: str,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TP_")}
    env["TP_DATABASE_URL"] = run_db
    _cli(env, "db", "upgrade")
    _cli(env, "admin", "create-council", "--name", "Newtown Council", "--code", "NWT",
         "--nation", "Wales", "--region", "Wales")
    _cli(env, "admin", "create-user", "--email", "admin@newtown.example.gov.uk", "--name",
         "Ada Admin", "--council", "NWT", "--role", "council_admin", "--password", PASSWORD)
    port = free_port()
    with SmtpServer() as smtp:
        env.update(PORT=str(port), TP_EMAIL_BACKEND="smtp", TP_SMTP_URL=smtp.url)
        process = subprocess.Popen(
            [TALENTPOOL, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process)
            children = _children(process.pid)
            assert len(children) == 2, children

            # The worker delivers what the server queued, and the link names this port.
            with httpx.Client(base_url=f"{url}/api/v1", timeout=30) as http:
                login = http.post("/auth/login", json={
                    "email": "admin@newtown.example.gov.uk", "password": PASSWORD})
                assert login.status_code == 200, login.text
                council = login.json()["user"]["council"]["id"]
                headers = {"X-CSRF-Token": login.json()["csrf_token"]}
                # A council admin sets up two-factor sign-in before anything else.
                secret = http.post("/auth/totp", headers=headers).json()["secret"]
                confirmed = http.post(
                    "/auth/totp/confirm", json={"code": code_for(secret)}, headers=headers
                )
                assert confirmed.status_code == 200, confirmed.text
                invited = http.post(
                    f"/councils/{council}/invitations",
                    json={"email": "new.person@newtown.example.gov.uk", "name": "Nia New",
                          "roles": ["officer"]},
                    headers=headers,
                )
                assert invited.status_code == 201, invited.text
            wait_until(lambda: len(smtp.mailbox.received) == 1, timeout=60,
                       what="the worker to deliver the invitation")
            assert f"{url}/invitations/" in smtp.mailbox.received[0].body

            # One Ctrl+C stops both, and nothing is left behind.
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == 0
            output = process.stdout.read() if process.stdout else ""
            assert f"Serving on {url}" in output
            assert "worker.stopped" in output
            assert not [pid for pid in children if _alive(pid)]
        finally:
            _stop(process)


def test_run_stops_the_worker_when_the_server_cannot_start(run_db: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TP_")}
    env["TP_DATABASE_URL"] = run_db
    _cli(env, "db", "upgrade")
    with SmtpServer() as taken:  # something already listens on the port
        env["PORT"] = str(taken.port)
        process = subprocess.Popen(
            [TALENTPOOL, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert process.wait(timeout=120) != 0
            output = process.stdout.read() if process.stdout else ""
            assert "the server stopped" in output
            assert "worker.stopped" in output
        finally:
            _stop(process)


def test_the_public_url_follows_the_port_unless_configured() -> None:
    assert public_url_for("127.0.0.1", 8001) == "http://127.0.0.1:8001"
    assert public_url_for("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert public_url_for("::", 8000) == "http://[::1]:8000"
    env = environment_for({"PATH": "/bin"}, False, "127.0.0.1", 8123)
    assert env == {"PATH": "/bin", "TP_PUBLIC_URL": "http://127.0.0.1:8123"}
    configured = {"TP_PUBLIC_URL": "https://talentpool.example.gov.uk"}
    assert environment_for(configured, True, "0.0.0.0", 8123) == configured


def test_the_openapi_document_is_written_for_the_spas_types(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = subprocess.run(
        [sys.executable, "-m", "app.openapi", str(target)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(target.read_text(encoding="utf-8"))
    me = document["components"]["schemas"]["MeOut"]["properties"]
    assert {"today", "current_week"} <= set(me)
    assert "/api/v1/me" in document["paths"]
