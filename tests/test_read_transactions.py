"""Readers never wait for writers: requests that only read begin a deferred transaction on
SQLite (WAL readers go on while a writer holds the lock), writes keep BEGIN IMMEDIATE, and the
session touch of a read happens in a short write of its own. Real commits, a real server,
real threads; the same tests on PostgreSQL, where readers never waited."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from app.auth import credentials, totp
from app.auth.models import AuthSession
from app.core import clock
from app.db import make_session_factory
from app.main import create_app
from tests.auth.helpers import code_for
from tests.factories import PASSWORD, Factory
from tests.server import running_server

READERS = 8
WAIT = 20  # seconds a request may take before we call it stalled (the busy timeout is 30)


@pytest.fixture
def people(committed_engine):
    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        council = make.council()
        admins = [make.user(council, "council_admin") for _ in range(READERS)]
        for admin in admins:  # council admins sign in with a second factor
            credentials.enrol_with_secret(session, admin.user, SECRET)
        session.commit()
        return {"council": council, "admins": admins}


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """One server for the module (starting one costs seconds); each test makes its own council."""
    log = tmp_path_factory.mktemp("reads") / "server.log"
    with running_server(database_url, log) as base:
        yield base


SECRET = totp.new_secret()


def _credentials(member) -> dict[str, str]:
    """Password and the authenticator's code (each admin signs in once per test)."""
    return {"email": member.user.email, "password": PASSWORD, "totp": code_for(SECRET)}


def _login(base: str, member) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=WAIT)
    response = client.post("/api/v1/auth/login", json=_credentials(member))
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def _age_sessions(engine, members, minutes: int = 5) -> None:
    """Make the members' sessions last seen `minutes` ago, so the next request touches them."""
    with engine.begin() as connection:
        connection.execute(
            update(AuthSession)
            .where(AuthSession.user_id.in_([m.user.id for m in members]))
            .values(last_seen_at=clock.now() - timedelta(minutes=minutes))
        )


def _last_seen(engine, member):
    with engine.connect() as connection:
        return connection.scalar(
            select(AuthSession.last_seen_at).where(AuthSession.user_id == member.user.id)
        )


class HeldWriteLock:
    """Another connection in the middle of a write: SQLite's write lock (BEGIN IMMEDIATE),
    and on PostgreSQL a row lock on the council's settings."""

    def __init__(self, engine, council_id):
        self.connection = engine.connect()
        self.connection.begin()
        self.connection.execute(
            text("UPDATE council_settings SET payment_terms_days = payment_terms_days "
                 "WHERE council_id = :id"),
            {"id": council_id.hex if engine.dialect.name == "sqlite" else council_id},
        )

    def release(self):
        self.connection.rollback()
        self.connection.close()


def test_reads_go_on_while_a_writer_holds_the_lock(committed_engine, people, server):
    council_id = people["council"].id
    clients = [_login(server, admin) for admin in people["admins"]]
    _age_sessions(committed_engine, people["admins"])  # each read also has a touch due
    lock = HeldWriteLock(committed_engine, council_id)
    try:
        with ThreadPoolExecutor(READERS) as pool:
            answers = list(pool.map(
                lambda c: c.get(f"/api/v1/councils/{council_id}/settings"), clients
            ))
        assert [a.status_code for a in answers] == [200] * READERS
    finally:
        lock.release()
    # a touch that found the lock busy gave up; the session's next read touches it
    for c in clients:
        assert c.get("/api/v1/me").status_code == 200
        c.close()
    deadline = time.monotonic() + WAIT
    while any(
        clock.now() - _last_seen(committed_engine, m) > timedelta(minutes=1)
        for m in people["admins"]
    ):
        assert time.monotonic() < deadline, "the sessions were never touched"
        time.sleep(0.1)


def test_touches_and_writes_race_without_errors(committed_engine, people, server):
    """Reads due a touch and writes from the same sessions, all at once, many times over."""
    clients = [_login(server, admin) for admin in people["admins"]]
    council_id = people["council"].id
    errors: list[str] = []
    barrier = threading.Barrier(len(clients) * 2)

    def reads(client):
        barrier.wait()
        for _ in range(10):
            answer = client.get("/api/v1/me")
            if answer.status_code != 200:
                errors.append(f"GET {answer.status_code} {answer.text[:200]}")

    def writes(client):
        barrier.wait()
        for n in range(10):
            answer = client.patch(
                f"/api/v1/councils/{council_id}/settings", json={"payment_terms_days": 20 + n}
            )
            if answer.status_code != 200:
                errors.append(f"PATCH {answer.status_code} {answer.text[:200]}")

    for _round in range(2):
        _age_sessions(committed_engine, people["admins"])
        threads = [threading.Thread(target=reads, args=(c,)) for c in clients]
        threads += [threading.Thread(target=writes, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        barrier.reset()
    assert errors == []
    for c in clients:
        c.close()


def test_reads_begin_deferred_and_writes_immediate(committed_engine, people):
    if committed_engine.dialect.name != "sqlite":
        pytest.skip("BEGIN modes are SQLite's")
    begins: list[str] = []

    def capture(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    admin = people["admins"][0]
    council_id = people["council"].id
    app = create_app(session_factory=make_session_factory(committed_engine))
    event.listen(committed_engine, "before_cursor_execute", capture)
    try:
        with TestClient(app) as client:
            begins.clear()
            assert client.get(f"/api/v1/councils/{council_id}/settings",
                              headers=admin.headers).status_code == 200
            read = list(begins)
            begins.clear()
            assert client.patch(f"/api/v1/councils/{council_id}/settings",
                                json={"payment_terms_days": 14},
                                headers=admin.headers).status_code == 200
            written = list(begins)
    finally:
        event.remove(committed_engine, "before_cursor_execute", capture)
    assert read == ["BEGIN DEFERRED"]
    assert written == ["BEGIN IMMEDIATE"]


def test_a_read_marks_its_session_seen(committed_engine, people):
    """In-process: the touch of a read happens (after the answer), exactly as writes do it."""
    admin = people["admins"][0]
    app = create_app(session_factory=make_session_factory(committed_engine))
    with TestClient(app) as client:
        login = client.post("/api/v1/auth/login", json=_credentials(admin))
        assert login.status_code == 200
        _age_sessions(committed_engine, [admin])
        before = _last_seen(committed_engine, admin)
        assert client.get("/api/v1/me").status_code == 200
        assert _last_seen(committed_engine, admin) > before
        again = _last_seen(committed_engine, admin)
        assert client.get("/api/v1/me").status_code == 200  # not due: no write at all
        assert _last_seen(committed_engine, admin) == again
