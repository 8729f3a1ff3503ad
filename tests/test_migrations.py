"""The models and the Alembic migrations describe the same schema, on both engines."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.cli import alembic_config
from app.db import make_engine
from app.models import Base
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
