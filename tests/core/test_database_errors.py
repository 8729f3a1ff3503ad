"""Unhandled database errors become problem+json, and the connection stays usable.

Each test runs a real app on a database of its own (the tests change its schema or stop its
connections), with a pool of one connection, so the request after the failure proves the same
connection came back usable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from app.cli import alembic_config
from app.db import make_engine, make_session_factory
from app.main import create_app
from tests.conftest import dispose_database, fresh_database_url
from tests.factories import Factory


@pytest.fixture
def own_database(engine_name, tmp_path) -> Iterator[str]:
    url = fresh_database_url(engine_name, tmp_path)
    command.upgrade(alembic_config(url), "head")
    yield url
    dispose_database(url)


@pytest.fixture
def one_connection_app(own_database):
    engine = make_engine(own_database, poolclass=QueuePool, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    with factory() as session:
        member = Factory(session).user(Factory(session).council(), "booker")
    yield create_app(session_factory=factory), member, engine
    engine.dispose()


def _rename(engine, old: str, new: str) -> None:
    with engine.connect() as connection:
        connection.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
        connection.commit()


def test_a_database_error_is_a_500_problem_with_the_request_id(one_connection_app, own_database):
    app, member, engine = one_connection_app
    outside = make_engine(own_database)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/v1/skills", headers=member.headers).status_code == 200
        _rename(outside, "skills", "skills_away")
        try:
            broken = client.get(
                "/api/v1/skills", headers={**member.headers, "X-Request-ID": "req-0123456789"}
            )
        finally:
            _rename(outside, "skills_away", "skills")
        assert broken.status_code == 500, broken.text
        assert broken.headers["content-type"].startswith("application/problem+json")
        assert broken.headers["x-request-id"] == "req-0123456789"
        body = broken.json()
        assert body["request_id"] == "req-0123456789"
        assert "skills" not in body["detail"]  # no SQL leaks out
        # the pool's only connection was rolled back and returned: the next request uses it
        again = client.get("/api/v1/skills", headers=member.headers)
        assert again.status_code == 200, again.text
        assert engine.pool.checkedout() == 0
    outside.dispose()


@pytest.mark.parametrize("url", ["sqlite", "postgresql"])
def test_an_unreachable_database_is_a_503_problem(tmp_path, url):
    if url == "sqlite":
        url = f"sqlite:///{tmp_path}/no/such/dir/tp.db"
        engine = make_engine(url)
    else:
        engine = make_engine(
            "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
        )
    app = create_app(session_factory=make_session_factory(engine))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer tp_x"})
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_a_connection_killed_mid_request_is_a_503_and_the_pool_recovers(
    engine_name, one_connection_app, own_database
):
    """PostgreSQL: the server ends the app's connection while a request waits on a lock."""
    if engine_name != "postgresql":
        pytest.skip("SQLite has no server to end a connection")
    app, member, _engine = one_connection_app
    outside = make_engine(own_database)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/v1/skills", headers=member.headers).status_code == 200
        locker = outside.connect()
        locker.execute(text("LOCK TABLE skills IN ACCESS EXCLUSIVE MODE"))
        answers = []
        request = threading.Thread(
            target=lambda: answers.append(client.get("/api/v1/skills", headers=member.headers))
        )
        request.start()
        with outside.connect() as killer:
            waiting = 0
            while not waiting:  # until the request is blocked on the lock, then end it
                time.sleep(0.05)
                waiting = killer.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                        "AND pid <> pg_backend_pid()"
                    )
                ).rowcount
        request.join(timeout=30)
        locker.rollback()
        locker.close()
        [killed] = answers
        assert killed.status_code == 503, killed.text
        assert killed.json()["request_id"] == killed.headers["x-request-id"]
        again = client.get("/api/v1/skills", headers=member.headers)
        assert again.status_code == 200, again.text
    outside.dispose()
