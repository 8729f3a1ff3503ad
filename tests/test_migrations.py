"""The models and the Alembic migrations describe the same schema, on both engines."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from app.cli import alembic_config
from app.db import make_engine
from app.models import Base
from app.officers.models import Officer
from tests.conftest import dispose_database, fresh_database_url
from tests.factories import Factory


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


def test_0009_unlists_officers_who_never_chose(engine_name, tmp_path):
    """Officers used to be listed by default: after 0009 only those who consented, in a council
    that accepted the agreement, stay listed."""
    url = fresh_database_url(engine_name, tmp_path)
    try:
        config = alembic_config(url)
        command.upgrade(config, "0007")
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            make = Factory(session)
            accepted, outside = make.council(), make.council(accepted=False)
            officers = {
                "consented, accepted": make.officer(accepted),
                "not consented": make.officer(accepted, consent=False),
                "council outside the pool": make.officer(outside),
            }
            session.execute(update(Officer).values(visible=True))  # the old default
            session.commit()
        command.upgrade(config, "head")
        with Session(engine) as session:
            listed = {
                name: session.scalar(
                    select(Officer.visible).where(Officer.user_id == member.user.id)
                )
                for name, member in officers.items()
            }
        engine.dispose()
        assert listed == {
            "consented, accepted": True,
            "not consented": False,
            "council outside the pool": False,
        }
    finally:
        dispose_database(url)
