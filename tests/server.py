"""`talentpool serve` as a real process on loopback, for tests that need real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.config import PROJECT_ROOT

TALENTPOOL = str(Path(sys.executable).with_name("talentpool"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(database_url: str, log: Path, **env: str) -> Iterator[str]:
    """Serve `database_url` (already migrated) with extra TP_* settings; yields the base URL."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [TALENTPOOL, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "TP_DATABASE_URL": database_url, "TP_ENVIRONMENT": "test",
                 "TP_LOG_LEVEL": "WARNING", **env},
            cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
