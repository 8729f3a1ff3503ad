"""Fixtures shared by every test.

`--db=sqlite|postgresql` picks the engine (the Makefile runs the suite on both). The database
is built once per session by the Alembic migrations (never create_all); each test runs inside
a transaction that is rolled back, while tests of concurrency use `committed_engine` and
really commit (they make their own councils, so they never collide with other tests).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import State

os.environ.setdefault("TP_ENVIRONMENT", "test")
os.environ.setdefault("TP_LOG_LEVEL", "WARNING")

from alembic import command

from app.cli import alembic_config
from app.db import create_postgres_database as _create_pg
from app.db import drop_postgres_database as _drop_pg
from app.db import make_engine, make_session_factory
from app.main import create_app
from tests.factories import Factory

POSTGRES_ADMIN_URL = os.environ.get(
    "TP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("TP_TEST_DB", "sqlite"),
        help="database engine for the tests",
    )


def create_postgres_database(prefix: str = "tp_test") -> str:
    return _create_pg(POSTGRES_ADMIN_URL, prefix)


def drop_postgres_database(url: str) -> None:
    _drop_pg(POSTGRES_ADMIN_URL, url)


def fresh_database_url(engine_name: str, tmp: Path) -> str:
    if engine_name == "sqlite":
        return f"sqlite:///{tmp / f'tp-{uuid.uuid4().hex[:8]}.db'}"
    return create_postgres_database()


def dispose_database(url: str) -> None:
    if url.startswith("postgresql"):
        drop_postgres_database(url)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that asks for no database (no fixture under `engine_name`) answers the same on
    both engines: the PostgreSQL run leaves it to the SQLite run."""
    if config.getoption("--db") != "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (kept if "engine_name" in getattr(item, "fixturenames", ()) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def database_url(engine_name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url(engine_name, tmp_path_factory.mktemp("db"))
    command.upgrade(alembic_config(url), "head")
    yield url
    dispose_database(url)


@pytest.fixture(scope="session")
def committed_engine(database_url: str) -> Iterator[Engine]:
    """An engine whose transactions really commit: for tests of concurrency."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(committed_engine: Engine) -> Iterator[Connection]:
    connection = committed_engine.connect()
    transaction = connection.begin()
    if connection.dialect.name == "postgresql":
        # This transaction never commits, so the triggers PostgreSQL defers to commit (people
        # search's kept figures, migration 0019) run at the end of each statement instead.
        connection.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    yield connection
    transaction.rollback()
    connection.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions that commit to savepoints inside the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()


@pytest.fixture(scope="session")
def _shared_app(committed_engine: Engine) -> FastAPI:
    """One app per test process: including the routers makes FastAPI analyse every endpoint's
    signature (0.3-0.7 s an app), which was most of a short test's cost."""
    return create_app(session_factory=make_session_factory(committed_engine))


@pytest.fixture
def app(_shared_app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[FastAPI]:
    """The shared app on this test's transaction; its state and overrides are put back after."""
    state = dict(_shared_app.state._state)
    _shared_app.state.session_factory = session_factory
    yield _shared_app
    _shared_app.state = State(state)
    _shared_app.dependency_overrides.clear()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def make(db: Session) -> Factory:
    return Factory(db)
