"""Idempotency-Key handling (DESIGN.md rule 7): the same key and body replays the first answer;
the same key with another body is refused with 422."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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


def begin(
    session: Session, user_id: uuid.UUID, scope: str, key: str, digest: str
) -> StoredResponse | None:
    """Reserve the key in this transaction, or return the answer already given for it.

    A concurrent request holding the same key makes this wait until it commits (then its answer
    is replayed) or rolls back (then this request goes ahead).
    """
    row = _existing(session, user_id, scope, key)
    if row is not None:
        return _replay(row, digest)
    try:
        with session.begin_nested():
            session.add(IdempotencyKey(user_id=user_id, scope=scope, key=key, request_hash=digest))
    except IntegrityError:
        row = _existing(session, user_id, scope, key)
        if row is None:  # pragma: no cover - the other request rolled back in between
            raise
        return _replay(row, digest)
    return None


def finish(
    session: Session,
    user_id: uuid.UUID,
    scope: str,
    key: str,
    status_code: int,
    body: dict[str, Any],
) -> None:
    """Store the answer in the same transaction as the change it describes."""
    row = _existing(session, user_id, scope, key)
    assert row is not None
    row.status_code = status_code
    row.response_body = body
    session.flush()
