"""The transactional outbox: queue work in the caller's transaction; the worker delivers it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Insert, Select, Table, func, insert, select, update
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.pagination import PageParams, keyset_page
from app.notifications.models import Notification, OutboxMessage, new_dedupe_key

TEXT_MAX = 300


def queue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str | None = None,
    available_at: datetime | None = None,
) -> OutboxMessage | None:
    """Queue a message unless one with the same dedupe key is already queued."""
    key = dedupe_key or new_dedupe_key()
    queued = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
    if dedupe_key and session.scalar(queued):
        return None
    message = OutboxMessage(kind=kind, dedupe_key=key, payload=payload)
    if available_at is not None:
        message.available_at = available_at
    session.add(message)
    return message


def queue_email(
    session: Session,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str | None = None,
    link: str | None = None,
    kind: str = "email",
) -> OutboxMessage | None:
    """Queue an email, and put the same news in the person's in-app notifications.

    The notification carries the subject and `link` (a path in the SPA), never the body: bodies
    of some emails hold single-use links that must stay in the mailbox.
    """
    message = queue(session, "email", {"to": to, "subject": subject, "body": body}, dedupe_key)
    if message is not None:
        notify(session, to, kind, subject, link)
    return message


def notify(
    session: Session, to: str, kind: str, text: str, link: str | None = None
) -> Notification:
    """An in-app notification for the person with this email address, in the caller's
    transaction."""
    row = Notification(**_notification(to, kind, text, link))
    session.add(row)
    return row


def _notification(to: str, kind: str, text: str, link: str | None) -> dict[str, Any]:
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    return {"recipient_email": to.strip().lower(), "kind": kind[:40], "text": text, "link": link}


@dataclass(frozen=True)
class Email:
    """One email of several sent at once (`queue_emails`)."""

    to: str
    subject: str
    body: str
    link: str | None = None


def queue_emails(session: Session, emails: Sequence[Email], kind: str = "email") -> None:
    """Queue several emails (none needing a dedupe key) with their in-app notifications, as
    `queue_email` does one by one, in two INSERTs: no objects for the session to track and
    flush (half the CPU). The rows are in the transaction at once (queries see them); only the
    Session's identity map does not hold them, so nothing is returned."""
    if not emails:
        return
    messages = [
        {
            "kind": "email",
            "dedupe_key": new_dedupe_key(),
            "payload": {"to": e.to, "subject": e.subject, "body": e.body},
        }
        for e in emails
    ]
    session.execute(_appending(OutboxMessage), messages)
    news = [_notification(e.to, kind, e.subject, e.link) for e in emails]
    session.execute(_appending(Notification), news)


@cache
def _appending(model: type[OutboxMessage | Notification]) -> Insert:
    """Built once per table: a Core INSERT (the columns' defaults, id and times, filled in for
    each row)."""
    return insert(cast(Table, model.__table__))


# --- in-app notifications -------------------------------------------------------------------


def readable_notifications(actor: Actor) -> Select[Notification]:
    """The one statement of the notifications an actor may read: their own."""
    return select(Notification).where(Notification.recipient_email == actor.email.lower())


def list_notifications(
    session: Session, actor: Actor, unread: bool, params: PageParams
) -> tuple[list[Notification], str | None]:
    """Newest first."""
    stmt = readable_notifications(actor)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    keys = [Notification.created_at, Notification.id]
    return keyset_page(session, stmt, keys, params, descending=True)


def unread_count(session: Session, actor: Actor) -> int:
    stmt = (
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.recipient_email == actor.email.lower(),
            Notification.read_at.is_(None),
        )
    )
    return int(session.scalar(stmt) or 0)


def mark_read(
    session: Session, actor: Actor, ids: list[uuid.UUID], everything: bool = False
) -> int:
    """Marks the actor's notifications `ids` read (or all of them). Any id that is not one of
    theirs answers 404 and changes nothing. Returns how many were unread."""
    if not ids and not everything:
        raise InvalidInput("Say which notifications to mark as read.", ["body", "ids"])
    stmt = update(Notification).where(
        Notification.recipient_email == actor.email.lower(), Notification.read_at.is_(None)
    )
    if not everything:
        wanted = set(ids)
        mine_stmt = readable_notifications(actor).where(Notification.id.in_(wanted))
        mine = set(session.scalars(mine_stmt.with_only_columns(Notification.id)))
        if mine != wanted:
            raise NotFound("No such notification.")
        stmt = stmt.where(Notification.id.in_(wanted))
    result = session.execute(
        stmt.values(read_at=clock.now()).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def unsent_ids(session: Session) -> set[uuid.UUID]:
    """The messages waiting for the worker now."""
    return set(session.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))))


def settle_all_but(session: Session, keep: set[uuid.UUID]) -> int:
    """Marks every waiting message not in `keep` as sent, without sending it. For demo data:
    its history is written as if it had happened weeks ago, and so had its emails; only what
    happens from now on should reach people (or the terminal). Returns how many."""
    session.flush()
    stmt = update(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    if keep:
        stmt = stmt.where(OutboxMessage.id.not_in(keep))
    result = session.execute(stmt.values(sent_at=clock.now()))
    return int(getattr(result, "rowcount", 0) or 0)
