"""PostgreSQL connections of the app never start parallel workers: a short statement never wins
back their start-up, and a misestimate gave one (a recharge reloading 45 fresh invoice lines
planned for 15,000 took 9 ms, most of it starting two workers)."""

from __future__ import annotations

import pytest


def test_app_connections_plan_no_parallel_workers(committed_engine, engine_name):
    if engine_name != "postgresql":
        pytest.skip("SQLite runs every statement on the calling thread")
    with committed_engine.connect() as connection:
        setting = connection.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar()
    assert setting == "0"
