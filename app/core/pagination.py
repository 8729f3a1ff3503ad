"""Keyset (cursor) pagination: `?limit=&cursor=` in, `{"items", "next_cursor"}` out."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.errors import InvalidInput

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class PageParams:
    limit: int = 50
    cursor: str | None = None


def page_params(
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000, pattern=r"^[A-Za-z0-9_\-=]*$")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), default=str).encode()).decode()


def _bad_cursor() -> InvalidInput:
    return InvalidInput("The cursor is not valid.", ["query", "cursor"])


def decode_cursor(cursor: str, types: Sequence[type]) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(raw, list) or len(raw) != len(types):
        raise _bad_cursor()
    values: list[Any] = []
    for value, kind in zip(raw, types, strict=True):
        try:
            if kind is uuid.UUID:
                values.append(uuid.UUID(str(value)))
            elif kind is datetime:
                values.append(datetime.fromisoformat(str(value)))
            elif kind is int:
                values.append(int(value))
            else:
                values.append(str(value))
        except (ValueError, TypeError) as exc:
            raise _bad_cursor() from exc
    return values


def keyset_page(
    session: Session,
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """Run `stmt` ordered by `keys` (unique together) from the cursor onwards.

    Returns the page's rows (scalars when the statement selects one entity) and the next cursor.
    """
    if params.cursor:
        types = [key.property.columns[0].type.python_type for key in keys]
        after = decode_cursor(params.cursor, types)
        if descending:
            stmt = stmt.where(tuple_(*keys) < tuple_(*after))
        else:
            stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    order = [key.desc() for key in keys] if descending else list(keys)
    stmt = stmt.order_by(*order).limit(params.limit + 1)
    rows = list(session.scalars(stmt).all())
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, key.key) for key in keys])
    return rows, next_cursor
