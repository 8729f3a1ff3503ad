"""Rows written at once (one INSERT per table, no objects for the session to flush) are the
rows the one-by-one functions write: the same audit events as `audit.record`, the same
outbox messages and in-app notifications as `notifications.queue_email`, for any text."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.core.actor import Actor, Via
from app.notifications import service as notifications
from app.notifications.models import Notification, OutboxMessage

# Lengths around the columns' limits: summaries cut at 500, notification texts at 300.
# No NUL: PostgreSQL's text holds none (what people type never has one).
letters = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
texts = st.text(letters, min_size=1, max_size=40) | st.text(letters, min_size=280, max_size=620)
addresses = st.from_regex(r"\A[A-Za-z0-9.]{1,20}@[A-Za-z0-9]{1,12}\.gov\.uk\Z").map(
    lambda a: f"  {a}  "
)
links = st.none() | st.from_regex(r"\A/[a-z0-9/]{0,40}\Z")
examples = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _rows(db: Session, model: Any, ids: set[uuid.UUID] | None = None) -> list[dict[str, Any]]:
    """The rows added since `ids` (those there before), without their own id and times."""
    table: Table = model.__table__
    skip = {"id", "at", "created_at", "available_at", "dedupe_key"}
    found = db.execute(select(table).order_by(table.c.id)).mappings().all()
    return [
        {k: v for k, v in row.items() if k not in skip}
        for row in found
        if ids is None or row["id"] not in ids
    ]


def _ids(db: Session, model: Any) -> set[uuid.UUID]:
    return set(db.scalars(select(model.id)))


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=repr)


@examples
@given(
    summaries=st.lists(texts, min_size=1, max_size=3),
    name=st.text(letters, min_size=1, max_size=150),
)
def test_an_event_in_several_trails_is_what_record_writes_one_by_one(db, make, summaries, name):
    council = make.council()
    user = make.user(council, "booker")
    # A name past the audit column's 120 characters is cut short, as record does.
    actor = Actor(user.id, "b@example.gov.uk", name, council.id, frozenset(), False, Via.token)
    entity_id = uuid.uuid4()
    trails = [(council.id if n % 2 else None, text) for n, text in enumerate(summaries)]
    with db.begin_nested() as one_by_one:
        before = _ids(db, AuditEvent)
        for council_id, text in trails:
            audit.record(db, actor, "booking.request", "booking", entity_id, council_id, text)
        db.flush()
        expected = _rows(db, AuditEvent, before)
        one_by_one.rollback()
    with db.begin_nested() as at_once:
        before = _ids(db, AuditEvent)
        audit.record_in_trails(db, actor, "booking.request", "booking", entity_id, trails)
        written = _rows(db, AuditEvent, before)
        at_once.rollback()
    assert _sorted(written) == _sorted(expected)
    assert len(written) == len(trails)


@examples
@given(
    emails=st.lists(st.tuples(addresses, texts, texts, links), min_size=0, max_size=3),
    kind=st.sampled_from(["booking", "email", "a-kind-longer-than-forty-characters-is-cut-short"]),
)
def test_emails_queued_at_once_are_what_queue_email_writes_one_by_one(db, emails, kind):
    def written(queue: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with db.begin_nested() as attempt:
            before = _ids(db, OutboxMessage), _ids(db, Notification)
            queue()
            db.flush()
            rows = _rows(db, OutboxMessage, before[0]), _rows(db, Notification, before[1])
            attempt.rollback()
        return _sorted(rows[0]), _sorted(rows[1])

    def one_by_one() -> None:
        for to, subject, body, link in emails:
            notifications.queue_email(db, to, subject, body, link=link, kind=kind)

    def at_once() -> None:
        notifications.queue_emails(db, [notifications.Email(*email) for email in emails], kind=kind)

    assert written(at_once) == written(one_by_one)
    messages, news = written(at_once)
    assert len(messages) == len(news) == len(emails)
