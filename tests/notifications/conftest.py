"""Fixtures for delivering the outbox: a real SMTP server and sessions that really commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_session_factory
from tests.smtp import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def outbox_sessions(committed_engine: Engine) -> sessionmaker[Session]:
    """Sessions of their own, as a worker has: what they write is committed for everyone.

    The committed database is shared by the whole test session, so each test tags its
    messages (`tag`) and only looks at those.
    """
    return make_session_factory(committed_engine)


@pytest.fixture
def tag() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"
