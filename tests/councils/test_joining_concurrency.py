"""One open join request per council and email, under real concurrency: threads on separate
connections asking at once make one request (the partial unique index decides), and every
one of them gets the same answer."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.councils import joining
from app.councils.models import JoinRequest
from app.db import make_engine
from tests.factories import Factory

THREADS = 8


@pytest.fixture
def wide_engine(database_url):
    engine = make_engine(database_url, pool_size=THREADS, max_overflow=0)
    yield engine
    engine.dispose()


def test_racing_identical_requests_make_one(committed_engine, wide_engine):
    with Session(committed_engine, expire_on_commit=False) as session:
        council = Factory(session).council(accepted=False)
    email = f"racer.{uuid.uuid4().hex[:8]}@race.example.gov.uk"
    factory = sessionmaker(bind=wide_engine, expire_on_commit=False)
    barrier = threading.Barrier(THREADS)

    def ask(n: int) -> str:
        barrier.wait()
        with factory() as session:
            try:
                joining.request_to_join(session, council.code, "Racer", "HR", email, f"10.0.0.{n}")
                session.commit()
                return "ok"
            except Exception as exc:  # a lost race must not surface as an error
                session.rollback()
                return repr(exc)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(THREADS)))
    assert answers == ["ok"] * THREADS
    with Session(committed_engine) as session:
        made = session.scalar(
            select(func.count()).select_from(JoinRequest).where(JoinRequest.email == email)
        )
    assert made == 1
