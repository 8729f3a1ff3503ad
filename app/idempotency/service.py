"""Idempotency-Key handling (DESIGN.md rule 7): the same key and body replays the first answer;
the same key with another body is refused with 422."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import JSON, Integer, Table, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from app.core import clock
from app.core.errors import InvalidInput
from app.idempotency.models import IdempotencyKey

HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: dict[str, Any]


def request_hash(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _existing(session: Session, user_id: uuid.UUID, scope: str, key: str) -> IdempotencyKey | None:
    stmt = (
        select(IdempotencyKey)
        .where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
        )
        .execution_options(populate_existing=True)
    )
    return session.scalar(stmt)


def _replay(row: IdempotencyKey, digest: str) -> StoredResponse:
    if row.request_hash != digest:
        raise InvalidInput(
            "This Idempotency-Key was already used for a different request. Use a new key.",
            ["header", HEADER],
        )
    assert row.status_code is not None and row.response_body is not None
    return StoredResponse(row.status_code, row.response_body)


def _reserve(session: Session, user_id: uuid.UUID, scope: str, key: str, digest: str) -> bool:
    """Insert the key unless it exists: one statement, no savepoint. A row another transaction
    holds uncommitted makes PostgreSQL wait for it (SQLite's writes already queue), then this
    inserts nothing if it committed."""
    values = {
        "user_id": user_id,
        "scope": scope,
        "key": key,
        "request_hash": digest,
        "created_at": clock.now(),
    }
    stmt = _reserving(session.get_bind().dialect.name)
    return session.execute(stmt, values).first() is not None


# The statements every keyed request runs, built once (not their construction and cache key
# per request); the values are bound when they run.
@cache
def _reserving(dialect: str) -> UpdateBase:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = cast(Table, IdempotencyKey.__table__)
    # The columns come from the values it runs with.
    return insert(keys).on_conflict_do_nothing().returning(keys.c.key)


@cache
def _finishing() -> Update:
    return (
        update(IdempotencyKey)
        .where(
            IdempotencyKey.user_id == bindparam("key_user_id"),
            IdempotencyKey.scope == bindparam("key_scope"),
            IdempotencyKey.key == bindparam("key_key"),
        )
        .values(
            status_code=bindparam("answer_status", type_=Integer),
            response_body=bindparam("answer_body", type_=JSON),
        )
        .execution_options(synchronize_session=False)
    )


def begin(
    session: Session, user_id: uuid.UUID, scope: str, key: str, digest: str
) -> StoredResponse | None:
    """Reserve the key in this transaction, or return the answer already given for it.

    A concurrent request holding the same key makes this wait until it commits (then its answer
    is replayed) or rolls back (then this request goes ahead).
    """
    if _reserve(session, user_id, scope, key, digest):
        return None
    row = _existing(session, user_id, scope, key)
    assert row is not None  # a committed row conflicted, and keys are never deleted mid-request
    return _replay(row, digest)


def finish(
    session: Session,
    user_id: uuid.UUID,
    scope: str,
    key: str,
    status_code: int,
    body: dict[str, Any],
) -> None:
    """Store the answer in the same transaction as the change it describes."""
    values = {
        "key_user_id": user_id,
        "key_scope": scope,
        "key_key": key,
        "answer_status": status_code,
        "answer_body": body,
    }
    assert session.execute(_finishing(), values).rowcount == 1  # type: ignore[attr-defined]
