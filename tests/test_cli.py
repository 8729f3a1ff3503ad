"""The `talentpool` command line, run as a real process against a fresh database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.councils.models import Council
from app.db import make_engine
from tests.conftest import dispose_database, fresh_database_url

REGISTER = (
    Path(__file__).resolve().parents[1] / "app" / "councils" / "data" / "uk-local-authorities.csv"
)
TALENTPOOL = str(Path(sys.executable).with_name("talentpool"))


@pytest.fixture
def cli_db(engine_name, tmp_path):
    url = fresh_database_url(engine_name, tmp_path)
    yield url
    dispose_database(url)


def run(url, *args, input_text=None):
    env = {**os.environ, "TP_DATABASE_URL": url}
    result = subprocess.run(
        [TALENTPOOL, *args], env=env, capture_output=True, text=True, input=input_text, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_cli_end_to_end(cli_db):
    run(cli_db, "db", "upgrade")
    first = run(cli_db, "councils", "import", str(REGISTER))
    assert "created 397" in first
    second = run(cli_db, "councils", "import", str(REGISTER))
    assert "created 0, updated 0, unchanged 397" in second
    run(
        cli_db,
        "admin",
        "create-council",
        "--name",
        "Newtown Council",
        "--code",
        "NWT",
        "--nation",
        "Wales",
        "--region",
        "Wales",
    )
    run(
        cli_db,
        "admin",
        "create-user",
        "--email",
        "Ann@Newtown.gov.uk",
        "--name",
        "Ann",
        "--password",
        "a-good-long-password",
        "--council",
        "NWT",
        "--role",
        "council_admin",
        "--role",
        "officer",
    )
    demo = run(cli_db, "seed-demo")
    assert "olivia.officer@westberks.example.gov.uk" in demo
    assert run(cli_db, "seed-demo") == demo  # idempotent
    engine = make_engine(cli_db)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Council)) == 398
        ann = connection.execute(select(User).where(User.email == "ann@newtown.gov.uk")).one()
        assert ann.password_hash.startswith("$argon2id$")
    engine.dispose()


def test_cli_refuses_bad_input(cli_db):
    run(cli_db, "db", "upgrade")
    env = {**os.environ, "TP_DATABASE_URL": cli_db}
    bad = subprocess.run(
        [
            TALENTPOOL,
            "admin",
            "create-council",
            "--name",
            "X",
            "--code",
            "bad code",
            "--nation",
            "England",
            "--region",
            "London",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
