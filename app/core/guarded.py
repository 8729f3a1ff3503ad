"""Guarded UPDATEs (DESIGN.md rule 9): "this statement must change exactly N rows".

A guarded UPDATE repeats its precondition in its WHERE clause (`... WHERE id = :id AND
status = 'draft'`), so the database, not this process, decides who wins a race: on PostgreSQL
READ COMMITTED re-evaluates the WHERE against the row another transaction just committed, on
SQLite there is one writer at a time. The loser matches no row, and that is only visible in
the row count. Every guarded UPDATE in the code goes through one of these two functions, so no
caller can forget to look:

- `guarded(session, stmt, rows=N, conflict="...")` raises `Conflict` (409) unless exactly N rows
  changed, and returns the RETURNING rows when the statement has any;
- `claimed(session, stmt, rows=N)` answers True or False, for the few callers for which losing
  is an ordinary outcome with its own answer (a capacity hold that does not fit, a lease another
  worker took, a webhook another delivery handled); `claimed_rows` is the same with the
  statement's RETURNING rows (None when it lost), for a caller that finds the row it changes
  by the statement itself (a booking's hold of its week).

With RETURNING, the rows that came back are counted (SQLite and psycopg do not always keep
`rowcount` for such statements); otherwise the cursor's `rowcount`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from app.core.errors import Conflict

DEFAULT_CONFLICT = "This changed at the same time as your request. Reload and try again."


def _execute(
    session: Session, statement: UpdateBase, values: Mapping[str, Any] | None = None
) -> tuple[int, Sequence[Row[Any]]]:
    result = session.execute(statement, values)
    # The statement's own RETURNING, not the result's: synchronize_session="fetch" may add a
    # RETURNING of its own that the ORM consumes.
    if len(statement.exported_columns):
        rows = result.all()
        return len(rows), rows
    assert isinstance(result, CursorResult)
    return int(result.rowcount), ()


def claimed(session: Session, statement: UpdateBase, *, rows: int = 1) -> bool:
    """Run a guarded UPDATE; True when it changed exactly `rows` rows."""
    count, _ = _execute(session, statement)
    return count == rows


def claimed_rows(
    session: Session,
    statement: UpdateBase,
    values: Mapping[str, Any] | None = None,
    *,
    rows: int = 1,
) -> Sequence[Row[Any]] | None:
    """Run a guarded UPDATE with RETURNING (with `values` for its bound parameters, when it is
    built once); its rows when it changed exactly `rows`, else None."""
    assert len(statement.exported_columns), "claimed_rows needs a RETURNING clause"
    count, returned = _execute(session, statement, values)
    return returned if count == rows else None


def guarded(
    session: Session,
    statement: UpdateBase,
    *,
    rows: int = 1,
    conflict: str = DEFAULT_CONFLICT,
) -> Sequence[Row[Any]]:
    """Run a guarded UPDATE that must change exactly `rows` rows, else 409 `conflict`.

    Returns what its RETURNING clause gave (nothing without one). The caller's transaction is
    left to the request: the Conflict rolls it back, so nothing of the losing change remains.
    """
    count, returned = _execute(session, statement)
    if count != rows:
        raise Conflict(conflict)
    return returned
