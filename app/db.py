"""Engine, sessions, declarative Base and the column types every domain shares."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, Table, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.types import TypeDecorator

from app.config import get_settings
from app.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware, on both engines."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


# How long a SQLite transaction waits for the write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _configure_sqlite(engine: Engine) -> None:
    """pysqlite does not begin transactions the way SQLAlchemy expects: take over BEGIN.

    Writes take the lock up front (BEGIN IMMEDIATE), so two transactions never deadlock
    upgrading a read lock; the busy timeout makes the second writer wait instead of failing.
    Requests that only read pass the execution option `sqlite_begin="DEFERRED"` and never
    wait (WAL). `sqlite_busy_timeout_ms` shortens the wait for one transaction, for writes
    that may be skipped when the lock is busy.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        timeout = int(options.get("sqlite_busy_timeout_ms", SQLITE_BUSY_TIMEOUT_MS))
        if connection.info.get("busy_timeout_ms", SQLITE_BUSY_TIMEOUT_MS) != timeout:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={timeout}")
            connection.info["busy_timeout_ms"] = timeout
        mode = options.get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


@compiles(Table, "sqlite")
def _sqlite_table(element: Table, compiler: Any, **kw: Any) -> str:
    """SQLite's dialect drops table hints; render `select(...).with_hint(T, "INDEXED BY ix",
    "sqlite")` as `FROM t INDEXED BY ix`. Hints for other engines never reach it."""
    text: str = compiler.visit_table(element, **kw)
    hints = kw.get("fromhints")
    if kw.get("asfrom") and hints and element in hints:
        text += f" {hints[element]}"
    return text


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # psycopg prepares a statement on its 5th run on a connection and PostgreSQL then plans it
    # once for any values (a generic plan): a booking's dozen key lookups and writes skip
    # planning, a third of PostgreSQL's CPU per booking. Search, whose plans depend on the
    # values, runs its statements `planned_for_their_values`.
    # No parallel plans: starting workers costs milliseconds that short statements never win
    # back, and a misestimate made one (a recharge reloading 45 fresh invoice lines: 9 ms).
    # Without them the platform's recharge run took 13 s, not 19, the settlement run 1.0 s, not
    # 1.4, a dashboard's p50 17 ms, not 23 (make bench, 1 Dec).
    connect_args = {"options": "-c max_parallel_workers_per_gather=0"}
    connect_args.update(kwargs.pop("connect_args", {}))
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


@contextmanager
def planned_for_their_values(connection: Connection) -> Iterator[Connection]:
    """`connection`, its statements never prepared while inside, so PostgreSQL plans each for
    the values it is given: with a generic plan, which ignores them, search's prefix and range
    conditions went from 4 ms to 400 ms. (SQLite plans every statement anyway.)"""
    driver = connection.connection.driver_connection
    if connection.dialect.name != "postgresql" or driver is None:
        yield connection
        return
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield connection
    finally:
        driver.prepare_threshold = threshold


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    if not settings.database_url.startswith("postgresql"):
        return make_engine(settings.database_url)
    # One pooled connection per request in flight (app/main.py), so no request waits for a
    # connection held by another that waits for a slot; the overflow serves work after answers.
    return make_engine(
        settings.database_url,
        pool_size=settings.requests_in_flight,
        max_overflow=settings.db_pool_overflow,
    )


def make_session_factory(engine: Engine) -> sessionmaker[OrmSession]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def utcnow_default() -> datetime:
    return clock.now()


_REQUEST_CACHE = "request_cache"


def request_cache(session: OrmSession) -> dict[Any, Any]:
    """Values read once per transaction and reused (a request is one transaction): e.g. the
    people a booking concerns, read for its emails and again for its answer. Emptied when the
    transaction ends, so nothing outlives what it was read in. Holding an ORM object here also
    keeps it in the session's (weak) identity map, so `session.get` finds it without SQL."""
    cache: dict[Any, Any] = session.info.setdefault(_REQUEST_CACHE, {})
    return cache


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_request_cache(session: OrmSession, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_REQUEST_CACHE, None)


@contextmanager
def session_scope(factory: sessionmaker[OrmSession]) -> Iterator[OrmSession]:
    """One transaction: commit on success, roll back on error. For the CLI and the worker."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def create_postgres_database(admin_url: str, prefix: str) -> str:
    """Create a fresh, empty PostgreSQL database beside `admin_url`'s; return its URL.

    For tests and benchmarks, which each want a database of their own.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_url(admin_url)
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin_url: str, url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
