"""Request bodies: too big → 413 before reading, too slow → 408, and slow bodies never hold the
slots that other requests need. Against a real `talentpool serve` on loopback."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from alembic import command
from fastapi.testclient import TestClient

from app.cli import alembic_config
from app.config import Settings
from app.main import create_app
from tests.conftest import dispose_database, fresh_database_url
from tests.server import running_server

# More connections than the per-process request limit on either engine (4 SQLite, 30 PostgreSQL).
TRICKLERS = 34
BODY_TIMEOUT = "3"


@pytest.fixture(scope="module")
def server(engine_name, tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("limits")
    url = fresh_database_url(engine_name, tmp)
    command.upgrade(alembic_config(url), "head")
    try:
        with running_server(url, tmp / "server.log", TP_BODY_TIMEOUT_SECONDS=BODY_TIMEOUT) as base:
            yield base
    finally:
        dispose_database(url)


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=20)
    return sock


def _head(path: str, length: int | None = None, chunked: bool = False) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(sock: socket.socket) -> int:
    """The status code of the answer on `sock` (waits for it)."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_slow_bodies_do_not_stall_the_server(server):
    """More connections than the request limit trickle bodies into the login; /api/ping and
    /api/health still answer at once, and each trickler gets 408 after the body timeout."""
    socks = [_connect(server) for _ in range(TRICKLERS)]
    stop = threading.Event()

    def trickle() -> None:
        while not stop.is_set():
            for sock in socks:
                with contextlib.suppress(OSError):  # answered (408) and closed
                    sock.send(b" ")
            stop.wait(0.2)

    for sock in socks:
        sock.sendall(_head("/api/v1/auth/login", length=100_000) + b"{")
    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        for _ in range(5):
            assert httpx.get(f"{server}/api/ping", timeout=5).status_code == 200
            assert httpx.get(f"{server}/api/health", timeout=5).status_code == 200
        statuses = [_status(sock) for sock in socks]
    finally:
        stop.set()
        trickler.join()
        for sock in socks:
            sock.close()
    assert statuses == [408] * TRICKLERS


def test_an_oversized_body_is_refused_before_it_is_read(server):
    with _connect(server) as sock:
        sock.sendall(_head("/api/v1/auth/login", length=100_000_000) + b'{"email":')
        assert _status(sock) == 413  # without the other 99.99 MB ever being sent
    assert httpx.get(f"{server}/api/ping", timeout=5).status_code == 200


def test_an_oversized_chunked_body_is_refused_as_it_arrives(server):
    chunk = b"x" * 65536
    with _connect(server) as sock:
        sock.sendall(_head("/api/v1/auth/login", chunked=True))
        try:
            for _ in range(40):  # 2.5 MB, over the 1 MB limit
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass  # refused and closed while we were still sending
        assert _status(sock) == 413


def test_bodies_within_the_limit_are_read_as_before(server):
    response = httpx.post(
        f"{server}/api/v1/auth/login",
        json={"email": "nobody@example.gov.uk", "password": "x" * 20, "pad": "y" * 500_000},
        timeout=10,
    )
    assert response.status_code == 422  # the unknown field, so the body was read and parsed


def test_the_limit_is_a_setting_and_the_webhook_has_its_own(session_factory):
    settings = Settings(max_body_bytes=1000, webhook_max_body_bytes=5000)
    app = create_app(settings, session_factory=session_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        big = client.post("/api/v1/auth/login", content=b"{" + b" " * 2000 + b"}",
                          headers={"Content-Type": "application/json"})
        assert big.status_code == 413
        assert big.headers["content-type"].startswith("application/problem+json")
        assert big.headers["x-request-id"]
        hook = client.post("/api/v1/payments/stripe/webhook", content=b"{" + b" " * 2000 + b"}")
        assert hook.status_code != 413
        too_big_hook = client.post("/api/v1/payments/stripe/webhook", content=b" " * 6000)
        assert too_big_hook.status_code == 413
