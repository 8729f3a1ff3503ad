"""The SQL statements an engine runs while a block runs, for tests that count them (issue 16),
so that what a request costs cannot creep back up unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session


@contextmanager
def statements(target: Engine | Connection | Session) -> Iterator[list[str]]:
    """Each statement on one line (of a Session: of what it is bound to); the test's own
    SAVEPOINTs are left out."""
    seen: list[str] = []
    engine = target.get_bind() if isinstance(target, Session) else target

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE")):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
