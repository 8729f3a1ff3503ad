"""The models and the Alembic migrations describe the same schema, on both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, insert, inspect, select
from sqlalchemy.orm import Session

from app.cli import alembic_config
from app.db import make_engine
from app.models import Base
from app.officers.models import Officer
from tests.conftest import dispose_database, fresh_database_url


def test_models_and_migrations_agree(committed_engine):
    with committed_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_downgrade_upgrade(engine_name, tmp_path):
    url = fresh_database_url(engine_name, tmp_path)
    try:
        config = alembic_config(url)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        engine = make_engine(url)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_engine(url)
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        engine.dispose()
        assert {"councils", "users", "audit_events", "officers", "skills"} <= tables
    finally:
        dispose_database(url)


def _rows_at_0007(connection: Connection) -> dict[str, uuid.UUID]:
    """Two councils (one in the agreement) and three officers, written with the tables as they
    were at 0007 (today's models have columns those tables did not have yet)."""
    tables = MetaData()
    tables.reflect(connection)
    # Reflected, SQLite's UUID columns are plain CHAR(32): give it the hex the app stores.
    key = (lambda u: u.hex) if connection.dialect.name == "sqlite" else (lambda u: u)
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    councils = {"accepted": uuid.uuid4(), "outside": uuid.uuid4()}
    for name, council_id in councils.items():
        connection.execute(insert(tables.tables["councils"]).values(
            id=key(council_id), name=f"{name} council", code=name[:6].upper(), nation="England",
            region="London", created_at=now,
        ))
    connection.execute(insert(tables.tables["agreement_acceptances"]).values(
        id=key(uuid.uuid4()), council_id=key(councils["accepted"]), version="2026-1",
        accepted_at=now,
    ))
    people = {
        "consented, accepted": (councils["accepted"], "2026-1"),
        "not consented": (councils["accepted"], None),
        "council outside the pool": (councils["outside"], "2026-1"),
    }
    user_ids = {}
    for n, (name, (council_id, consent)) in enumerate(people.items()):
        user_ids[name] = uuid.uuid4()
        connection.execute(insert(tables.tables["users"]).values(
            id=key(user_ids[name]), email=f"officer{n}@example.gov.uk", name=name,
            council_id=key(council_id), active=True, is_platform_admin=False, created_at=now,
        ))
        connection.execute(insert(tables.tables["officers"]).values(
            id=key(uuid.uuid4()), user_id=key(user_ids[name]), council_id=key(council_id),
            display_name=name,
            job_title="Planner", summary="", visible=True,  # the old default
            consent_version=consent, consented_at=now if consent else None, updated_at=now,
        ))
    return user_ids


def test_0009_unlists_officers_who_never_chose(engine_name, tmp_path):
    """Officers used to be listed by default: after 0009 only those who consented, in a council
    that accepted the agreement, stay listed."""
    url = fresh_database_url(engine_name, tmp_path)
    try:
        config = alembic_config(url)
        command.upgrade(config, "0007")
        engine = make_engine(url)
        with engine.begin() as connection:
            user_ids = _rows_at_0007(connection)
        command.upgrade(config, "head")
        with Session(engine) as session:
            listed = {
                name: session.scalar(
                    select(Officer.visible).where(Officer.user_id == user_id)
                )
                for name, user_id in user_ids.items()
            }
        engine.dispose()
        assert listed == {
            "consented, accepted": True,
            "not consented": False,
            "council outside the pool": False,
        }
    finally:
        dispose_database(url)
