"""Reading what the app emailed (the outbox), as a person would read their inbox."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.notifications.models import OutboxMessage


def emails_to(db: Session, address: str) -> list[dict]:
    db.flush()
    rows = db.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "email")
        .order_by(OutboxMessage.created_at)
    )
    return [row.payload for row in rows if row.payload.get("to") == address]


def emailed_link(db: Session, address: str, prefix: str) -> str:
    """The token of the last link starting with `prefix` emailed to `address`."""
    tokens = [
        match.group(1)
        for message in emails_to(db, address)
        for match in re.finditer(re.escape(prefix) + r"([A-Za-z0-9_-]+)", message["body"])
    ]
    assert tokens, f"no link {prefix}… was emailed to {address}"
    return tokens[-1]
