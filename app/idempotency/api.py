"""Idempotency-Key at the HTTP edge (DESIGN.md rule 7): one dependency, so services keep plain
signatures.

A router that creates money or bookings takes `once: Annotated[Once, Depends(idempotent(
"scope"))]` and answers with `once.replay or once.respond(model, status)`:

- no key: `replay` is None and `respond` only serialises;
- a new key: reserved in the request's transaction before the service runs; `respond` stores the
  answer in the same transaction as the change, so both commit or neither does;
- the same key and body again: `replay` is the first answer (header `Idempotent-Replayed: true`),
  and the service is not called;
- the same key with another body (or another path): 422, nothing changes.

A concurrent retry with the same key waits for the first request (the key's primary key) and then
replays its answer; if the first failed, its reservation rolled back with it and the retry runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.core.errors import InvalidInput
from app.dependencies import CurrentActor, DbSession
from app.idempotency import service as idempotency

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=idempotency.HEADER,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Retries with the same key and body return the first answer; "
        "the same key with another body is refused (422).",
    ),
]


@dataclass
class Once:
    """One request behind an optional Idempotency-Key."""

    session: Session
    user_id: Any
    scope: str
    key: str | None
    replay: Response | None = None

    def respond(self, model: BaseModel, status_code: int = 200) -> Response:
        """The answer as JSON, kept under the key (when there is one) for retries."""
        body = model.model_dump(mode="json")
        if self.key is not None:
            idempotency.finish(self.session, self.user_id, self.scope, self.key, status_code, body)
        return JSONResponse(body, status_code=status_code)


async def _request_digest(request: Request) -> str:
    """The request as the key was first used with: its path and JSON body."""
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    return idempotency.request_hash({"path": request.url.path, "body": body})


def idempotent(scope: str) -> Callable[..., Once]:
    """The dependency for one kind of request (`scope` names it in the key table)."""

    def dependency(
        actor: CurrentActor,
        db: DbSession,
        digest: Annotated[str, Depends(_request_digest)],
        key: IdempotencyKeyHeader = None,
    ) -> Once:
        once = Once(db, actor.user_id, scope, key)
        if key is None:
            return once
        if actor.user_id is None:
            raise InvalidInput(
                "Idempotency-Key needs a signed-in user.", ["header", idempotency.HEADER]
            )
        stored = idempotency.begin(db, actor.user_id, scope, key, digest)
        if stored is not None:
            once.replay = JSONResponse(
                stored.body,
                status_code=stored.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        return once

    return dependency
